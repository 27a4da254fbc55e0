// Provident-fund benchmark (issue 3 performance targets): the demo data generator writes 1,000,000 people
// into SQLite in under 2 minutes, and embedded lookups after verification answer with p99 < 2 ms. Prints a
// Markdown section for docs/PERFORMANCE.md "Provident-fund data". Run by hand on an otherwise idle machine:
//
//   build/release/bench/fund_bench [--people N] [--units M] [--db PATH] [--iterations N]
//
// Method: a fresh SQLite file (WAL, synchronous=FULL: the server's defaults), migrated like `hotline
// migrate`; `fund::Generate` exactly as `hotline fund generate` runs it (seed 12329, as-of 2026-11-01).
// Then, for --iterations random people (default 2,000), after one warm-up: IdentityVerifier::Verify with
// the account number (IVR channel), and through FundService (context resolved, audit entry appended, the
// code the API and IVR run): Account, Deposits (12 newest), Loans; plus the bare port read
// (EmbeddedFundPort::GetPersonAccount) for comparison. Percentiles are over all calls of each kind.
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/utsname.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "calendar/calendar_store.hpp"
#include "fund/embedded_fund_port.hpp"
#include "fund/fund_service.hpp"
#include "fund/generator.hpp"
#include "org/org_directory.hpp"
#include "store/migrations.hpp"

using namespace hotline;
using Steady = std::chrono::steady_clock;

namespace {

std::string Machine() {
  utsname u{};
  uname(&u);
  std::ifstream cpu("/proc/cpuinfo");
  std::string line, model = "unknown CPU";
  while (std::getline(cpu, line))
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  return std::string(u.sysname) + " " + u.release + ", " + model + ", " +
         std::to_string(std::thread::hardware_concurrency()) + " cores";
}

// CPU seconds (user + system, all threads) used by this process so far.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double LoadAverage() {
  std::ifstream in("/proc/loadavg");
  double l = 0;
  in >> l;
  return l;
}

struct Stats {
  std::vector<double> ms;
  void Add(Steady::time_point start) {
    ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - start).count());
  }
  double P(double q) {
    if (ms.empty()) return 0;
    std::sort(ms.begin(), ms.end());
    return ms[std::min(ms.size() - 1, static_cast<size_t>(q * static_cast<double>(ms.size())))];
  }
};

}  // namespace

int main(int argc, char** argv) {
  int64_t people = 1000000, units = 20000;
  int iterations = 2000;
  std::string path = "var/fund_bench.db";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--people")
      people = std::stoll(argv[i + 1]);
    else if (a == "--units")
      units = std::stoll(argv[i + 1]);
    else if (a == "--iterations")
      iterations = std::stoi(argv[i + 1]);
    else if (a == "--db")
      path = argv[i + 1];
  }
  spdlog::set_level(spdlog::level::warn);
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto db = store::Database::Open({.url = "sqlite:" + path});
  if (!db.ok()) return std::fprintf(stderr, "%s\n", db.error().message.c_str()), 1;
  const store::ModuleMigrations modules[] = {org::kOrgMigrations, calendar::kCalendarMigrations,
                                             fund::kFundMigrations};
  if (!store::Migrate(**db, modules).ok()) return 1;
  SystemClock clock;
  org::OrgDirectory orgs(**db, clock);
  (void)orgs.Create({.code = "MOHURD", .name = "住房和城乡建设部", .level = org::OrgLevel::kMinistry});
  (void)orgs.Create({.code = "GS",
                     .name = "甘肃省住房和城乡建设厅",
                     .level = org::OrgLevel::kProvince,
                     .parent_code = "MOHURD"});
  (void)orgs.Create({.code = "GS-LZ",
                     .name = "兰州住房公积金管理中心",
                     .level = org::OrgLevel::kCenter,
                     .parent_code = "GS"});
  org::Org lz = *orgs.FindByCode("GS-LZ");
  auto pins = *fund::PinHasher::Create(std::string(32, 'b'));

  fund::GeneratorOptions o{.center_code = "GS-LZ", .people = people, .units = units, .seed = 12329};
  ParseDate("2026-11-01", &o.as_of);
  auto t0 = Steady::now();
  double cpu0 = CpuSeconds();
  auto report = fund::Generate(**db, pins, o, [&](int64_t done) {
    std::fprintf(stderr, "\r  %lld / %lld", static_cast<long long>(done), static_cast<long long>(people));
  });
  double gen_s = std::chrono::duration<double>(Steady::now() - t0).count();
  double gen_cpu = CpuSeconds() - cpu0;
  double load = LoadAverage();
  std::fprintf(stderr, "\n");
  if (!report.ok()) return std::fprintf(stderr, "%s\n", report.error().message.c_str()), 1;
  (void)(*db)->Query("ANALYZE", {});
  auto size = std::filesystem::file_size(path);

  org::AuditLog audit(**db, clock);
  calendar::CalendarStore calendar(**db, clock);
  SecureRandom random;
  fund::EmbeddedFundPort port(**db, pins, clock);
  fund::IdentityVerifier verifier(**db, port, pins, audit, clock, random, {});
  fund::FundService service(port, verifier, audit, calendar, clock);
  fund::Access ivr{.actor = org::Actor::ForSystem(org::SystemPrincipal::kIvr, lz, "bench")};

  std::mt19937_64 rng(7);
  Stats verify, account, deposits, loans, bare;
  int failures = 0;
  for (int i = 0; i <= iterations; ++i) {
    int64_t index = static_cast<int64_t>(rng() % static_cast<uint64_t>(people));
    fund::DemoCaller c = fund::DescribePerson(o, index);
    bool warm = i == 0;
    auto s = Steady::now();
    auto ctx = verifier.Verify(ivr, {.login_id = c.account_number, .password = c.password});
    if (!warm) verify.Add(s);
    if (!ctx.ok()) {
      ++failures;
      continue;
    }
    s = Steady::now();
    failures += !service.Account(ivr, ctx->token).ok();
    if (!warm) account.Add(s);
    s = Steady::now();
    failures += !service.Deposits(ivr, ctx->token, {.limit = 12}).ok();
    if (!warm) deposits.Add(s);
    s = Steady::now();
    failures += !service.Loans(ivr, ctx->token).ok();
    if (!warm) loans.Add(s);
    s = Steady::now();
    failures += !port.GetPersonAccount(ctx->subject).ok();
    if (!warm) bare.Add(s);
  }

  std::time_t now = std::time(nullptr);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%d", std::gmtime(&now));
  std::printf("### fund_bench, %s\n\nMachine: %s. SQLite file %s (%.0f MiB after ANALYZE).\n\n", date,
              Machine().c_str(), path.c_str(), static_cast<double>(size) / (1 << 20));
  std::printf(
      "Generator: %lld people, %lld units, %lld loans, %lld history rows in **%.1f s** wall (%.0f people/s), "
      "%.1f s CPU (user + system, both threads); 1-minute load average at the end %.1f.\n\n",
      static_cast<long long>(report->people), static_cast<long long>(report->units),
      static_cast<long long>(report->loans), static_cast<long long>(report->history_rows), gen_s,
      static_cast<double>(report->people) / gen_s, gen_cpu, load);
  std::printf(
      "Lookups, %d random people (failures: %d):\n\n| call | p50 ms | p99 ms | max ms |\n|---|---|---|---|\n",
      iterations, failures);
  auto row = [](const char* name, Stats& s) {
    std::printf("| %s | %.3f | %.3f | %.3f |\n", name, s.P(0.5), s.P(0.99), s.P(1.0));
  };
  row("Verify (account number + password, lockout table, context insert, audit)", verify);
  row("FundService::Account (context, read, audit)", account);
  row("FundService::Deposits, 12 newest (context, read, audit)", deposits);
  row("FundService::Loans (context, read, audit)", loans);
  row("EmbeddedFundPort::GetPersonAccount (read only)", bare);
  return failures == 0 ? 0 : 1;
}
