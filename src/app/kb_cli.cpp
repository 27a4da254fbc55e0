// hotline kb reindex|import|export — the knowledge base's operator commands (R-AGT-3,
// docs/KNOWLEDGE-BASE.md). The CLI acts as "cli" with an admin's rights over the whole tree the centre
// belongs to, so a centre's import may also write its province's shared articles (scope: province).
// Imported articles are published at once: they are the centre's existing, already approved FAQ.
#include <cstdio>

#include "app/cli.hpp"
#include "app/progress.hpp"
#include "kb/importer.hpp"

namespace hotline::app {
namespace {

// The CLI's actor (org::Actor::ForCli): an admin at the top of the tree the centre belongs to.
Result<org::Actor> RootActor(App& app, const org::Org& center) {
  std::string root = center.path.substr(1, center.path.find('/', 1) - 1);
  HOTLINE_ASSIGN_OR_RETURN(org::Org top, app.orgs().FindByCode(root));
  return org::Actor::ForCli(top, org::Role::kAdmin);
}

// The centre named by --org and the CLI's actor over its tree; the centre is resolved inside that actor's
// scope (org::FindOrgInScope), like every organisation code.
Result<std::pair<org::Org, org::Actor>> FindCenter(App& app, const std::string& code) {
  if (code.empty()) return Error::InvalidArgument("invalid_field", "--org 是必填项：中心代码，例如 GS-LZ");
  auto o = app.orgs().FindByCode(code);
  if (!o.ok()) return Error::NotFound("没有代码为 " + code + " 的机构");
  HOTLINE_ASSIGN_OR_RETURN(org::Actor actor, RootActor(app, *o));
  HOTLINE_ASSIGN_OR_RETURN(org::Org center, org::FindOrgInScope(app.orgs(), actor, code));
  return std::pair{std::move(center), std::move(actor)};
}

}  // namespace

Result<kb::ImportReport> ImportKnowledgeBase(App& app, const std::string& org_code, const std::string& path,
                                             bool show_progress) {
  HOTLINE_ASSIGN_OR_RETURN(auto found, FindCenter(app, org_code));
  const auto& [center, actor] = found;
  TerminalProgress progress("导入知识库");
  auto report = kb::ImportPath(app.kb(), actor, center, path, [&](int done, int total) {
    if (show_progress) progress.Update(done, total, "已处理 " + Grouped(done) + " 篇");
  });
  progress.Finish();
  return report;
}

void AddKbCommands(CLI::App& cli, CliContext& ctx) {
  auto* kb = cli.add_subcommand("kb", "knowledge base (知识库): reindex, import, export");
  kb->require_subcommand(1);

  auto* reindex = kb->add_subcommand("reindex", "rebuild the search index from the database");
  ctx.AddConfigOption(reindex);
  reindex->callback([&ctx] {
    ctx.run = [&ctx] {
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      TerminalProgress progress("重建知识库索引");
      auto st = app->kb().Reindex([&](int64_t done, int64_t total) {
        progress.Update(static_cast<double>(done), static_cast<double>(total),
                        "已索引 " + Grouped(done) + " 篇文章");
      });
      progress.Finish();
      if (!st.ok()) return PrintError(st.error());
      std::printf("知识库索引已重建：%s\n", KbIndexDir(app->config()).c_str());
      return 0;
    };
  });

  struct ImportArgs {
    std::string org, path;
  };
  static ImportArgs ia;
  auto* import = kb->add_subcommand(
      "import", "import articles (*.md, *.json) and branches.json; imported articles are published");
  import
      ->add_option("--org", ia.org,
                   "the centre the articles belong to (scope: province goes to its province)")
      ->required();
  import->add_option("path", ia.path, "a directory or one file")->required();
  ctx.AddConfigOption(import);
  import->callback([&ctx] {
    ctx.run = [&ctx] {
      App* app = ctx.OpenApp();
  if (!app) return ctx.exit_code();
  auto report = ImportKnowledgeBase(*app, ia.org, ia.path, true);
  if (!report.ok()) return PrintError(report.error());
  for (const auto& e : report->errors) std::fprintf(stderr, "%s\n", e.c_str());
  std::printf("%d 个文件：新文章 %d，新版本 %d，未变 %d；网点 更新 %d，未变 %d；错误 %zu\n", report->files,
              report->created, report->new_versions, report->unchanged, report->branches_changed,
              report->branches_unchanged, report->errors.size());
  return report->errors.empty() ? 0 : 1;
};
}  // namespace hotline::app
);

struct ExportArgs {
  std::string org, dir, format = "md";
};
static ExportArgs ea;
auto* exp = kb->add_subcommand("export",
                               "write the published articles and branches of a centre's view to a directory");
exp->add_option("--org", ea.org, "the centre (its own and its province's articles)")->required();
exp->add_option("--format", ea.format, "md (one Markdown file per version) | json (articles.json)")
    ->capture_default_str();
exp->add_option("dir", ea.dir, "output directory")->required();
ctx.AddConfigOption(exp);
exp->callback([&ctx] {
  ctx.run = [&ctx] {
    if (ea.format != "md" && ea.format != "json")
      return PrintError(Error::InvalidArgument("", "--format 须为 md 或 json"), 2);
    App* app = ctx.OpenApp();
    if (!app) return ctx.exit_code();
    auto found = FindCenter(*app, ea.org);
    if (!found.ok()) return PrintError(found.error());
    const auto& [center, actor] = *found;
    auto n = kb::ExportDir(app->kb(), actor, center, ea.dir,
                           ea.format == "md" ? kb::ExportFormat::kMarkdown : kb::ExportFormat::kJson);
    if (!n.ok()) return PrintError(n.error());
    std::printf("已导出 %d 个文章版本到 %s\n", *n, ea.dir.c_str());
    return 0;
  };
});
}

}  // namespace hotline::app
