// hotline sms send|status|held|list — the SMS service's operator commands (issue 15 "CLI", docs/SMS.md).
// They work on the durable queue in the database: `send` queues a test message (kind "test": never held by
// the push window, R-SMS-2) that the running `hotline serve` hands to its configured carriers; `status`,
// `held` and `list` read the queue (numbers masked, as everywhere outside a verified context).
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "app/cli.hpp"
#include "app/progress.hpp"
#include "core/masking.hpp"
#include "sms/outbox.hpp"

namespace hotline::app {
namespace {

std::string When(const std::optional<TimePoint>& t) { return t ? FormatUtc(*t) : "-"; }

nlohmann::json ToJson(const sms::Message& m, bool full_number) {
  return {{"id", m.id},
          {"kind", sms::MessageKindName(m.kind)},
          {"priority", m.priority},
          {"status", sms::MessageStatusName(m.status)},
          {"to", full_number ? m.destination : MaskMobile(m.destination)},
          {"parts", m.parts},
          {"cost_fen", m.cost_fen},
          {"attempts", m.attempts},
          {"carrier", m.carrier},
          {"carrier_code", m.carrier_code},
          {"reason", m.reason},
          {"campaign_id", m.campaign_id},
          {"content_type", m.content_type},
          {"created_at", FormatUtc(m.created_at)},
          {"held_at", m.held_at ? nlohmann::json(FormatUtc(*m.held_at)) : nlohmann::json()},
          {"submitted_at", m.submitted_at ? nlohmann::json(FormatUtc(*m.submitted_at)) : nlohmann::json()},
          {"done_at", m.done_at ? nlohmann::json(FormatUtc(*m.done_at)) : nlohmann::json()},
          {"expires_at", FormatUtc(m.expires_at)}};
}

void PrintLine(const sms::Message& m) {
  std::printf("%lld\t%s\t%s\t%s\t%d part(s)\tcreated %s\theld %s\tsubmitted %s\tdone %s%s%s\n",
              static_cast<long long>(m.id), std::string(sms::MessageKindName(m.kind)).c_str(),
              std::string(sms::MessageStatusName(m.status)).c_str(), MaskMobile(m.destination).c_str(),
              m.parts, FormatUtc(m.created_at).c_str(), When(m.held_at).c_str(), When(m.submitted_at).c_str(),
              When(m.done_at).c_str(), m.reason.empty() ? "" : "\t", m.reason.c_str());
}

}  // namespace

void AddSmsCommands(CLI::App& cli, CliContext& ctx) {
  auto* sms = cli.add_subcommand("sms", "SMS service (短信): send a test message, status, held messages");
  sms->require_subcommand(1);

  struct SendArgs {
    std::string to, text, key;
    int64_t ttl_minutes = 60;
  };
  auto args = std::make_shared<SendArgs>();
  auto* send = sms->add_subcommand(
      "send",
      "queue a test message for the configured carriers (not held by the push window); prints its id");
  ctx.AddConfigOption(send);
  send->add_option("--to", args->to, "11-digit mobile number")->required();
  send->add_option("--text", args->text, "the whole text, signature included")->required();
  send->add_option("--key", args->key,
                   "idempotency key (default: a new one); the same key never sends twice");
  send->add_option("--ttl-minutes", args->ttl_minutes, "expire if not submitted within this (default 60)")
      ->check(CLI::Range(1, 7 * 24 * 60));
  send->callback([&ctx, args] {
    ctx.run = [&ctx, args] {
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      SystemClock clock;
      SecureRandom random;
      sms::Outbox outbox(app->db(), clock);
      auto r = outbox.Enqueue({.centre_id = 0,
                               .kind = sms::MessageKind::kTest,
                               .idempotency_key = args->key.empty() ? "cli:" + random.Token(12) : args->key,
                               .destination = args->to,
                               .text = args->text,
                               .expires_at = clock.Now() + std::chrono::minutes(args->ttl_minutes)});
      if (!r.ok()) return PrintError(r.error(), 2);
      std::printf("%lld\n", static_cast<long long>(r->id));
      if (!r->created)
        std::fprintf(stderr, "hotline: that key was queued before: message %lld\n",
                     static_cast<long long>(r->id));
      return 0;
    };
  });

  auto id = std::make_shared<int64_t>(0);
  auto json = std::make_shared<bool>(false);
  auto* status = sms->add_subcommand("status", "one message's status with its times (R-SMS-5)");
  ctx.AddConfigOption(status);
  status->add_option("id", *id, "the message id `send` printed")->required();
  status->add_flag("--json", *json, "print JSON");
  status->callback([&ctx, id, json] {
    ctx.run = [&ctx, id, json] {
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      SystemClock clock;
      sms::Outbox outbox(app->db(), clock);
      auto m = outbox.Get(*id);
      if (!m.ok()) return PrintError(m.error());
      if (*json) {
        std::printf("%s\n", ToJson(*m, false).dump().c_str());
      } else {
        PrintLine(*m);
      }
      return 0;
    };
  });

  struct ListArgs {
    std::string to, status;
    int limit = 100;
    bool json = false;
  };
  auto largs = std::make_shared<ListArgs>();
  auto list_run = [&ctx](std::shared_ptr<ListArgs> a) {
    return [&ctx, a] {
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      SystemClock clock;
      sms::Outbox outbox(app->db(), clock);
      sms::Outbox::Filter f{.destination = a->to, .limit = a->limit};
      if (!a->status.empty()) {
        sms::MessageStatus st;
        if (!sms::ParseMessageStatus(a->status, &st))
          return PrintError(Error::InvalidArgument("invalid_field",
                                                   "--status must be queued, held_for_window, submitted, "
                                                   "delivered, failed or expired"),
                            2);
        f.status = st;
      }
      auto list = outbox.List(f);
      if (!list.ok())
        return PrintError(list.error(), list.error().kind == ErrorKind::kInvalidArgument ? 2 : 1);
      nlohmann::json out = nlohmann::json::array();
      for (const auto& m : *list) {
        if (a->json) {
          out.push_back(ToJson(m, false));
        } else {
          PrintLine(m);
        }
      }
      if (a->json) std::printf("%s\n", out.dump().c_str());
      return 0;
    };
  };
  auto* list = sms->add_subcommand("list", "messages in queue order (numbers masked)");
  ctx.AddConfigOption(list);
  list->add_option("--to", largs->to, "only this number");
  list->add_option("--status", largs->status, "only this status");
  list->add_option("--limit", largs->limit, "at most this many (default 100)")->check(CLI::Range(1, 1000));
  list->add_flag("--json", largs->json, "print JSON");
  list->callback([&ctx, largs, list_run] { ctx.run = list_run(largs); });

  auto hargs = std::make_shared<ListArgs>();
  hargs->status = "held_for_window";
  auto* held = sms->add_subcommand("held", "push messages held for the push window (08:00–22:00, R-SMS-2)");
  ctx.AddConfigOption(held);
  held->add_option("--limit", hargs->limit, "at most this many (default 100)")->check(CLI::Range(1, 1000));
  held->add_flag("--json", hargs->json, "print JSON");
  held->callback([&ctx, hargs, list_run] { ctx.run = list_run(hargs); });
  // Until campaigns exist as data (subscriptions, templates, progress), a list of numbers can be queued as
  // campaign messages: re-runnable (the key is campaign:ID:NUMBER), held outside the push window.
  struct BulkArgs {
    std::string file, text;
    int64_t campaign = 0;
    int64_t ttl_hours = 72;
  };
  auto bargs = std::make_shared<BulkArgs>();
  auto* bulk = sms->add_subcommand(
      "bulk",
      "queue one text to every number of a file (one per line) as campaign messages (push: held "
      "outside the window); re-running it queues nothing twice");
  ctx.AddConfigOption(bulk);
  bulk->add_option("--numbers", bargs->file, "file with one 11-digit number per line")->required();
  bulk->add_option("--text", bargs->text, "the whole text, signature and unsubscribe instruction included")
      ->required();
  bulk->add_option("--campaign", bargs->campaign, "campaign id (a positive number naming this mailing)")
      ->required()
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 53));
  bulk->add_option("--ttl-hours", bargs->ttl_hours, "expire if not submitted within this (default 72)")
      ->check(CLI::Range(1, 30 * 24));
  bulk->callback([&ctx, bargs] {
    ctx.run = [&ctx, bargs] {
      std::ifstream in(bargs->file);
      if (!in) return PrintError(Error::InvalidArgument("invalid_field", bargs->file + ":0: cannot read"), 2);
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      SystemClock clock;
      sms::Outbox outbox(app->db(), clock);
      const TimePoint expires = clock.Now() + std::chrono::hours(bargs->ttl_hours);
      std::vector<sms::NewMessage> batch;
      int64_t lines = 0, queued = 0, bad = 0;
      TerminalProgress progress("排队短信");
      auto flush = [&]() -> Status {
        HOTLINE_ASSIGN_OR_RETURN(int64_t n, outbox.EnqueueBatch(batch));
        queued += n;
        batch.clear();
        progress.Update(static_cast<double>(lines), 0, "已排队 " + Grouped(queued) + " 条");
        return OkStatus();
      };
      std::string line;
      while (std::getline(in, line)) {
        ++lines;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (line.empty()) continue;
        if (!sms::CheckMobile(line).ok()) {
          std::fprintf(stderr, "%s:%lld: not an 11-digit mobile number\n", bargs->file.c_str(),
                       static_cast<long long>(lines));
          ++bad;
          continue;
        }
        batch.push_back({.centre_id = 0,
                         .kind = sms::MessageKind::kCampaign,
                         .idempotency_key = "campaign:" + std::to_string(bargs->campaign) + ":" + line,
                         .destination = line,
                         .text = bargs->text,
                         .campaign_id = bargs->campaign,
                         .expires_at = expires});
        if (batch.size() == 10000) {
          if (Status st = flush(); !st.ok()) return PrintError(st.error(), 2);
        }
      }
      if (Status st = flush(); !st.ok()) return PrintError(st.error(), 2);
      progress.Finish();
      std::printf("%lld queued, %lld bad line(s)\n", static_cast<long long>(queued),
                  static_cast<long long>(bad));
      return bad > 0 ? 2 : 0;
    };
  });
}

}  // namespace hotline::app
