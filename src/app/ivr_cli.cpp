// hotline ivr check|simulate — the IVR flows' operator commands (R-IVR-1, docs/IVR.md).
//   ivr check FILE [--overlay FILE]   validates a flow (and a centre's overlay); every mistake as
//                                     FILE:LINE: message on stderr; exit 1 when there is any
//   ivr simulate --center GS-LZ       walks the real flow in the terminal without SIP, against this
//                                     configuration's fund data, knowledge base and calendar: prints
//                                     each prompt's text, reads keys from stdin a line at a time
//                                     ("t" or an empty line: the caller keyed nothing until the
//                                     timeout); --at "2026-12-08 21:00" fakes the clock (Asia/Shanghai)
// SMS subscriptions in simulate go to an in-memory SubscriptionPort (said on screen): the SMS module's
// store is connected by the lead.
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/cli.hpp"
#include "fund/async_fund_service.hpp"
#include "ivr/channel_self_service.hpp"
#include "ivr/engine.hpp"
#include "ivr/flow.hpp"

namespace hotline::app {
namespace {

// The national flow shipped beside the configuration: <config dir>/ivr/national.toml, else the
// repository's config/ivr/national.toml (development checkouts).
std::string DefaultFlowPath(const std::string& config_path) {
  namespace fs = std::filesystem;
  fs::path beside = fs::path(config_path).parent_path() / "ivr" / "national.toml";
  if (!config_path.empty() && fs::exists(beside)) return beside.string();
  return "config/ivr/national.toml";
}

// The terminal as the call: prints what is played, the recording and the hang-up.
class TerminalCall final : public ivr::CallPort {
 public:
  void Play(std::vector<ivr::Segment> segments, bool) override {
    for (const auto& s : segments) std::printf("  ♪ [%s] %s\n", s.prompt_id.c_str(), s.text.c_str());
    std::fflush(stdout);
    playing = true;
  }
  void StopPlayback() override { playing = false; }
  void StartRecording(std::string path, std::chrono::seconds max) override {
    std::printf("  ● 录音中（最长 %lld 秒，按 # 结束；模拟不录制声音）\n",
                static_cast<long long>(max.count()));
    recording = path;
  }
  void StopRecording() override { stop_recording = true; }
  bool TransferToAgents() override {
    std::printf("  → 转人工坐席（尚未接入坐席：提供回电登记）\n");
    return false;
  }
  void Hangup() override {
    std::printf("  ✆ 挂机\n");
    hung_up = true;
  }
  bool playing = false, hung_up = false, stop_recording = false;
  std::string recording;
};

Result<TimePoint> ParseAt(const std::string& at) {
  Date day{};
  int h = 0, m = 0;
  if (at.size() != 16 || !ParseDate(at.substr(0, 10), &day) || at[10] != ' ' ||
      std::sscanf(at.c_str() + 11, "%2d:%2d", &h, &m) != 2 || h > 23 || m > 59) {
    return Error::InvalidArgument(
        "invalid_field", "--at 的格式为 \"YYYY-MM-DD HH:MM\"（北京时间），例如 \"2026-12-08 21:00\"");
  }
  return TimeZone::Shanghai().StartOfDay(day) + std::chrono::hours(h) + std::chrono::minutes(m);
}

int Simulate(CliContext& ctx, const std::string& center_code, std::string flow_path,
             const std::string& overlay, const std::string& at, const std::string& caller) {
  if (flow_path.empty()) flow_path = DefaultFlowPath(ctx.config_path);
  ivr::FlowErrors errors;
  auto flow = ivr::LoadFlow(flow_path, overlay, &errors);
  if (!flow.ok()) {
    std::fputs(errors.ok() ? (flow.error().message + "\n").c_str() : errors.Joined().c_str(), stderr);
    return 2;
  }
  App* app = ctx.OpenApp();
  if (!app) return ctx.exit_code();
  auto center = app->orgs().FindByCode(center_code);
  if (!center.ok() || center->level != org::OrgLevel::kCenter) {
    return PrintError(Error::NotFound("没有代码为 " + center_code + " 的中心"), 2);
  }
  TimePoint start = app->clock().Now();
  if (!at.empty()) {
    auto t = ParseAt(at);
    if (!t.ok()) return PrintError(t.error(), 2);
    start = *t;
  }
  auto fund = app->OpenFund();
  if (!fund.ok()) return PrintError(fund.error());
  auto kb = app->OpenKb();
  if (!kb.ok()) return PrintError(kb.error());

  // One thread: the call's executor and the blocking work are the same io_context, drained after
  // every key (a terminal tool; the server runs the blocking work on its pool).
  boost::asio::io_context io;
  FakeClock clock(start);
  fund::AsyncFundService async_fund(**fund, io.get_executor());
  ivr::InMemorySubscriptions subscriptions;
  const std::string call_id = "sim-" + std::to_string(ToEpochMillis(app->clock().Now()));
  ivr::ChannelSelfService service({.fund = async_fund,
                                   .kb = **kb,
                                   .service_hours = app->service_hours(),
                                   .callbacks = app->callbacks(),
                                   .subscriptions = subscriptions,
                                   .clock = clock,
                                   .call = io.get_executor(),
                                   .blocking = io.get_executor()},
                                  *center, call_id, caller);
  TerminalCall call;
  auto recording_dir = std::filesystem::temp_directory_path().string();
  ivr::Engine engine({.call_id = call_id,
                      .centre_code = center->code,
                      .centre_path = center->path,
                      .caller_number = caller,
                      .recording_dir = recording_dir},
                     std::make_shared<const ivr::Flow>(std::move(*flow)), call, service, clock);

  std::printf("模拟来电：%s（%s），主叫 %s，流程 %s%s\n", center->name.c_str(), center->code.c_str(),
              caller.c_str(), flow_path.c_str(), overlay.empty() ? "" : (" + " + overlay).c_str());
  std::printf("时钟：%s（UTC）。短信订阅写入内存中的 SubscriptionPort（模拟，不写入短信模块）。\n",
              FormatUtc(start).c_str());
  std::printf("每行输入按键（0-9 * #）；t 或空行表示等待超时；q 或文件结束表示挂机。\n");

  auto drain = [&] {
    for (;;) {
      io.restart();
      io.run();
      if (!call.playing) break;
      call.playing = false;
      engine.OnPlaybackDone(false);
    }
  };
  auto settle = [&] {
    // Playback, async results and recordings until nothing is pending.
    for (int i = 0; i < 100; ++i) {
      drain();
      if (!call.playing) break;
    }
  };
  engine.Start();
  settle();
  std::string line;
  while (!call.hung_up && !engine.ended()) {
    std::printf("> ");
    std::fflush(stdout);
    if (!std::getline(std::cin, line) || line == "q") {
      engine.OnEnded(ivr::EndReason::kCallerHangup);
      break;
    }
    if (line.empty()) line = "t";
    for (char k : line) {
      if (call.hung_up) break;
      if (k == 't') {
        if (!call.recording.empty() && !call.stop_recording) {
          // The recording's limit reached.
          call.stop_recording = true;
        } else if (auto d = engine.next_deadline()) {
          clock.Advance(std::chrono::duration_cast<std::chrono::milliseconds>(*d - clock.Steady()) +
                        std::chrono::milliseconds(1));
          engine.Poll();
        }
      } else if (k == ' ') {
        continue;
      } else {
        engine.OnDigit(k);
      }
      settle();
      if (call.stop_recording) {
        call.stop_recording = false;
        std::string path = call.recording;
        call.recording.clear();
        engine.OnRecordingDone(path, std::chrono::seconds(10));
        settle();
      }
    }
  }
  if (!engine.ended()) engine.OnEnded(ivr::EndReason::kEngineHangup);
  io.restart();
  io.run();
  std::printf("IVR 路径：%s\n已验证身份：%s\n", engine.PathString().c_str(), engine.verified() ? "是" : "否");
  auto subs = subscriptions.List(center->code, "");
  (void)subs;
  return 0;
}

}  // namespace

void AddIvrCommands(CLI::App& cli, CliContext& ctx) {
  auto* ivr = cli.add_subcommand("ivr", "IVR flows (语音导航): check, simulate");
  ivr->require_subcommand(1);

  struct CheckArgs {
    std::string file, overlay;
  };
  static CheckArgs ca;
  auto* check =
      ivr->add_subcommand("check", "validate a flow file (and a centre's overlay): FILE:LINE: message");
  check->add_option("file", ca.file, "the flow file, e.g. config/ivr/national.toml")->required();
  check->add_option("--overlay", ca.overlay, "a centre's overlay file (levels below the second)");
  check->callback([&ctx] {
    ctx.run = [] {
      ivr::FlowErrors errors;
      auto flow = ivr::LoadFlow(ca.file, ca.overlay, &errors);
      if (!flow.ok()) {
        std::fputs(errors.ok() ? (flow.error().message + "\n").c_str() : errors.Joined().c_str(), stderr);
        return 1;
      }
      std::printf("%s%s%s：%zu 个节点，%zu 条提示音，检查通过\n", ca.file.c_str(),
                  ca.overlay.empty() ? "" : " + ", ca.overlay.c_str(), flow->nodes.size(),
                  flow->prompts.size());
      return 0;
    };
  });

  struct SimArgs {
    std::string center, flow, overlay, at, caller = "13800000000";
  };
  static SimArgs sa;
  auto* sim = ivr->add_subcommand("simulate", "walk a flow in the terminal without SIP (keys from stdin)");
  sim->add_option("--center", sa.center, "the centre the call belongs to, e.g. GS-LZ")->required();
  sim->add_option("--flow", sa.flow, "the flow file (default: the national flow beside the config)");
  sim->add_option("--overlay", sa.overlay, "the centre's overlay file");
  sim->add_option("--at", sa.at, "fake the clock: \"YYYY-MM-DD HH:MM\" Beijing time");
  sim->add_option("--caller", sa.caller, "the calling number (default 13800000000)");
  ctx.AddConfigOption(sim);
  sim->callback([&ctx] {
    ctx.run = [&ctx] { return Simulate(ctx, sa.center, sa.flow, sa.overlay, sa.at, sa.caller); };
  });
}

}  // namespace hotline::app
