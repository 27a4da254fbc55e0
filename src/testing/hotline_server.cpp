// Test support: HotlineServer, the real `hotline serve` for one C++ test (hotline_server.hpp).
#include "testing/hotline_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

namespace hotline::test {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

constexpr milliseconds kPoll{10};  // how often a wait looks again; waits are bounded by their timeouts

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Error StartFailed(std::string message) {
  return {ErrorKind::kInternal, "server_start_failed", std::move(message)};
}

// The binary to run: the option, else $HOTLINE_BIN, else the one this build made.
std::string BinaryOf(const HotlineServerOptions& options) {
  if (!options.binary.empty()) return options.binary;
  const char* env = std::getenv("HOTLINE_BIN");
  if (env && *env) return env;
#ifdef HOTLINE_BINARY_PATH
  return HOTLINE_BINARY_PATH;
#else
  return "";
#endif
}

// Starts `argv` in `cwd`, stdin from /dev/null, stdout and stderr appended to the two files. The child is
// killed by the kernel when the calling thread ends (PR_SET_PDEATHSIG). Between fork and exec the child
// calls only async-signal-safe functions, on data prepared before the fork.
Result<pid_t> Spawn(const std::vector<std::string>& args, const std::string& cwd, const std::string& out_path,
                    const std::string& err_path) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const long max_fd = std::min(::sysconf(_SC_OPEN_MAX), 65536L);
  const pid_t pid = ::fork();
  if (pid < 0) return StartFailed(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) ::_exit(127);
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int s : {SIGTERM, SIGINT, SIGPIPE, SIGHUP}) ::sigaction(s, &dfl, nullptr);
    int in = ::open("/dev/null", O_RDONLY);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (in < 0 || out < 0 || err < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0)
      ::_exit(127);
    for (long fd = 3; fd < max_fd; ++fd) ::close(static_cast<int>(fd));  // nothing of the test leaks in
    if (::chdir(cwd.c_str()) != 0) ::_exit(127);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

// The status of `pid` once it has exited within `timeout` (reaped), else nullopt (still running).
std::optional<int> WaitFor(pid_t pid, milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) return -1;  // not our child (cannot happen): treat as gone
    if (SteadyClock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kPoll);
  }
}

// Exit code, or 128 + the signal that ended the process.
int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// SIGTERM, then SIGKILL after `grace`; always reaps. REQUIRES: pid > 0 (never a group or "all": -1, 0).
int Terminate(pid_t pid, milliseconds grace) {
  if (pid <= 0) return -1;
  ::kill(pid, SIGTERM);
  if (auto status = WaitFor(pid, grace)) return ExitCodeOf(*status);
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return ExitCodeOf(status);
}

// Runs one command to completion (or kills it at `timeout`); its stdout, or command_failed with stderr.
Result<std::string> RunCommand(const std::string& binary, const std::vector<std::string>& args,
                               const std::string& config_path, const std::string& dir, milliseconds timeout) {
  static std::atomic<int> counter{0};
  const std::string base = (fs::path(dir) / ("command-" + std::to_string(++counter))).string();
  std::vector<std::string> argv = {binary};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--config", config_path});
  HOTLINE_ASSIGN_OR_RETURN(pid_t pid, Spawn(argv, dir, base + ".out", base + ".err"));
  std::optional<int> status = WaitFor(pid, timeout);
  int code = status ? ExitCodeOf(*status) : Terminate(pid, milliseconds(0));
  std::string out = ReadFile(base + ".out");
  if (status && code == 0) return out;
  std::string what;
  for (const std::string& a : args) what += " " + a;
  return Error{ErrorKind::kInternal, "command_failed",
               "hotline" + what + (status ? " exited with " + std::to_string(code) : " timed out") + ":\n" +
                   ReadFile(base + ".err")};
}

// The address in serve's "hotline listening on http://ADDRESS/" line, once it is there.
std::optional<std::string> ListeningAddress(const std::string& out) {
  constexpr std::string_view kMarker = "listening on http://";
  size_t at = out.find(kMarker);
  if (at == std::string::npos) return std::nullopt;
  size_t begin = at + kMarker.size();
  size_t end = out.find_first_of("/ \r\n", begin);
  if (end == std::string::npos) return std::nullopt;  // the line is not complete yet
  return out.substr(begin, end - begin);
}

// A parsed HTTP/1.1 response once `raw` holds all of it (Content-Length, chunked, or closed at EOF).
std::optional<Result<HttpReply>> ParseReply(const std::string& raw, bool eof) {
  size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    if (eof)
      return Result<HttpReply>(Error{ErrorKind::kInternal, "bad_http_response", "no HTTP header: " + raw});
    return std::nullopt;
  }
  HttpReply reply;
  std::istringstream head(raw.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  if (line.rfind("HTTP/1.", 0) != 0 || line.size() < 12)
    return Result<HttpReply>(
        Error{ErrorKind::kInternal, "bad_http_response", "not an HTTP status line: " + line});
  reply.status = std::atoi(line.c_str() + 9);
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    size_t v = line.find_first_not_of(' ', colon + 1);
    reply.headers[name] = v == std::string::npos ? "" : line.substr(v);
  }
  std::string_view rest(raw);
  rest.remove_prefix(head_end + 4);
  if (auto te = reply.headers.find("transfer-encoding");
      te != reply.headers.end() && te->second == "chunked") {
    std::string body;
    for (;;) {
      size_t eol = rest.find("\r\n");
      if (eol == std::string::npos) break;
      size_t n = std::strtoul(std::string(rest.substr(0, eol)).c_str(), nullptr, 16);
      if (rest.size() < eol + 2 + n + 2) break;
      if (n == 0) {
        reply.body = std::move(body);
        return Result<HttpReply>(std::move(reply));
      }
      body.append(rest.substr(eol + 2, n));
      rest.remove_prefix(eol + 2 + n + 2);
    }
    if (eof)
      return Result<HttpReply>(Error{ErrorKind::kInternal, "bad_http_response", "truncated chunked body"});
    return std::nullopt;
  }
  if (auto cl = reply.headers.find("content-length"); cl != reply.headers.end()) {
    size_t n = std::strtoul(cl->second.c_str(), nullptr, 10);
    if (rest.size() < n) {
      if (eof) return Result<HttpReply>(Error{ErrorKind::kInternal, "bad_http_response", "truncated body"});
      return std::nullopt;
    }
    reply.body = std::string(rest.substr(0, n));
    return Result<HttpReply>(std::move(reply));
  }
  if (!eof) return std::nullopt;
  reply.body = std::string(rest);
  return Result<HttpReply>(std::move(reply));
}

Error Unreachable(const std::string& what) {
  return {ErrorKind::kUnavailable, "server_unreachable", what + ": " + std::strerror(errno)};
}

}  // namespace

std::string TomlString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

Result<std::unique_ptr<HotlineServer>> HotlineServer::Start(HotlineServerOptions options) {
  std::string binary = BinaryOf(options);
  if (binary.empty() || ::access(binary.c_str(), X_OK) != 0)
    return Error::InvalidArgument("bad_options", "no hotline binary to run: '" + binary +
                                                     "' (set HotlineServerOptions::binary or HOTLINE_BIN)");
  options.binary = binary;
  std::unique_ptr<HotlineServer> server(new HotlineServer(std::move(options)));
  const HotlineServerOptions& o = server->options_;

  std::string tmpl = (fs::temp_directory_path() / "hotline-server-test-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) return StartFailed(std::string("mkdtemp: ") + std::strerror(errno));
  server->dir_ = tmpl;  // from here on the destructor removes it
  server->config_path_ = (fs::path(server->dir_) / "hotline.toml").string();

  std::map<std::string, std::map<std::string, std::string>> sections = {
      {"database", {{"url", TomlString("sqlite:" + (fs::path(server->dir_) / "hotline.db").string())}}},
      {"http", {{"listen", TomlString("127.0.0.1:0")}}},
      {"log", {{"level", TomlString("warn")}}},
  };
  for (const auto& [section, keys] : o.config)
    for (const auto& [key, value] : keys) sections[section][key] = value;
  {
    std::ofstream config(server->config_path_, std::ios::binary);
    for (const auto& [section, keys] : sections) {
      config << "[" << section << "]\n";
      for (const auto& [key, value] : keys) config << key << " = " << value << "\n";
    }
    if (!config) return StartFailed("cannot write " + server->config_path_);
  }

  for (const auto& args : o.seed) {
    auto r = RunCommand(o.binary, args, server->config_path_, server->dir_, o.command_timeout);
    if (!r.ok()) return StartFailed(r.error().message);
  }

  const std::string out = (fs::path(server->dir_) / "serve.out").string();
  const std::string err = (fs::path(server->dir_) / "serve.err").string();
  HOTLINE_ASSIGN_OR_RETURN(
      server->pid_, Spawn({o.binary, "serve", "--config", server->config_path_}, server->dir_, out, err));
  const auto deadline = SteadyClock::now() + o.start_timeout;
  for (;;) {
    if (auto address = ListeningAddress(ReadFile(out))) {
      server->address_ = *address;
      return server;
    }
    if (auto status = WaitFor(server->pid_, milliseconds(0))) {
      server->pid_ = -1;
      return StartFailed("hotline serve exited with " + std::to_string(ExitCodeOf(*status)) +
                         " before listening:\n" + ReadFile(err));
    }
    if (SteadyClock::now() >= deadline) {
      server->Stop();
      return StartFailed("hotline serve did not report its address within the start timeout:\n" +
                         ReadFile(err));
    }
    std::this_thread::sleep_for(kPoll);
  }
}

HotlineServer::~HotlineServer() {
  Stop();
  if (!dir_.empty() && !options_.keep_dir) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

int HotlineServer::Stop() {
  if (pid_ > 0) {
    exit_status_ = Terminate(pid_, options_.stop_timeout);
    pid_ = -1;
    return exit_status_;
  }
  return exit_status_;
}

std::string HotlineServer::Log() const { return ReadFile((fs::path(dir_) / "serve.err").string()); }

Result<std::string> HotlineServer::Command(const std::vector<std::string>& args) const {
  return RunCommand(options_.binary, args, config_path_, dir_, options_.command_timeout);
}

Result<HttpReply> HotlineServer::Request(
    std::string_view method, std::string_view path, std::string_view body,
    const std::vector<std::pair<std::string, std::string>>& headers) const {
  size_t colon = address_.rfind(':');
  if (colon == std::string::npos) return Error{ErrorKind::kUnavailable, "server_unreachable", "no address"};
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::atoi(address_.c_str() + colon + 1)));
  if (::inet_pton(AF_INET, address_.substr(0, colon).c_str(), &addr.sin_addr) != 1)
    return Error{ErrorKind::kUnavailable, "server_unreachable", "not an IPv4 address: " + address_};

  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Unreachable("socket");
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  timeval tv{};
  tv.tv_sec = options_.request_timeout.count() / 1000;
  tv.tv_usec = (options_.request_timeout.count() % 1000) * 1000;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
    return Unreachable("connect " + address_);

  std::string request = std::string(method) + " " + std::string(path) + " HTTP/1.1\r\nHost: " + address_ +
                        "\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "\r\n";
  request.append(body);
  for (size_t sent = 0; sent < request.size();) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Unreachable("send to " + address_);
    sent += static_cast<size_t>(n);
  }
  std::string raw;
  char buf[16384];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Unreachable("no answer from " + address_);
    raw.append(buf, static_cast<size_t>(n));
    if (auto reply = ParseReply(raw, n == 0)) return std::move(*reply);
  }
}

}  // namespace hotline::test
