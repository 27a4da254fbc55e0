#include "fund/generator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <future>
#include <string_view>
#include <vector>

#include "core/identity_number.hpp"
#include "fund/types.hpp"

namespace hotline::fund {
namespace {

using std::chrono::days;
using std::chrono::year_month_day;

// SplitMix64: a tiny, fast, well-mixed generator; one per person, seeded from (seed, index).
class Rng {
 public:
  explicit Rng(uint64_t s) : s_(s) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
  int64_t Between(int64_t lo, int64_t hi) { return lo + Below(hi - lo + 1); }  // inclusive
  double Unit() { return static_cast<double>(Next() >> 11) / 9007199254740992.0; }
  bool Chance(double p) { return Unit() < p; }
  template <typename T, size_t N>
  const T& Pick(const std::array<T, N>& a) {
    return a[Below(N)];
  }

 private:
  uint64_t s_;
};

uint64_t Mix(uint64_t seed, uint64_t index, uint64_t stream) {
  Rng r(seed ^ (index * 0xD6E8FEB86659FD93ull) ^ (stream << 56));
  r.Next();
  return r.Next();
}

// Surnames with their approximate shares per 10,000 people (national statistics order of magnitude).
struct Weighted {
  std::string_view text;
  int weight;
};
constexpr std::array<Weighted, 60> kSurnames = {{
    {"王", 730}, {"李", 720}, {"张", 690}, {"刘", 540}, {"陈", 460}, {"杨", 320}, {"赵", 200}, {"黄", 190},
    {"周", 180}, {"吴", 150}, {"徐", 130}, {"孙", 130}, {"胡", 120}, {"朱", 110}, {"高", 110}, {"林", 100},
    {"何", 100}, {"郭", 100}, {"马", 140}, {"罗", 80},  {"梁", 70},  {"宋", 60},  {"郑", 60},  {"谢", 60},
    {"韩", 50},  {"唐", 50},  {"冯", 50},  {"于", 50},  {"董", 50},  {"萧", 40},  {"程", 40},  {"曹", 40},
    {"袁", 40},  {"邓", 40},  {"许", 40},  {"傅", 30},  {"沈", 30},  {"曾", 30},  {"彭", 30},  {"吕", 30},
    {"苏", 30},  {"卢", 30},  {"蒋", 30},  {"蔡", 30},  {"贾", 30},  {"丁", 30},  {"魏", 40},  {"薛", 30},
    {"叶", 30},  {"阎", 20},  {"余", 20},  {"潘", 20},  {"杜", 30},  {"戴", 20},  {"夏", 20},  {"钟", 20},
    {"汪", 20},  {"田", 30},  {"任", 30},  {"欧阳", 5},
}};
constexpr std::array<std::string_view, 48> kMaleChars = {
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
    "鑫", "波", "宁", "俊", "峰", "建", "国", "文", "志", "海", "东", "亮", "林", "晨", "浩", "宇",
    "博", "健", "凯", "龙", "成", "兵", "喜", "福", "祥", "瑞", "德", "荣", "兴", "陇", "泽", "轩"};
constexpr std::array<std::string_view, 48> kFemaleChars = {
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧", "萍", "红", "琳",
    "莉", "倩", "丹", "颖", "洁", "佳", "梅", "琴", "蓉", "欣", "悦", "璐", "晶", "瑶", "怡", "薇",
    "春", "秀", "英", "兰", "凤", "云", "月", "彤", "雅", "婧", "岚", "楠", "萱", "晓", "思", "梦"};

// GB/T 2260 county codes: 兰州 districts and counties first (the demo centre), then other Gansu cities.
constexpr std::array<std::string_view, 14> kRegions = {"620102", "620103", "620104", "620105", "620111",
                                                       "620121", "620122", "620123", "620402", "620502",
                                                       "620602", "620702", "621102", "622901"};

constexpr std::array<std::string_view, 20> kMobilePrefixes = {"138", "139", "136", "137", "150", "151", "152",
                                                              "158", "159", "177", "180", "181", "186", "187",
                                                              "188", "189", "133", "153", "199", "135"};

constexpr std::array<std::string_view, 24> kFirmWords = {
    "金城", "陇原", "黄河", "西北", "兰石",   "华龙", "瑞丰", "天庆", "宏达", "兴陇", "祁连", "敦煌",
    "丝路", "皋兰", "雁滩", "安宁", "七里河", "榆中", "中川", "白塔", "五泉", "庆阳", "和政", "永登"};
constexpr std::array<std::string_view, 16> kIndustries = {
    "商贸",     "建筑工程", "科技",     "物流",     "医药",     "机械制造", "餐饮管理", "房地产开发",
    "电力设备", "信息技术", "环保工程", "石化设备", "农业发展", "文化传媒", "物业管理", "汽车销售"};
constexpr std::array<std::string_view, 3> kFirmSuffixes = {"有限公司", "有限责任公司", "股份有限公司"};
constexpr std::array<std::string_view, 8> kPublicUnits = {
    "兰州市第{}中学",         "兰州市城关区第{}小学", "甘肃省第{}人民医院", "兰州市{}社区卫生服务中心",
    "兰州市第{}建筑工程公司", "兰州{}供电公司",       "甘肃省{}勘察设计院", "兰州市{}公交公司"};
constexpr std::array<std::string_view, 10> kStreets = {"庆阳路",   "张掖路",   "东岗西路", "南昌路",
                                                       "西津西路", "安宁西路", "北滨河路", "雁滩路",
                                                       "天水南路", "民主西路"};
constexpr std::array<std::string_view, 6> kWithdrawalReasons = {
    "购买自住住房提取", "租房提取", "偿还购房贷款提取", "离退休提取", "大病医疗提取", "老旧小区改造提取"};

constexpr std::string_view kSlots = "09:00-10:00,10:00-11:00,11:00-12:00,14:30-15:30,15:30-16:30,16:30-17:30";

std::string Pad(int64_t v, int width) {
  std::string s = std::to_string(v);
  return s.size() >= static_cast<size_t>(width) ? s : std::string(width - s.size(), '0') + s;
}

// FormatDate without snprintf: the generator formats tens of millions of dates.
std::string Iso(Date d) {
  year_month_day ymd{d};
  int y = static_cast<int>(ymd.year());
  unsigned m = static_cast<unsigned>(ymd.month()), day = static_cast<unsigned>(ymd.day());
  char buf[10] = {static_cast<char>('0' + y / 1000),
                  static_cast<char>('0' + y / 100 % 10),
                  static_cast<char>('0' + y / 10 % 10),
                  static_cast<char>('0' + y % 10),
                  '-',
                  static_cast<char>('0' + m / 10),
                  static_cast<char>('0' + m % 10),
                  '-',
                  static_cast<char>('0' + day / 10),
                  static_cast<char>('0' + day % 10)};
  return std::string(buf, sizeof buf);
}

std::string MonthOf(Date d) { return Iso(d).substr(0, 7); }

Date MakeDate(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d));
}

std::string Name(Rng& rng, bool male) {
  int total = 0;
  for (const auto& s : kSurnames) total += s.weight;
  int pick = static_cast<int>(rng.Below(total));
  std::string_view surname = kSurnames[0].text;
  for (const auto& s : kSurnames) {
    if (pick < s.weight) {
      surname = s.text;
      break;
    }
    pick -= s.weight;
  }
  const auto& chars = male ? kMaleChars : kFemaleChars;
  std::string name(surname);
  name += chars[rng.Below(chars.size())];
  if (rng.Chance(0.7)) name += chars[rng.Below(chars.size())];
  return name;
}

std::string Mobile(Rng& rng) { return std::string(rng.Pick(kMobilePrefixes)) + Pad(rng.Below(100000000), 8); }

// GB 32100 统一社会信用代码 check character.
std::string CreditCode(Rng& rng) {
  static constexpr std::string_view kChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  std::string code = "91620100";  // 企业, 工商登记, 兰州市
  while (code.size() < 17) code += kChars[rng.Below(kChars.size())];
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += static_cast<int>(kChars.find(code[i])) * kWeights[i];
  code += kChars[(31 - sum % 31) % 31];
  return code;
}

struct UnitRecord {
  std::string account, name, credit_code, address, contact_name, contact_mobile, status, opened_on, password;
  Date opened{};
};

UnitRecord MakeUnit(const GeneratorOptions& o, int64_t j) {
  Rng rng(Mix(o.seed, static_cast<uint64_t>(j), 7));
  UnitRecord u;
  u.account = o.number_prefix + "9" + Pad(j + 1, 5);
  if (rng.Chance(0.2)) {
    std::string pattern(rng.Pick(kPublicUnits));
    std::string n = std::to_string(rng.Between(1, 60));
    auto pos = pattern.find("{}");
    u.name = pattern.replace(pos, 2, n);
  } else {
    u.name = "兰州" + std::string(rng.Pick(kFirmWords)) + std::string(rng.Pick(kIndustries)) +
             std::string(rng.Pick(kFirmSuffixes));
  }
  u.credit_code = CreditCode(rng);
  u.address = "甘肃省兰州市" + std::string(rng.Pick(kStreets)) + std::to_string(rng.Between(1, 999)) + "号";
  u.contact_name = Name(rng, rng.Chance(0.5));
  u.contact_mobile = Mobile(rng);
  u.status = rng.Chance(0.04) ? "02" : "01";
  u.opened = MakeDate(static_cast<int>(rng.Between(1995, 2020)), static_cast<unsigned>(rng.Between(1, 12)),
                      static_cast<unsigned>(rng.Between(1, 28)));
  u.opened_on = Iso(u.opened);
  u.password = DemoPassword(o.seed, j, true);
  return u;
}

struct Event {
  std::string kind;
  Date on{};
  Fen amount = 0, balance_after = 0;
  std::string note;
};

struct LoanRecord {
  std::string number;
  Fen principal = 0;
  int years = 0, periods = 0, remaining = 0;
  Fen monthly = 0, last_amount = 0, balance = 0;
  std::optional<Date> last_on;
  int overdue = 0;
  Fen overdue_amount = 0;
  std::string status;
  Date started{};
};

struct ProgressRecord {
  std::string kind, reference, stage, detail;
  Date updated{};
};

struct PersonRecord {
  DemoCaller caller;
  int64_t unit_index = 0;
  std::string status = "01";
  Fen balance = 0, monthly = 0, base = 0;
  int rate = 120;
  std::string last_paid_month;
  Date opened{};
  std::vector<Event> events;
  std::vector<LoanRecord> loans;
  std::vector<ProgressRecord> progress;
};

// Birth dates 1962-01-01 … 2003-12-31: depositors of working age.
const Date kBirthFirst = MakeDate(1962, 1, 1);
const int64_t kBirthDays = (MakeDate(2003, 12, 31) - MakeDate(1962, 1, 1)).count() + 1;

// Person `index` → (region, birth date, sequence): a bijection of [0, S) with S = regions × days × 999, so
// citizen ids never repeat within a run.
std::string CitizenIdOf(uint64_t seed, int64_t index) {
  const uint64_t s = kRegions.size() * static_cast<uint64_t>(kBirthDays) * 999;  // sequences 001…999
  const uint64_t a = 1000003;                                                    // prime, coprime with s
  uint64_t x = static_cast<uint64_t>(
      (static_cast<unsigned __int128>(a) * static_cast<uint64_t>(index) + seed % s) % s);
  uint64_t region = x % kRegions.size();
  uint64_t day = (x / kRegions.size()) % static_cast<uint64_t>(kBirthDays);
  uint64_t sequence = x / (kRegions.size() * static_cast<uint64_t>(kBirthDays)) + 1;
  std::string birth = Iso(kBirthFirst + days(day));
  std::string first17 = std::string(kRegions[region]) + birth.substr(0, 4) + birth.substr(5, 2) +
                        birth.substr(8, 2) + Pad(static_cast<int64_t>(sequence), 3);
  return first17 + CitizenIdCheckChar(first17);
}

// 等额本息 monthly payment at the five-year-plus first-home rate (2.85 %/year).
Fen MonthlyPayment(Fen principal, int periods) {
  double r = 0.0285 / 12;
  double p = static_cast<double>(principal) * r * std::pow(1 + r, periods) / (std::pow(1 + r, periods) - 1);
  return static_cast<Fen>(std::llround(p));
}
Fen RemainingBalance(Fen principal, int periods, int paid) {
  double r = 0.0285 / 12;
  double m = static_cast<double>(MonthlyPayment(principal, periods));
  double b = static_cast<double>(principal) * std::pow(1 + r, paid) - m * (std::pow(1 + r, paid) - 1) / r;
  return std::max<Fen>(0, static_cast<Fen>(std::llround(b)));
}

PersonRecord MakePerson(const GeneratorOptions& o, int64_t i) {
  Rng rng(Mix(o.seed, static_cast<uint64_t>(i), 1));
  PersonRecord p;
  DemoCaller& c = p.caller;
  c.citizen_id = CitizenIdOf(o.seed, i);
  bool male = (c.citizen_id[16] - '0') % 2 == 1;
  c.name = Name(rng, male);
  c.account_number = o.number_prefix + Pad(i + 1, 8);
  if (rng.Chance(0.8)) {
    std::string card = "621799" + o.number_prefix + Pad(i + 1, 8);
    c.card_number = card + LuhnCheckDigit(card);
  }
  c.mobile = Mobile(rng);
  c.password = DemoPassword(o.seed, i);
  p.unit_index = rng.Below(o.units);
  c.unit_account = o.number_prefix + "9" + Pad(p.unit_index + 1, 5);
  c.unit_password = DemoPassword(o.seed, p.unit_index, true);

  // Opening date: 2004 … as_of − 2 months, more recent ones likelier.
  const Date first_open = MakeDate(2004, 1, 1);
  int64_t span = std::max<int64_t>(1, (o.as_of - days(60) - first_open).count());
  double u = rng.Unit();
  p.opened = first_open + days(static_cast<int64_t>(static_cast<double>(span) * std::sqrt(u)));
  year_month_day open_ymd{p.opened};
  p.opened = MakeDate(static_cast<int>(open_ymd.year()), static_cast<unsigned>(open_ymd.month()), 1) +
             days(rng.Below(28));

  // Deposit base in yuan (缴存基数), skewed: most near the local average, a tail up to the cap.
  double z = rng.Unit();
  Fen base = static_cast<Fen>(2500 + 22000 * z * z * z + rng.Below(2500)) * 100;
  static constexpr std::array<int, 6> kRates = {120, 120, 120, 100, 80, 50};
  p.rate = rng.Pick(kRates);

  // Status: most normal; some sealed (封存), frozen, or closed (销户) at a date in the past.
  std::string final_status = "01";
  double s = rng.Unit();
  if (s < 0.08)
    final_status = "02";
  else if (s < 0.095)
    final_status = "06";
  else if (s < 0.12)
    final_status = "05";
  else if (s < 0.13)
    final_status = "04";
  else if (s < 0.135)
    final_status = "03";
  std::optional<Date> change_on;
  if (final_status != "01") {
    int64_t life = (o.as_of - p.opened).count();
    if (life > 200)
      change_on = p.opened + days(100 + rng.Below(life - 100));
    else
      final_status = "01";
  }

  // Month by month from the opening month to the month before as_of.
  year_month_day cur{p.opened};
  year_month_day end{o.as_of};
  int y = static_cast<int>(cur.year());
  unsigned m = static_cast<unsigned>(cur.month());
  const int end_y = static_cast<int>(end.year());
  const unsigned end_m = static_cast<unsigned>(end.month());
  const Date history_from = o.as_of - days(3 * 366);  // keep three years of dated events
  std::vector<Event> deposits;                        // the last six
  Fen balance = 0;
  Fen monthly = base * p.rate / 1000 * 2;
  bool active = true;
  std::string last_paid;
  while (y < end_y || (y == end_y && m < end_m)) {
    Date month_start = MakeDate(y, m, 1);
    if (m == 7 && month_start > p.opened) {  // 年度基数调整 each July
      base = base * (1000 + rng.Between(0, 80)) / 1000 / 100 * 100;
      monthly = base * p.rate / 1000 * 2;
      if (active && month_start >= history_from) p.events.push_back({"base", month_start, base, monthly, ""});
    }
    if (active && change_on && month_start >= *change_on) {
      active = false;
      std::string reason = final_status == "02"   ? "单位转出，个人账户封存"
                           : final_status == "06" ? "司法冻结"
                           : final_status == "05" ? "离退休提取销户"
                           : final_status == "04" ? "异地转出销户"
                                                  : "重复账户合并销户";
      if (final_status == "05" || final_status == "04" || final_status == "03") {
        if (final_status == "05") p.events.push_back({"withdrawal", *change_on, balance, 0, "离退休提取"});
        balance = 0;
      }
      p.events.push_back({"status", *change_on, 0, balance, "01>" + final_status + " " + reason});
    }
    if (active) {
      Date paid_on = MakeDate(y, m, 10 + static_cast<unsigned>(rng.Below(15)));
      balance += monthly;
      last_paid = Iso(month_start).substr(0, 7);
      deposits.push_back({"deposit", paid_on, monthly, balance, last_paid});
      if (deposits.size() > 6) deposits.erase(deposits.begin());
      if (rng.Chance(0.004) && balance > 1000000) {  // occasional withdrawal
        Fen amount = balance * rng.Between(30, 90) / 100 / 100 * 100;
        balance -= amount;
        Date on = MakeDate(y, m, 25);
        p.events.push_back({"withdrawal", on, amount, balance, std::string(rng.Pick(kWithdrawalReasons))});
      }
    }
    if (m == 6 && balance > 0) {  // 结息 on 30 June: 1.5 % a year
      Fen interest = balance * 15 / 1000;
      balance += interest;
      Date on = MakeDate(y, 6, 30);
      if (on >= history_from) p.events.push_back({"interest", on, interest, balance, ""});
    }
    if (++m == 13) {
      m = 1;
      ++y;
    }
  }
  for (auto& d : deposits) p.events.push_back(std::move(d));
  p.status = final_status;
  p.balance = balance;
  p.base = base;
  p.monthly = monthly;
  p.last_paid_month = last_paid.empty() ? MonthOf(p.opened) : last_paid;
  // Drop events before the history window (the status change and big withdrawals stay).
  std::erase_if(p.events, [&](const Event& e) { return e.on < history_from && e.kind != "status"; });

  // Loans for some depositors of at least a year.
  if (p.status == "01" && (o.as_of - p.opened).count() > 365 && rng.Chance(0.15)) {
    LoanRecord l;
    l.number = "D" + o.number_prefix + Pad(i + 1, 9);
    l.principal = rng.Between(15, 60) * 1000000;  // 150,000 … 600,000 yuan
    static constexpr std::array<int, 5> kYears = {10, 15, 20, 25, 30};
    l.years = rng.Pick(kYears);
    l.periods = l.years * 12;
    int64_t max_paid =
        std::min<int64_t>(l.periods - 1, std::max<int64_t>(1, (o.as_of - p.opened).count() / 31 - 6));
    int paid = static_cast<int>(rng.Between(1, max_paid));
    year_month_day asof{o.as_of};
    Date this_month = MakeDate(static_cast<int>(asof.year()), static_cast<unsigned>(asof.month()), 1);
    l.started = this_month - days(31 * paid) + days(rng.Below(20));
    l.monthly = MonthlyPayment(l.principal, l.periods);
    l.overdue = rng.Chance(0.03) ? static_cast<int>(rng.Between(1, 3)) : 0;
    int made = std::max(0, paid - l.overdue);
    l.remaining = l.periods - made;
    l.balance = RemainingBalance(l.principal, l.periods, made);
    l.overdue_amount = l.monthly * l.overdue;
    year_month_day last{this_month - days(1 + 31 * l.overdue)};
    l.last_on = MakeDate(static_cast<int>(last.year()), static_cast<unsigned>(last.month()), 20);
    l.last_amount = l.monthly;
    l.status = "repaying";
    p.loans.push_back(std::move(l));
  }
  // Business in progress.
  Date recent = o.as_of - days(rng.Below(20));
  std::string ref_day = Iso(recent);
  ref_day.erase(std::remove(ref_day.begin(), ref_day.end(), '-'), ref_day.end());
  if (p.loans.empty() && p.status == "01" && rng.Chance(0.04)) {
    static constexpr std::array<std::string_view, 4> kStages = {"受理", "审核", "审批", "放款"};
    static constexpr std::array<std::string_view, 4> kDetails = {"已受理，等待资料审核", "资料审核中",
                                                                 "已提交贷款审批", "审批通过，等待银行放款"};
    int k = static_cast<int>(rng.Below(4));
    p.progress.push_back({"loan_application", "DK" + ref_day + Pad(i % 1000000, 6), std::string(kStages[k]),
                          std::string(kDetails[k]), recent});
  }
  if (rng.Chance(0.04)) {
    bool done = rng.Chance(0.5);
    p.progress.push_back({"withdrawal", "TQ" + ref_day + Pad(i % 1000000, 6), done ? "办结" : "审核",
                          done ? "提取款已转入本人银行卡" : "提取申请审核中，预计 3 个工作日内到账", recent});
  }
  if (rng.Chance(0.01))
    p.progress.push_back({"complaint", "WQ" + ref_day + Pad(i % 1000000, 6), "处理中",
                          "单位未足额缴存的投诉已转稽查科核查", recent});
  return p;
}

// A multi-row INSERT with `rows` rows of `cols` columns: "INSERT INTO t (cols) VALUES ($1,…),(…)".
std::string MultiInsert(std::string_view head, int cols, int rows) {
  std::string sql(head);
  sql += " VALUES ";
  int n = 1;
  for (int r = 0; r < rows; ++r) {
    sql += r ? ",(" : "(";
    for (int c = 0; c < cols; ++c) {
      if (c) sql += ',';
      sql += '$';
      sql += std::to_string(n++);
    }
    sql += ')';
  }
  return sql;
}

// Rows per multi-row INSERT. Small on purpose: SQLite looks up a named parameter's number in a list
// (sqlite3_bind_parameter_name is linear), so binding cost grows with the square of the parameters per
// statement; a few rows per statement keep most of the benefit of multi-row inserts without that.
constexpr int kPersonRows = 4;
constexpr int kHistoryRows = 12;

// Buffers rows of one table and writes them in multi-row statements.
class Batch {
 public:
  Batch(std::string head, int cols, int rows_per_statement)
      : head_(std::move(head)),
        cols_(cols),
        per_(rows_per_statement),
        full_sql_(MultiInsert(head_, cols, per_)) {}
  Status Add(store::Session& s, store::Params row) {
    for (auto& v : row) params_.push_back(std::move(v));
    if (++rows_ == per_) return Flush(s);
    return OkStatus();
  }
  Status Flush(store::Session& s) {
    if (rows_ == 0) return OkStatus();
    std::string partial;
    const std::string& sql = rows_ == per_ ? full_sql_ : (partial = MultiInsert(head_, cols_, rows_));
    auto r = s.Query(sql, params_);
    params_.clear();
    rows_ = 0;
    if (!r.ok()) return r.take_error();
    return OkStatus();
  }

 private:
  std::string head_;
  int cols_, per_;
  std::string full_sql_;
  store::Params params_;
  int rows_ = 0;
};

std::string Salt(Rng& rng) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s(16, '0');
  for (auto& ch : s) ch = kHex[rng.Below(16)];
  return s;
}

struct UnitTotals {
  int64_t people = 0;
  Fen monthly = 0, balance = 0;
  std::string last_paid;
};

// One person as rows ready to insert (built on the preparing thread).
struct PreparedPerson {
  store::Params person;
  std::vector<store::Params> history, loans, progress;
  int64_t unit_index = 0;
  bool active = false;
  Fen monthly = 0, balance = 0;
  std::string last_paid_month;
};

PreparedPerson Prepare(const GeneratorOptions& o, const PinHasher& pins, int64_t i, int64_t id,
                       int64_t unit_base) {
  PersonRecord p = MakePerson(o, i);
  Rng salt_rng(Mix(o.seed, static_cast<uint64_t>(i), 4));
  std::string salt = Salt(salt_rng);
  const DemoCaller& c = p.caller;
  PreparedPerson out;
  out.person = {id,
                o.center_code,
                c.account_number,
                c.citizen_id,
                c.card_number,
                c.name,
                c.mobile,
                unit_base + p.unit_index,
                p.status,
                p.balance,
                p.monthly,
                p.last_paid_month,
                p.base,
                p.rate,
                p.rate,
                Iso(p.opened),
                salt,
                pins.Hash(salt, c.password)};
  int seq = 0;
  for (const Event& e : p.events)
    out.history.push_back({id, e.kind, Iso(e.on), seq++, e.amount, e.balance_after, e.note});
  for (const LoanRecord& l : p.loans)
    out.loans.push_back({id, l.number, l.principal, l.years, l.periods, l.remaining, l.monthly,
                         l.last_on ? store::Value(Iso(*l.last_on)) : store::Value(), l.last_amount, l.balance,
                         l.overdue, l.overdue_amount, l.status, Iso(l.started)});
  for (const ProgressRecord& pr : p.progress)
    out.progress.push_back({"person", id, pr.kind, pr.reference, pr.stage, pr.detail, Iso(pr.updated)});
  out.unit_index = p.unit_index;
  out.active = p.status == "01";
  out.monthly = p.monthly;
  out.balance = p.balance;
  out.last_paid_month = p.last_paid_month;
  return out;
}

}  // namespace

std::string DemoPassword(uint64_t seed, int64_t index, bool unit) {
  Rng rng(Mix(seed, static_cast<uint64_t>(index), unit ? 3 : 2));
  return Pad(static_cast<int64_t>(rng.Below(1000000)), 6);
}

DemoCaller DescribePerson(const GeneratorOptions& options, int64_t index) {
  return MakePerson(options, index).caller;
}

Result<GeneratorOptions> LoadGeneratorOptions(store::Database& db, std::string_view center_code) {
  HOTLINE_ASSIGN_OR_RETURN(
      auto r, db.Query("SELECT * FROM fund_generations WHERE center_code = $1", {std::string(center_code)}));
  if (r.empty())
    return Error::NotFound("中心 " + std::string(center_code) +
                           " 没有生成的演示数据（hotline fund generate）");
  GeneratorOptions o;
  o.center_code = std::string(center_code);
  o.number_prefix = r.At(0, "number_prefix").AsText();
  o.people = r.At(0, "people").AsInt();
  o.units = r.At(0, "units").AsInt();
  o.seed = std::stoull(r.At(0, "seed").AsText());
  ParseDate(r.At(0, "as_of").AsText(), &o.as_of);
  return o;
}

Result<GenerateReport> Generate(store::Database& db, const PinHasher& pins, const GeneratorOptions& o,
                                const GenerateProgress& progress) {
  if (o.people < 1 || o.people > 50000000)
    return Error::InvalidArgument("invalid_field", "--people 须在 1…50,000,000 之间");
  if (o.units < 1 || o.units > 99999)
    return Error::InvalidArgument("invalid_field", "--units 须在 1…99,999 之间");
  if (o.number_prefix.size() != 4 || !std::all_of(o.number_prefix.begin(), o.number_prefix.end(),
                                                  [](char ch) { return ch >= '0' && ch <= '9'; }))
    return Error::InvalidArgument("invalid_field", "账号前缀须为 4 位数字");
  if (o.as_of.time_since_epoch().count() == 0)
    return Error::InvalidArgument("invalid_field", "缺少数据截止日期");
  HOTLINE_ASSIGN_OR_RETURN(
      auto existing, db.Query("SELECT COUNT(*) FROM fund_persons WHERE center_code = $1", {o.center_code}));
  if (existing.rows[0][0].AsInt() > 0)
    return Error::Conflict("fund_data_exists", "中心 " + o.center_code + " 已有公积金数据：请在空的中心生成");
  HOTLINE_ASSIGN_OR_RETURN(auto ids, db.Query("SELECT COALESCE(MAX(id), 0) FROM fund_persons", {}));
  const int64_t person_base = ids.rows[0][0].AsInt() + 1;
  HOTLINE_ASSIGN_OR_RETURN(auto unit_ids, db.Query("SELECT COALESCE(MAX(id), 0) FROM fund_units", {}));
  const int64_t unit_base = unit_ids.rows[0][0].AsInt() + 1;

  GenerateReport report;
  std::vector<UnitTotals> totals(static_cast<size_t>(o.units));
  // Two stages on two threads: the next chunk of people is derived (names, ids, histories, hashes, every
  // value formatted) while the current one is written in its own transaction.
  auto prepare = [&o, &pins, person_base, unit_base](int64_t start, int64_t stop) {
    std::vector<PreparedPerson> chunk;
    chunk.reserve(static_cast<size_t>(stop - start));
    for (int64_t i = start; i < stop; ++i) chunk.push_back(Prepare(o, pins, i, person_base + i, unit_base));
    return chunk;
  };
  std::future<std::vector<PreparedPerson>> next =
      std::async(std::launch::async, prepare, int64_t{0}, std::min(o.people, o.commit_every));
  for (int64_t start = 0; start < o.people; start += o.commit_every) {
    int64_t stop = std::min(o.people, start + o.commit_every);
    std::vector<PreparedPerson> chunk = next.get();
    if (stop < o.people)
      next = std::async(std::launch::async, prepare, stop, std::min(o.people, stop + o.commit_every));
    Status written = db.Transaction([&](store::Session& s) -> Status {
      Batch persons(
          "INSERT INTO fund_persons (id, center_code, account_number, citizen_id, card_number, name, mobile, "
          "unit_id, status, balance, monthly_deposit, last_paid_month, deposit_base, person_rate, unit_rate, "
          "opened_on, pw_salt, pw_hash)",
          18, kPersonRows);
      Batch history("INSERT INTO fund_history (person_id, kind, on_date, seq, amount, balance_after, note)",
                    7, kHistoryRows);
      Batch loans(
          "INSERT INTO fund_loans (person_id, loan_number, principal, years, periods, remaining_periods, "
          "monthly_payment, last_payment_on, last_payment_amount, balance, overdue_periods, overdue_amount, "
          "status, started_on)",
          14, kPersonRows);
      Batch progress_rows(
          "INSERT INTO fund_progress (subject_type, subject_id, kind, reference, stage, detail, "
          "updated_on)",
          7, kHistoryRows);
      for (PreparedPerson& p : chunk) {
        HOTLINE_RETURN_IF_ERROR(persons.Add(s, std::move(p.person)));
        for (auto& row : p.history) HOTLINE_RETURN_IF_ERROR(history.Add(s, std::move(row)));
        for (auto& row : p.loans) HOTLINE_RETURN_IF_ERROR(loans.Add(s, std::move(row)));
        for (auto& row : p.progress) HOTLINE_RETURN_IF_ERROR(progress_rows.Add(s, std::move(row)));
      }
      HOTLINE_RETURN_IF_ERROR(persons.Flush(s));
      HOTLINE_RETURN_IF_ERROR(history.Flush(s));
      HOTLINE_RETURN_IF_ERROR(loans.Flush(s));
      return progress_rows.Flush(s);
    });
    if (!written.ok()) {
      if (next.valid()) next.wait();  // let the preparing thread finish before its captures go away
      return written.take_error();
    }
    for (const PreparedPerson& p : chunk) {
      report.history_rows += static_cast<int64_t>(p.history.size());
      report.loans += static_cast<int64_t>(p.loans.size());
      UnitTotals& t = totals[static_cast<size_t>(p.unit_index)];
      if (p.active) {
        ++t.people;
        t.monthly += p.monthly;
        if (p.last_paid_month > t.last_paid) t.last_paid = p.last_paid_month;
      }
      t.balance += p.balance;
    }
    report.people = stop;
    if (progress) progress(stop);
  }

  // Units, their changes and progress, branches and queues: one transaction.
  HOTLINE_RETURN_IF_ERROR(db.Transaction([&](store::Session& s) -> Status {
    Batch units(
        "INSERT INTO fund_units (id, center_code, unit_account, name, credit_code, address, contact_name, "
        "contact_mobile, status, person_count, monthly_deposit, last_paid_month, balance, opened_on, "
        "pw_salt, "
        "pw_hash)",
        16, kPersonRows);
    Batch changes("INSERT INTO fund_unit_history (unit_id, on_date, kind, amount, person_count, note)", 6,
                  kHistoryRows);
    Batch progress_rows(
        "INSERT INTO fund_progress (subject_type, subject_id, kind, reference, stage, detail, updated_on)", 7,
        kHistoryRows);
    for (int64_t j = 0; j < o.units; ++j) {
      UnitRecord u = MakeUnit(o, j);
      const UnitTotals& t = totals[static_cast<size_t>(j)];
      Rng rng(Mix(o.seed, static_cast<uint64_t>(j), 5));
      std::string salt = Salt(rng);
      const int64_t id = unit_base + j;
      std::string last_paid = t.last_paid.empty() ? Iso(u.opened).substr(0, 7) : t.last_paid;
      HOTLINE_RETURN_IF_ERROR(
          units.Add(s, {id, o.center_code, u.account, u.name, u.credit_code, u.address, u.contact_name,
                        u.contact_mobile, u.status, t.people, t.monthly, last_paid, t.balance, u.opened_on,
                        salt, pins.Hash(salt, u.password)}));
      // The last six monthly remittances (汇缴) and an occasional transfer or suspension.
      year_month_day asof{o.as_of};
      for (int k = 6; k >= 1 && t.people > 0; --k) {
        Date month_start =
            MakeDate(static_cast<int>(asof.year()), static_cast<unsigned>(asof.month()), 1) - days(31 * k);
        year_month_day ym{month_start};
        Date on = MakeDate(static_cast<int>(ym.year()), static_cast<unsigned>(ym.month()), 15);
        HOTLINE_RETURN_IF_ERROR(
            changes.Add(s, {id, Iso(on), "deposit", t.monthly, t.people, MonthOf(on) + " 汇缴"}));
      }
      if (rng.Chance(0.3)) {
        Date on = o.as_of - days(rng.Between(10, 300));
        int n = static_cast<int>(rng.Between(1, 3));
        bool in = rng.Chance(0.5);
        HOTLINE_RETURN_IF_ERROR(changes.Add(s, {id, Iso(on), in ? "transfer_in" : "transfer_out", 0, n,
                                                in ? "新入职职工账户转入" : "离职职工账户转出"}));
      }
      if (u.status == "02") {
        Date on = o.as_of - days(rng.Between(30, 400));
        HOTLINE_RETURN_IF_ERROR(
            changes.Add(s, {id, Iso(on), "suspension", 0, t.people, "单位申请缓缴，账户封存"}));
      }
      // 年度基数调整 each July; a day-to-day base change (日常基数变更) for some.
      if (rng.Chance(0.15)) {
        bool done = rng.Chance(0.6);
        HOTLINE_RETURN_IF_ERROR(progress_rows.Add(
            s, {"unit", id, "unit_annual_base", "JS" + Pad(j + 1, 8), done ? "办结" : "审核",
                done ? "年度缴存基数调整已生效" : "年度基数调整申报已受理，正在审核",
                Iso(o.as_of - days(rng.Below(60)))}));
      }
      if (rng.Chance(0.1))
        HOTLINE_RETURN_IF_ERROR(
            progress_rows.Add(s, {"unit", id, "unit_base_change", "BG" + Pad(j + 1, 8), "受理",
                                  "职工缴存基数变更已受理", Iso(o.as_of - days(rng.Below(20)))}));
    }
    HOTLINE_RETURN_IF_ERROR(units.Flush(s));
    HOTLINE_RETURN_IF_ERROR(changes.Flush(s));
    HOTLINE_RETURN_IF_ERROR(progress_rows.Flush(s));

    // 业务网点 and their queues.
    struct BranchSeed {
      const char* code;
      const char* name;
      const char* address;
    };
    static constexpr BranchSeed kLanzhou[] = {
        {"CG", "城关区服务大厅", "兰州市城关区庆阳路 77 号"},
        {"QLH", "七里河区服务部", "兰州市七里河区西津西路 16 号"},
        {"AN", "安宁区服务部", "兰州市安宁区安宁西路 588 号"},
        {"XG", "西固区服务部", "兰州市西固区福利西路 339 号"},
    };
    HOTLINE_ASSIGN_OR_RETURN(auto bids, s.Query("SELECT COALESCE(MAX(id), 0) FROM fund_branches", {}));
    int64_t branch_id = bids.rows[0][0].AsInt();
    Rng rng(Mix(o.seed, 0, 6));
    for (const auto& b : kLanzhou) {
      ++branch_id;
      std::string code = o.number_prefix + "-" + b.code;
      HOTLINE_ASSIGN_OR_RETURN(
          auto ins,
          s.Query("INSERT INTO fund_branches (id, center_code, code, name, address, slots, slot_capacity) "
                  "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (center_code, code) DO NOTHING",
                  {branch_id, o.center_code, code, std::string(b.name), std::string(b.address),
                   std::string(kSlots), int64_t{20}}));
      if (ins.affected_rows == 0) continue;
      ++report.branches;
      int serving = static_cast<int>(rng.Between(1, 120));
      HOTLINE_RETURN_IF_ERROR(
          s.Query("INSERT INTO fund_queue (branch_id, serving_number, waiting, minutes_per_person, "
                  "updated_at) VALUES "
                  "($1, $2, $3, $4, $5) ON CONFLICT (branch_id) DO NOTHING",
                  {branch_id, "A" + Pad(serving, 3), rng.Between(0, 25), int64_t{6},
                   ToEpochMillis(TimeZone::Shanghai().StartOfDay(o.as_of)) + 9 * 3600 * 1000}));
    }
    // What this data came from, so `hotline fund demo-caller` can re-derive any caller (seed as text: u64).
    HOTLINE_RETURN_IF_ERROR(
        s.Query("INSERT INTO fund_generations (center_code, number_prefix, people, units, seed, as_of, "
                "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                {o.center_code, o.number_prefix, o.people, o.units, std::to_string(o.seed), Iso(o.as_of),
                 ToEpochMillis(TimeZone::Shanghai().StartOfDay(o.as_of))}));
    return OkStatus();
  }));
  report.units = o.units;
  return report;
}

}  // namespace hotline::fund
