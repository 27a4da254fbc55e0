// ChannelSelfService (channel_self_service.hpp).
#include "ivr/channel_self_service.hpp"

#include <date/date.h>

#include <boost/asio/post.hpp>

#include "core/text.hpp"
#include "ivr/speech_text.hpp"
#include "kb/markdown.hpp"

namespace hotline::ivr {
namespace {

fund::Access Who(const org::Actor& actor) { return fund::Access{.actor = actor, .purpose = "来电自助查询"}; }

std::string Tail(std::string_view s, size_t n) {
  return std::string(s.size() > n ? s.substr(s.size() - n) : s);
}

std::string DateWords(Date d) {
  date::year_month_day ymd(d);
  return SpokenDate(static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                    static_cast<int>(static_cast<unsigned>(ymd.day())));
}

}  // namespace

Values AccountValues(const fund::PersonAccount& a) {
  return {{"name", a.name},
          {"balance", SpokenAmount(a.balance)},
          {"monthly_deposit", SpokenAmount(a.monthly_deposit)},
          {"last_paid_month", SpokenIsoDate(a.last_paid_month)},
          {"status", std::string(fund::AccountStatusLabel(a.status))},
          {"employer", a.unit_name}};
}

Values LoanValues(const fund::Loan& l) {
  return {{"loan_tail", SpokenDigits(Tail(l.loan_number, 4))},
          {"balance", SpokenAmount(l.balance)},
          {"years", SpokenInteger(l.years)},
          {"periods", SpokenInteger(l.periods)},
          {"remaining_periods", SpokenInteger(l.remaining_periods)},
          {"monthly_payment", SpokenAmount(l.monthly_payment)},
          {"last_payment_on", l.last_payment_on ? DateWords(*l.last_payment_on) : "暂无"},
          {"last_payment_amount", SpokenAmount(l.last_payment_amount)},
          {"principal", SpokenAmount(l.principal)}};
}

Values ProgressValues(const fund::Progress& p) {
  return {{"kind", std::string(fund::BusinessKindLabel(p.kind))},
          {"stage", p.stage},
          {"detail", SpeakableText(p.detail)},
          {"updated_on", DateWords(p.updated_on)}};
}

Values UnitValues(const fund::UnitAccount& u) {
  return {{"name", u.name},
          {"status", std::string(fund::AccountStatusLabel(u.status))},
          {"person_count", SpokenInteger(u.person_count)},
          {"monthly_deposit", SpokenAmount(u.monthly_deposit)},
          {"last_paid_month", SpokenIsoDate(u.last_paid_month)},
          {"balance", SpokenAmount(u.balance)}};
}

Values BranchValues(const kb::Branch& b) {
  return {{"name", b.name},
          {"address", SpeakableText(b.address)},
          {"hours", SpeakableText(b.hours)},
          {"phone", SpokenPhone(b.phone)}};
}

std::string SpokenSlot(std::string_view slot) {
  if (slot.size() != 11 || slot[5] != '-') return SpeakableText(slot);
  int h1 = std::atoi(std::string(slot.substr(0, 2)).c_str()),
      h2 = std::atoi(std::string(slot.substr(6, 2)).c_str());
  std::string from =
      SpokenOpening(2000, 1, 1, 2000, 1, 1, h1, std::atoi(std::string(slot.substr(3, 2)).c_str()));
  std::string until =
      SpokenOpening(2000, 1, 1, 2000, 1, 1, h2, std::atoi(std::string(slot.substr(9, 2)).c_str()));
  from = from.substr(std::string("今天").size());
  until = until.substr(std::string("今天").size());
  // 上午九点到上午十点 → 上午九点到十点 when both halves share the part of the day.
  if (from.substr(0, 6) == until.substr(0, 6)) until = until.substr(6);
  return from + "到" + until;
}

std::string ShortAnswer(std::string_view markdown) {
  std::string plain = kb::MarkdownToPlainText(markdown);
  // The first block that is a sentence (headings are one short line: skip lines under 8 bytes).
  std::string first;
  size_t start = 0;
  while (start < plain.size()) {
    size_t end = plain.find('\n', start);
    std::string line = plain.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (line.size() >= 8) {
      first = line;
      break;
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  // At most about 200 characters, cut at a sentence end (。) where there is one.
  constexpr size_t kMax = 600;  // bytes; CJK is 3 bytes a character
  if (first.size() > kMax) {
    size_t cut = first.rfind("。", kMax);
    first =
        cut != std::string::npos ? first.substr(0, cut + std::string("。").size()) : first.substr(0, kMax);
    // Never cut inside a UTF-8 sequence.
    while (!first.empty() && (static_cast<unsigned char>(first.back()) & 0xC0) == 0x80) first.pop_back();
    if (!first.empty() && (static_cast<unsigned char>(first.back()) & 0x80)) first.pop_back();
  }
  return SpeakableText(first);
}

ChannelSelfService::ChannelSelfService(ChannelSelfServiceDeps deps, org::Org centre, std::string call_id,
                                       std::string caller_number, ChannelSelfServiceOptions options)
    : deps_(std::move(deps)),
      centre_(centre),
      actor_(org::Actor::ForSystem(org::SystemPrincipal::kIvr, centre, call_id)),
      call_id_(std::move(call_id)),
      caller_(std::move(caller_number)),
      options_(options) {}

template <typename T, typename F>
void ChannelSelfService::Fund(F call, Done<T> done) {
  deps_.fund.Run(std::move(call), deps_.call, [done = std::move(done)](Result<T> r) { done(std::move(r)); },
                 {.deadline = options_.fund_timeout});
}

template <typename T, typename F>
void ChannelSelfService::Blocking(F work, Done<T> done) {
  boost::asio::post(deps_.blocking,
                    [work = std::move(work), done = std::move(done), call = deps_.call]() mutable {
                      auto result = std::make_shared<Result<T>>(work());
                      boost::asio::post(call, [done = std::move(done), result] { done(std::move(*result)); });
                    });
}

void ChannelSelfService::Verify(const std::string& subject, const std::string& login_id,
                                const std::string& password, Done<Verified> done) {
  fund::Credentials creds{.type = subject == "unit" ? fund::SubjectType::kUnit : fund::SubjectType::kPerson,
                          .login_id = login_id,
                          .password = password};
  Fund<Verified>(
      [who = Who(actor_), creds](fund::FundService& s) mutable -> Result<Verified> {
        auto r = s.verifier().Verify(who, creds);
        std::fill(creds.password.begin(), creds.password.end(), '\0');
        if (!r.ok()) return r.error();
        return Verified{.token = r->token};
      },
      std::move(done));
}

void ChannelSelfService::Query(const std::string& token, const std::string& what,
                               Done<std::vector<Values>> done) {
  Fund<std::vector<Values>>(
      [who = Who(actor_), token, what](fund::FundService& s) -> Result<std::vector<Values>> {
        std::vector<Values> out;
        if (what == "account") {
          HOTLINE_ASSIGN_OR_RETURN(auto v, s.Account(who, token));
          out.push_back(AccountValues(v.account));
        } else if (what == "loans") {
          HOTLINE_ASSIGN_OR_RETURN(auto loans, s.Loans(who, token));
          for (const auto& l : loans) {
            if (l.status != "paid_off") out.push_back(LoanValues(l));
          }
        } else if (what == "progress") {
          HOTLINE_ASSIGN_OR_RETURN(auto items, s.BusinessProgress(who, token, {}));
          for (const auto& p : items) out.push_back(ProgressValues(p));
        } else if (what == "unit") {
          HOTLINE_ASSIGN_OR_RETURN(auto u, s.Unit(who, token));
          out.push_back(UnitValues(u.unit));
        }
        return out;
      },
      std::move(done));
}

void ChannelSelfService::OfferAppointment(const std::string& token, const std::string& kind,
                                          Done<std::optional<AppointmentOffer>> done) {
  Fund<std::optional<AppointmentOffer>>(
      [who = Who(actor_), token, kind, clock = &deps_.clock, zone = options_.zone,
       days = options_.booking_days_ahead](fund::FundService& s) -> Result<std::optional<AppointmentOffer>> {
        HOTLINE_ASSIGN_OR_RETURN(auto ctx, s.verifier().Resolve(who, token));
        (void)ctx;
        HOTLINE_ASSIGN_OR_RETURN(auto branches, s.Branches(who));
        const Date today = zone.LocalDay(clock->Now());
        // The first free slot from tomorrow on (a caller on the phone cannot make it to a branch today),
        // at the centre's first branch, within the fund module's rules.
        for (int d = 1; d <= days; ++d) {
          Date day = today + date::days(d);
          for (const auto& b : branches) {
            auto slots = s.Slots(who, b.code, day);
            if (!slots.ok()) continue;
            for (const auto& slot : *slots) {
              if (slot.booked >= slot.capacity) continue;
              if (!s.CheckAppointmentDate(who, day, slot.slot).ok()) break;
              auto parsed = fund::ParseAppointmentKind(kind);
              AppointmentOffer offer{
                  .kind = kind, .branch_code = b.code, .date = FormatDate(day), .slot = slot.slot};
              offer.values = {{"branch", b.name},
                              {"date", DateWords(day)},
                              {"slot", SpokenSlot(slot.slot)},
                              {"kind", parsed ? std::string(fund::AppointmentKindLabel(*parsed)) : kind}};
              return std::optional<AppointmentOffer>(std::move(offer));
            }
          }
        }
        return std::optional<AppointmentOffer>();
      },
      std::move(done));
}

void ChannelSelfService::Book(const std::string& token, const AppointmentOffer& offer, Done<Values> done) {
  Fund<Values>(
      [who = Who(actor_), token, offer](fund::FundService& s) -> Result<Values> {
        fund::NewAppointment req{
            .kind = fund::ParseAppointmentKind(offer.kind).value_or(fund::AppointmentKind::kWithdrawal),
            .branch_code = offer.branch_code,
            .slot = offer.slot};
        if (!ParseDate(offer.date, &req.date)) return Error::InvalidArgument("invalid_field", "date");
        HOTLINE_ASSIGN_OR_RETURN(auto a, s.Book(who, token, req));
        Values v = offer.values;
        // The reference as characters read one by one: YY20261123-000042 → YY 二零二六… (letters kept).
        std::string ref;
        for (char c : a.reference) {
          if (c >= '0' && c <= '9')
            ref += SpokenDigits(std::string(1, c));
          else if (c != '-')
            ref += c;
        }
        v["reference"] = ref;
        v["branch"] = a.branch_name.empty() ? v["branch"] : a.branch_name;
        return v;
      },
      std::move(done));
}

void ChannelSelfService::Subscription(const std::string& token, const std::string& content, bool subscribe,
                                      Done<Values> done) {
  Fund<Values>(
      [who = Who(actor_), token, content, subscribe, subs = &deps_.subscriptions,
       centre = centre_.code](fund::FundService& s) -> Result<Values> {
        HOTLINE_ASSIGN_OR_RETURN(auto ctx, s.verifier().Resolve(who, token));
        std::string mobile;
        if (ctx.subject.type == fund::SubjectType::kUnit) {
          HOTLINE_ASSIGN_OR_RETURN(auto u, s.Unit(who, token));
          mobile = u.unit.contact_mobile;
        } else {
          HOTLINE_ASSIGN_OR_RETURN(auto p, s.Account(who, token));
          mobile = p.account.mobile;
        }
        if (mobile.empty()) return Error::InvalidArgument("no_mobile", "没有登记手机号码");
        SubscriptionKey key{.centre = centre, .mobile = mobile, .content_type = content};
        auto st = subscribe ? subs->Subscribe(key, "ivr") : subs->Cancel(key, "ivr");
        if (!st.ok()) return st.error();
        return Values{{"content", content}, {"mobile_tail", SpokenDigits(Tail(mobile, 4))}};
      },
      std::move(done));
}

void ChannelSelfService::Categories(const std::string& root, Done<std::vector<std::string>> done) {
  Blocking<std::vector<std::string>>(
      [kb = &deps_.kb, actor = actor_, root]() -> Result<std::vector<std::string>> {
        HOTLINE_ASSIGN_OR_RETURN(auto cats, kb->Categories(actor, std::nullopt));
        std::vector<std::string> out;
        for (const auto& [path, count] : cats) {
          if (count <= 0) continue;
          if (root.empty()) {
            if (path.find('/') == std::string::npos) out.push_back(path);
          } else if (path.rfind(root + "/", 0) == 0 && path.find('/', root.size() + 1) == std::string::npos) {
            out.push_back(path);
          }
          if (out.size() == 9) break;
        }
        return out;
      },
      std::move(done));
}

void ChannelSelfService::Articles(const std::string& category, Done<std::vector<Values>> done) {
  Blocking<std::vector<Values>>(
      [kb = &deps_.kb, actor = actor_, category]() -> Result<std::vector<Values>> {
        kb::ArticleListFilter filter{.category = category, .limit = 20};
        HOTLINE_ASSIGN_OR_RETURN(auto list, kb->ListArticles(actor, filter));
        std::vector<Values> out;
        for (const auto& summary : list) {
          if (!summary.in_effect_number) continue;  // R-AGT-3: only what is in effect today is said
          auto detail = kb->GetArticle(actor, summary.article.id);
          if (!detail.ok() || !detail->in_effect) continue;
          const auto& c = detail->in_effect->content;
          out.push_back({{"title", SpeakableText(c.title)}, {"answer", ShortAnswer(c.body)}});
          if (out.size() == 5) break;  // a caller listens to five at most; the rest by an agent
        }
        return out;
      },
      std::move(done));
}

void ChannelSelfService::Branches(Done<std::vector<Values>> done) {
  Blocking<std::vector<Values>>(
      [kb = &deps_.kb, actor = actor_, code = centre_.code]() -> Result<std::vector<Values>> {
        HOTLINE_ASSIGN_OR_RETURN(auto list, kb->ListBranches(actor, kb::BranchFilter{.org_code = code}));
        std::vector<Values> out;
        for (const auto& b : list) out.push_back(BranchValues(b));
        return out;
      },
      std::move(done));
}

void ChannelSelfService::ManualService(Done<ManualHours> done) {
  Blocking<ManualHours>(
      [hours = &deps_.service_hours, clock = &deps_.clock, id = centre_.id,
       zone = options_.zone]() -> Result<ManualHours> {
        const TimePoint now = clock->Now();
        HOTLINE_ASSIGN_OR_RETURN(auto m, hours->AskAt(id, zone, now));
        ManualHours out{.open = m.open};
        if (m.next_opening) {
          date::year_month_day a(zone.LocalDay(now)), b(zone.LocalDay(*m.next_opening));
          auto tod =
              std::chrono::duration_cast<std::chrono::minutes>(zone.LocalTimeOfDay(*m.next_opening)).count();
          out.values["next_opening"] =
              SpokenOpening(static_cast<int>(a.year()), static_cast<int>(static_cast<unsigned>(a.month())),
                            static_cast<int>(static_cast<unsigned>(a.day())), static_cast<int>(b.year()),
                            static_cast<int>(static_cast<unsigned>(b.month())),
                            static_cast<int>(static_cast<unsigned>(b.day())), static_cast<int>(tod / 60),
                            static_cast<int>(tod % 60));
        } else {
          out.values["next_opening"] = "工作日工作时间";
        }
        return out;
      },
      std::move(done));
}

void ChannelSelfService::RequestCallback(const std::string& ivr_path, const std::string& voicemail,
                                         Done<int64_t> done) {
  Blocking<int64_t>(
      [cb = &deps_.callbacks, actor = actor_, phone = caller_, call_id = call_id_, ivr_path,
       voicemail]() -> Result<int64_t> {
        // The topic carries the IVR path (R-IVR-3: the number and the path), the newest nodes kept when
        // it is long, and the voice message's file when there is one.
        std::string topic = voicemail.empty() ? "IVR回电请求" : "IVR留言回电";
        if (!voicemail.empty()) topic += " 留言:" + voicemail.substr(voicemail.rfind('/') + 1);
        std::string path = ivr_path;
        const size_t room = 190 > topic.size() + 8 ? 190 - topic.size() - 8 : 0;
        if (path.size() > room) path = "…" + path.substr(path.size() - room);
        topic += " 路径:" + path;
        workorder::CallbackRequest req{.phone = phone, .topic = topic, .call_id = call_id};
        HOTLINE_ASSIGN_OR_RETURN(auto c, cb->Request(actor, req));
        return c.id;
      },
      std::move(done));
}

void ChannelSelfService::EndContext(const std::string& token) {
  deps_.fund.Run(
      [who = Who(actor_), token](fund::FundService& s) -> Result<bool> {
        auto st = s.verifier().End(who, token);
        if (!st.ok()) return st.error();
        return true;
      },
      deps_.call, [](Result<bool>) {});
}

}  // namespace hotline::ivr
