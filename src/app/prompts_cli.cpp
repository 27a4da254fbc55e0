// hotline prompts build|export — the IVR prompts' operator commands (issue 13 §Prompts, docs/IVR.md).
//   prompts build [--flow F] [--overlay F] [--prompts DIR] [--cache DIR]
//       renders every static prompt ahead of time (recordings in DIR, named by prompt id, replace the
//       synthesis), with a progress display on a terminal; exit 1 if any prompt failed
//   prompts export [--flow F] [--overlay F] [--out FILE]
//       the CSV of prompt texts for a voice talent (id,text,recording,dynamic)
#include <cstdio>
#include <fstream>

#include "app/cli.hpp"
#include "app/progress.hpp"
#include "ivr/flow.hpp"
#include "ivr/prompts.hpp"

namespace hotline::app {
namespace {

struct PromptArgs {
  std::string flow = "config/ivr/national.toml", overlay, prompt_dir = "config/ivr/prompts",
              cache = "var/prompt-cache", out;
};

Result<ivr::Flow> Load(const PromptArgs& a) {
  ivr::FlowErrors errors;
  auto flow = ivr::LoadFlow(a.flow, a.overlay, &errors);
  if (!flow.ok()) std::fputs(errors.ok() ? "" : errors.Joined().c_str(), stderr);
  return flow;
}

}  // namespace

void AddPromptsCommands(CLI::App& cli, CliContext& ctx) {
  auto* prompts = cli.add_subcommand("prompts", "IVR prompts (提示音): build, export");
  prompts->require_subcommand(1);
  static PromptArgs a;

  auto* build =
      prompts->add_subcommand("build", "synthesise (or convert) every static prompt into the cache");
  build->add_option("--flow", a.flow, "the flow file");
  build->add_option("--overlay", a.overlay, "a centre's overlay file");
  build->add_option("--prompts", a.prompt_dir, "the folder of recordings (named by prompt id)");
  build->add_option("--cache", a.cache, "the synthesis cache folder");
  build->callback([&ctx] {
    ctx.run = [] {
      auto flow = Load(a);
      if (!flow.ok()) return PrintError(flow.error(), 2);
      ivr::PromptCache cache({.prompt_dir = a.prompt_dir, .cache_dir = a.cache});
      TerminalProgress progress("生成提示音");
      int done = 0, failed = 0, total = 0;
      for (const auto& [id, p] : flow->prompts) total += !p.dynamic();
      for (const auto& [id, p] : flow->prompts) {
        if (p.dynamic()) continue;  // filled per call, synthesised then
        auto audio = cache.ForPrompt(p);
        if (!audio.ok()) {
          ++failed;
          std::fprintf(stderr, "%s:%d: prompt '%s': %s\n", p.file.c_str(), p.line, id.c_str(),
                       audio.error().message.c_str());
        }
        progress.Update(++done, total, "已生成 " + std::to_string(done) + " 条");
      }
      progress.Finish();
      std::printf("提示音：%d 条已生成（缓存 %s），%d 条失败\n", done - failed, a.cache.c_str(), failed);
      return failed ? 1 : 0;
    };
  });

  auto* exp = prompts->add_subcommand("export", "write the CSV of prompt texts (id,text,recording,dynamic)");
  exp->add_option("--flow", a.flow, "the flow file");
  exp->add_option("--overlay", a.overlay, "a centre's overlay file");
  exp->add_option("--out", a.out, "the CSV file (default: stdout)");
  exp->callback([&ctx] {
    ctx.run = [] {
      auto flow = Load(a);
      if (!flow.ok()) return PrintError(flow.error(), 2);
      std::string csv = ivr::PromptsCsv(*flow);
      if (a.out.empty()) {
        std::fwrite(csv.data(), 1, csv.size(), stdout);
        return 0;
      }
      std::ofstream(a.out, std::ios::binary) << csv;
      std::printf("已导出 %zu 条提示音到 %s\n", flow->prompts.size(), a.out.c_str());
      return 0;
    };
  });
}

}  // namespace hotline::app
