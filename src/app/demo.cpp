// `hotline demo`: a ready-to-try deployment on embedded SQLite — the ministry, Gansu and Shaanxi,
// three centres, and one login per role — so a new user sees a working console with one command.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/app.hpp"
#include "fund/generator.hpp"
#include "kpi/cdr_generator.hpp"
#include "kpi/cdr_import.hpp"

namespace hotline::app {
namespace {

constexpr const char* kDemoPassword = "Demo12329";

struct DemoUser {
  const char* username;
  const char* display_name;
  org::Role role;
  const char* org;
  const char* agent_no;
  const char* what;
};

constexpr DemoUser kUsers[] = {
    {"admin", "系统管理员", org::Role::kAdmin, "MOHURD", nullptr, "部级管理员：管理全部机构和用户"},
    {"mohurd_sup", "部监管员", org::Role::kSupervisor, "MOHURD", nullptr, "部级监管：查看全国"},
    {"gs_sup", "省监管员", org::Role::kSupervisor, "GS", nullptr, "甘肃省监管：查看省内各中心"},
    {"lz_admin", "兰州中心管理员", org::Role::kAdmin, "GS-LZ", nullptr, "兰州中心管理员"},
    {"lz_leader", "王班长", org::Role::kTeamLeader, "GS-LZ", nullptr, "兰州中心班长"},
    {"lz_agent", "李娜", org::Role::kAgent, "GS-LZ", "1001", "兰州中心坐席（工号 1001）"},
    {"lz_agent2", "张伟", org::Role::kAgent, "GS-LZ", "1002", "兰州中心坐席（工号 1002）"},
    {"lz_dept", "贷款科", org::Role::kDepartment, "GS-LZ", nullptr, "兰州中心业务部门"},
};

Status Seed(App& app) {
  struct O {
    const char* code;
    const char* name;
    org::OrgLevel level;
    const char* parent;
  };
  const O orgs[] = {
      {"MOHURD", "住房和城乡建设部", org::OrgLevel::kMinistry, nullptr},
      {"GS", "甘肃省住房和城乡建设厅", org::OrgLevel::kProvince, "MOHURD"},
      {"SX", "陕西省住房和城乡建设厅", org::OrgLevel::kProvince, "MOHURD"},
      {"GS-LZ", "兰州住房公积金管理中心", org::OrgLevel::kCenter, "GS"},
      {"GS-TS", "天水市住房公积金管理中心", org::OrgLevel::kCenter, "GS"},
      {"SX-XA", "西安住房公积金管理中心", org::OrgLevel::kCenter, "SX"},
  };
  for (const auto& o : orgs) {
    org::NewOrg n{.code = o.code, .name = o.name, .level = o.level};
    if (o.parent) n.parent_code = o.parent;
    HOTLINE_RETURN_IF_ERROR(app.orgs().Create(n));
  }
  for (const auto& u : kUsers) {
    org::NewUser n{.username = u.username,
                   .password = kDemoPassword,
                   .role = u.role,
                   .org_code = u.org,
                   .display_name = u.display_name};
    if (u.agent_no) n.agent_no = u.agent_no;
    HOTLINE_RETURN_IF_ERROR(app.users().Create(n));
  }
  // The department that lz_dept works in, so work orders can be dispatched in the demo.
  HOTLINE_ASSIGN_OR_RETURN(org::Org lz, app.orgs().FindByCode("GS-LZ"));
  const auto admin = org::Actor::ForCli(lz, org::Role::kAdmin);
  HOTLINE_ASSIGN_OR_RETURN(auto loans, app.workorders().CreateDepartment(admin, "GS-LZ", "贷款科"));
  HOTLINE_ASSIGN_OR_RETURN(org::User dept, app.users().FindByUsername("lz_dept"));
  HOTLINE_RETURN_IF_ERROR(app.workorders().SetDepartmentMembers(admin, loans.id, {dept.id}));
  return OkStatus();
}

}  // namespace

Result<std::string> PrepareDemo(const std::string& dir, const std::string& listen) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::string config_path = (fs::path(dir) / "hotline.toml").string();
  bool fresh = !fs::exists(config_path);
  if (fresh) {
    std::ofstream out(config_path);
    out << "# Demo deployment written by `hotline demo`. Every key: config/hotline.example.toml\n"
        << "[database]\nurl = \"sqlite:" << (fs::path(dir) / "hotline.db").string() << "\"\n\n"
        << "[http]\nlisten = \"" << listen << "\"\nstatic_dir = \"ui/dist\"\n\n"
        << "[deployment]\nname = \"甘肃省12329住房公积金热线\"\n";
    if (!out) return Error::Unavailable("无法写入 " + config_path + "：请检查目录权限");
  }
  HOTLINE_ASSIGN_OR_RETURN(Config config, LoadConfig(config_path));
  HOTLINE_ASSIGN_OR_RETURN(auto app, App::Open(config));
  auto existing = app->orgs().ListAll();
  if (!existing.ok()) return existing.take_error();
  if (existing->empty()) {
    std::printf("正在创建演示数据（部、省、中心和各角色账号）…\n");
    HOTLINE_RETURN_IF_ERROR(Seed(*app));
    // 90 days of synthetic calls for the three centres, ending yesterday, so the supervisor dashboard
    // (统计监管) has figures to show (R-KPI).
    std::printf("正在生成演示通话记录（三个中心、最近 90 天）…\n");
    kpi::GeneratorOptions g{.centers = {"GS-LZ", "GS-TS", "SX-XA"}, .days = 90, .calls_per_day = 150};
    g.first_day = TimeZone::Shanghai().LocalDay(app->clock().Now()) - std::chrono::days(90);
    std::stringstream csv;
    kpi::GenerateCdrs(g, csv);
    kpi::CdrImporter importer(app->kpi(), app->orgs(), app->random());
    auto imported = importer.ImportBytes(csv.str(), "demo-calls.csv", {});
    if (!imported.ok()) return imported.take_error();
    std::printf("已导入 %lld 条通话记录。\n", static_cast<long long>(imported->imported));
  }
  if (!fund::LoadGeneratorOptions(app->db(), "GS-LZ").ok()) {
    // The embedded core system's demo data, so agents can verify a caller and read an account (R-IVR-2).
    std::printf("正在生成演示公积金数据（兰州中心 3,000 名缴存人、120 个单位）…\n");
    fund::GeneratorOptions f{.center_code = "GS-LZ", .people = 3000, .units = 120, .seed = 12329};
    f.as_of = TimeZone::Shanghai().LocalDay(app->clock().Now());
    auto generated = fund::Generate(app->db(), app->fund_pins(), f);
    if (!generated.ok()) return generated.take_error();
  }
  if (auto f = fund::LoadGeneratorOptions(app->db(), "GS-LZ"); f.ok()) {
    fund::DemoCaller c = fund::DescribePerson(*f, 0);
    std::printf(
        "\n演示来电人（坐席“来电人查询”或语音服务用，演示数据）：%s\n  个人账号 %s 或身份证号 %s，查询密码 "
        "%s\n"
        "  更多来电人：hotline fund demo-caller --config %s --index N\n",
        c.name.c_str(), c.account_number.c_str(), c.citizen_id.c_str(), c.password.c_str(),
        config_path.c_str());
  }
  // The demo knowledge base (R-AGT-3) when the repository has it: importing is idempotent, so an existing
  // demo picks up new or changed articles on the next `hotline demo`.
  if (fs::is_directory("data/kb/demo")) {
    auto kb = ImportKnowledgeBase(*app, "GS-LZ", "data/kb/demo", false);
    if (!kb.ok()) return kb.take_error();
    for (const auto& e : kb->errors) std::fprintf(stderr, "知识库：%s\n", e.c_str());
    if (kb->created + kb->new_versions > 0)
      std::printf("已导入知识库：新文章 %d 篇，新版本 %d 个，网点 %d 个。\n", kb->created, kb->new_versions,
                  kb->branches_changed);
  }
  std::printf("\n演示账号（密码均为 %s）：\n", kDemoPassword);
  for (const auto& u : kUsers) std::printf("  %-11s %s\n", u.username, u.what);
  std::printf("\n配置文件：%s（停止后可用 hotline serve --config %s 再次启动）\n", config_path.c_str(),
              config_path.c_str());
  std::fflush(stdout);
  return config_path;
}

}  // namespace hotline::app
