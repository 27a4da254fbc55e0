// hotline fund generate|demo-caller — the embedded core system's demo data (fund/generator.hpp).
//   generate     writes N depositors and M units for a centre, deterministically from --seed, with a progress
//   bar; demo-caller  prints what a tester needs to call in as person I of a centre's generated data: login
//   ids and
//                the demo query password (re-derived from the recorded seed, never read from the database,
//                which holds only keyed hashes). Demo data only: real data has no derivable passwords.
#include <chrono>
#include <cstdio>

#include "app/cli.hpp"
#include "app/progress.hpp"
#include "fund/generator.hpp"

namespace hotline::app {

void AddFundCommands(CLI::App& cli, CliContext& ctx) {
  auto* fund =
      cli.add_subcommand("fund", "provident-fund data (公积金数据): demo data generator, demo callers");
  fund->require_subcommand(1);

  struct GenerateArgs {
    std::string center = "GS-LZ", prefix = "6201", as_of;
    int64_t people = 1000, units = 50;
    uint64_t seed = 12329;
  };
  static GenerateArgs ga;
  auto* gen = fund->add_subcommand(
      "generate", "generate a centre's depositors, units, loans and histories (deterministic)");
  gen->add_option("--people", ga.people, "depositors (1–50,000,000)")->capture_default_str();
  gen->add_option("--units", ga.units, "depositing units (1–99,999)")->capture_default_str();
  gen->add_option("--seed", ga.seed, "the same seed gives the same data")->capture_default_str();
  gen->add_option("--center", ga.center, "the centre's org code")->capture_default_str();
  gen->add_option("--prefix", ga.prefix, "four digits starting every account number of this centre")
      ->capture_default_str();
  gen->add_option("--as-of", ga.as_of, "the data's today, YYYY-MM-DD (default: today)");
  ctx.AddConfigOption(gen);
  gen->callback([&ctx] {
    ctx.run = [&ctx] {
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      auto org = app->orgs().FindByCode(ga.center);
      if (!org.ok())
        return PrintError(Error::InvalidArgument("invalid_field", "--center: 没有机构 " + ga.center), 2);
      fund::GeneratorOptions o{.center_code = ga.center,
                               .number_prefix = ga.prefix,
                               .people = ga.people,
                               .units = ga.units,
                               .seed = ga.seed};
      if (ga.as_of.empty()) {
        o.as_of = TimeZone::Shanghai().LocalDay(app->clock().Now());
      } else if (!ParseDate(ga.as_of, &o.as_of)) {
        return PrintError(Error::InvalidArgument("invalid_field", "--as-of 须为 YYYY-MM-DD"), 2);
      }
      auto start = std::chrono::steady_clock::now();
      TerminalProgress bar("生成公积金数据");
      auto report = fund::Generate(app->db(), app->fund_pins(), o, [&](int64_t done) {
        bar.Update(static_cast<double>(done), static_cast<double>(o.people), Grouped(done) + " 人");
      });
      bar.Finish();
      if (!report.ok()) return PrintError(report.error());
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::printf("已生成 %s：缴存人 %s、单位 %s、贷款 %s、明细 %s 条、网点 %lld 个，用时 %.1f 秒\n",
                  ga.center.c_str(), Grouped(report->people).c_str(), Grouped(report->units).c_str(),
                  Grouped(report->loans).c_str(), Grouped(report->history_rows).c_str(),
                  static_cast<long long>(report->branches), secs);
      std::printf("演示来电人的账号和查询密码：hotline fund demo-caller --center %s --index 0\n",
                  ga.center.c_str());
      return 0;
    };
  });

  struct CallerArgs {
    std::string center = "GS-LZ";
    int64_t index = 0;
  };
  static CallerArgs ca;
  auto* caller =
      fund->add_subcommand("demo-caller", "login ids and demo query password of generated person INDEX");
  caller->add_option("--center", ca.center, "the centre's org code")->capture_default_str();
  caller->add_option("--index", ca.index, "0-based person number of the generated data")
      ->capture_default_str();
  ctx.AddConfigOption(caller);
  caller->callback([&ctx] {
    ctx.run = [&ctx] {
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      auto o = fund::LoadGeneratorOptions(app->db(), ca.center);
      if (!o.ok()) return PrintError(o.error());
      if (ca.index < 0 || ca.index >= o->people)
        return PrintError(Error::InvalidArgument("invalid_field",
                                                 "--index 须在 0…" + std::to_string(o->people - 1) + " 之间"),
                          2);
      fund::DemoCaller c = fund::DescribePerson(*o, ca.index);
      std::printf(
          "姓名        %s\n个人账号    %s\n身份证号    %s\n联名卡号    %s\n手机        %s\n查询密码    %s\n"
          "单位账号    %s\n单位密码    %s\n",
          c.name.c_str(), c.account_number.c_str(), c.citizen_id.c_str(),
          c.card_number.empty() ? "（无）" : c.card_number.c_str(), c.mobile.c_str(), c.password.c_str(),
          c.unit_account.c_str(), c.unit_password.c_str());
      return 0;
    };
  });
}

}  // namespace hotline::app
