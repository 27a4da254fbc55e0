// Test support: the real `hotline` program, started for one C++ test the way tests/e2e/lib/server.mjs
// starts it for the Node suites (issue 12 §6): its own temp directory, a SQLite database and a config file
// in it, `hotline serve` on 127.0.0.1 port 0, the bound address read from what serve prints
// ("hotline listening on http://127.0.0.1:PORT/"). For tests that need a whole running server — the live
// channels' SIP and SMPP peers talking to it, a restart, a signal — rather than one module's classes.
//
//   auto server = test::HotlineServer::Start({.seed = {{"org", "add", "--code", "GS-LZ", ...}}});
//   ASSERT_TRUE(server.ok()) << server.error().message;
//   auto reply = (*server)->Get("/healthz");
//   EXPECT_EQ(reply->status, 200);
//
// Every process it starts is stopped by its own pid, never by name: the server by Stop() or the
// destructor (SIGTERM, up to stop_timeout for the staged shutdown, then SIGKILL), each command by its
// timeout. A started process is also killed by the kernel if the thread that started it ends
// (PR_SET_PDEATHSIG), so a crashed test leaves no server behind: start servers from the test's own thread.
//
// The binary: options.binary, else $HOTLINE_BIN, else the one this build made. A test binary that uses this
// fixture must depend on the `hotline` target (add_dependencies(NAME_test hotline) in src/CMakeLists.txt).
//
// Not thread-safe: one test thread drives one HotlineServer (Request and Command may be called from
// several threads at once; Start, Stop and the destructor may not).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace hotline::test {

// A TOML basic string for `text` ("…" with \ and " escaped), for HotlineServerOptions::config values.
std::string TomlString(std::string_view text);

struct HotlineServerOptions {
  // The program to run. Empty: $HOTLINE_BIN when set, else the `hotline` this build made.
  std::string binary;
  // Config keys added to or replacing the defaults, as TOML literals by section:
  // {{"log", {{"level", TomlString("info")}}}, {"auth", {{"argon2_ops_limit", "1"}}}}.
  // The defaults: [database] url = the temp dir's hotline.db; [http] listen = "127.0.0.1:0"; [log] level =
  // "warn". The secret key and the knowledge-base index go beside the database, in the temp dir.
  std::map<std::string, std::map<std::string, std::string>> config;
  // `hotline` commands run one after the other, each with --config, before serve starts, e.g.
  // {{"org", "add", "--code", "MOHURD", "--name", "部", "--level", "ministry"}}. A failing one fails Start.
  std::vector<std::vector<std::string>> seed;
  // How long serve may take to print its address (default 15 s) and to stop after SIGTERM before it is
  // killed (default 10 s); how long one command may run (default 60 s). Bounds, not expectations.
  std::chrono::milliseconds start_timeout{15000};
  std::chrono::milliseconds stop_timeout{10000};
  std::chrono::milliseconds command_timeout{60000};
  // How long Request waits for the connection and for each read (default 10 s).
  std::chrono::milliseconds request_timeout{10000};
  // Keep the temp directory after the server is destroyed (to look at the database or the log).
  bool keep_dir = false;
};

// One HTTP answer. Header names are lower-case.
struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
};

class HotlineServer {
 public:
  // Makes the temp directory and config, runs the seed commands, starts serve and waits for its address.
  // Errors: kInvalidArgument ("bad_options") when no binary can be found; kInternal
  // ("server_start_failed", with the program's stderr) when a command fails or serve exits or does not
  // report its address in time. Nothing is left running or on disk after an error.
  static Result<std::unique_ptr<HotlineServer>> Start(HotlineServerOptions options = {});

  ~HotlineServer();  // Stop(), then removes the temp directory unless keep_dir
  HotlineServer(const HotlineServer&) = delete;
  HotlineServer& operator=(const HotlineServer&) = delete;

  // "127.0.0.1:PORT", as serve reported it.
  const std::string& address() const { return address_; }
  // "http://127.0.0.1:PORT" + path.
  std::string url(std::string_view path = "/") const { return "http://" + address_ + std::string(path); }
  const std::string& dir() const { return dir_; }
  const std::string& config_path() const { return config_path_; }
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }

  // Sends one HTTP/1.1 request (Connection: close) over a new plain TCP connection to the server and reads
  // the whole answer. Errors: kUnavailable ("server_unreachable") when it cannot connect or the answer
  // does not come within request_timeout; kInternal ("bad_http_response") for an answer that is not HTTP.
  Result<HttpReply> Request(std::string_view method, std::string_view path, std::string_view body = {},
                            const std::vector<std::pair<std::string, std::string>>& headers = {}) const;
  Result<HttpReply> Get(std::string_view path) const { return Request("GET", path); }

  // Runs `hotline ARGS --config CONFIG` beside the running server and returns its stdout. Errors: kInternal
  // ("command_failed", with the exit status and stderr) on a non-zero exit or after command_timeout.
  Result<std::string> Command(const std::vector<std::string>& args) const;

  // Stops serve: SIGTERM, then SIGKILL of its pid if it has not exited within stop_timeout. Returns its
  // exit code, or 128 + the signal that ended it; -1 when it was not running. Idempotent.
  int Stop();
  // What serve wrote to stderr so far (its log).
  std::string Log() const;

 private:
  explicit HotlineServer(HotlineServerOptions options) : options_(std::move(options)) {}

  HotlineServerOptions options_;
  std::string dir_;
  std::string config_path_;
  std::string address_;
  pid_t pid_ = -1;
  int exit_status_ = -1;
};

}  // namespace hotline::test
