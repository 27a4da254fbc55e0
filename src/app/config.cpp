#include "app/config.hpp"

#include <arpa/inet.h>
#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "core/time_zone.hpp"

namespace hotline::app {
namespace {

struct Loader {
  std::string file;
  Error Fail(const toml::source_region& where, const std::string& message) const {
    return Error::InvalidArgument("invalid_config",
                                  file + ":" + std::to_string(where.begin.line) + ": " + message);
  }
};

using Setter = std::function<Status(const toml::node&, Config&, const Loader&, const std::string& key)>;

Setter String(std::function<Status(Config&, const std::string&)> set) {
  return [set](const toml::node& n, Config& c, const Loader& l, const std::string& key) -> Status {
    if (!n.is_string()) return l.Fail(n.source(), key + " must be a string (in quotes)");
    Status st = set(c, n.as_string()->get());
    if (!st.ok()) return l.Fail(n.source(), key + ": " + st.error().message);
    return OkStatus();
  };
}

Setter Integer(int64_t min, int64_t max, std::function<void(Config&, int64_t)> set) {
  return [=](const toml::node& n, Config& c, const Loader& l, const std::string& key) -> Status {
    if (!n.is_integer()) return l.Fail(n.source(), key + " must be an integer");
    int64_t v = n.as_integer()->get();
    if (v < min || v > max)
      return l.Fail(n.source(),
                    key + " must be between " + std::to_string(min) + " and " + std::to_string(max));
    set(c, v);
    return OkStatus();
  };
}

Setter Boolean(std::function<void(Config&, bool)> set) {
  return [set](const toml::node& n, Config& c, const Loader& l, const std::string& key) -> Status {
    if (!n.is_boolean()) return l.Fail(n.source(), key + " must be true or false");
    set(c, n.as_boolean()->get());
    return OkStatus();
  };
}

Status NonEmpty(const std::string& s) {
  if (s.empty()) return Error::InvalidArgument("invalid_config", "must not be empty");
  return OkStatus();
}

// "HH:MM" → minutes since midnight (00:00–24:00).
bool ParseClockTime(const std::string& v, std::chrono::minutes* out) {
  if (v.size() != 5 || v[2] != ':' || !isdigit(v[0]) || !isdigit(v[1]) || !isdigit(v[3]) || !isdigit(v[4]))
    return false;
  int h = (v[0] - '0') * 10 + (v[1] - '0'), m = (v[3] - '0') * 10 + (v[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0)) return false;
  *out = std::chrono::minutes(h * 60 + m);
  return true;
}

// [[sms.carriers]]: an array of tables, each one carrier (docs/SMS.md "Configuration").
Status SetCarriers(const toml::node& n, Config& c, const Loader& l, const std::string& key) {
  const toml::array* list = n.as_array();
  if (!list) return l.Fail(n.source(), key + " must be written as [[sms.carriers]] tables");
  for (const toml::node& item : *list) {
    const toml::table* t = item.as_table();
    if (!t) return l.Fail(item.source(), key + ": each entry must be a table");
    sms::CarrierConfig carrier;
    carrier::CarrierOptions& o = carrier.options;
    for (auto&& [k, v] : *t) {
      const std::string name(k.str());
      auto text = [&](std::string* out) -> Status {
        if (!v.is_string()) return l.Fail(v.source(), key + "." + name + " must be a string (in quotes)");
        *out = v.as_string()->get();
        return OkStatus();
      };
      auto integer = [&](int64_t min, int64_t max, int64_t* out) -> Status {
        if (!v.is_integer()) return l.Fail(v.source(), key + "." + name + " must be an integer");
        *out = v.as_integer()->get();
        if (*out < min || *out > max)
          return l.Fail(v.source(), key + "." + name + " must be between " + std::to_string(min) + " and " +
                                        std::to_string(max));
        return OkStatus();
      };
      int64_t i = 0;
      if (name == "name") {
        HOTLINE_RETURN_IF_ERROR(text(&o.name));
      } else if (name == "protocol") {
        HOTLINE_RETURN_IF_ERROR(text(&o.protocol));
      } else if (name == "host") {
        HOTLINE_RETURN_IF_ERROR(text(&o.host));
      } else if (name == "port") {
        HOTLINE_RETURN_IF_ERROR(integer(0, 65535, &i));
        o.port = static_cast<int>(i);
      } else if (name == "system_id") {
        HOTLINE_RETURN_IF_ERROR(text(&o.system_id));
      } else if (name == "password") {
        HOTLINE_RETURN_IF_ERROR(text(&o.password));
      } else if (name == "service_code") {
        HOTLINE_RETURN_IF_ERROR(text(&o.service_code));
      } else if (name == "source_number") {
        HOTLINE_RETURN_IF_ERROR(text(&o.source_number));
      } else if (name == "sessions") {
        HOTLINE_RETURN_IF_ERROR(integer(1, 64, &i));
        o.sessions = static_cast<int>(i);
      } else if (name == "window") {
        HOTLINE_RETURN_IF_ERROR(integer(1, 10000, &i));
        o.window = static_cast<int>(i);
      } else if (name == "throughput") {
        if (!v.is_number() || v.value_or(0.0) <= 0)
          return l.Fail(v.source(), key + ".throughput must be a positive number (parts per second)");
        o.throughput = v.value_or(0.0);
      } else if (name == "price_per_part_fen") {
        HOTLINE_RETURN_IF_ERROR(integer(0, 100000, &o.price_per_part_fen));
      } else if (name == "response_timeout_ms") {
        HOTLINE_RETURN_IF_ERROR(integer(100, 600000, &i));
        o.response_timeout = std::chrono::milliseconds(i);
      } else if (name == "enquire_interval_seconds") {
        HOTLINE_RETURN_IF_ERROR(integer(1, 3600, &i));
        o.enquire_interval = std::chrono::seconds(i);
      } else if (name == "prefixes") {
        const toml::array* prefixes = v.as_array();
        if (!prefixes) return l.Fail(v.source(), key + ".prefixes must be a list of strings");
        for (const toml::node& p : *prefixes) {
          if (!p.is_string()) return l.Fail(p.source(), key + ".prefixes must be a list of strings");
          carrier.prefixes.push_back(p.as_string()->get());
        }
      } else {
        return l.Fail(k.source(), "unknown key '" + name + "' in [[sms.carriers]]");
      }
    }
    if (o.name.empty()) return l.Fail(item.source(), key + ": every carrier needs a name");
    if (o.protocol.empty()) return l.Fail(item.source(), key + ": carrier " + o.name + " needs a protocol");
    for (const auto& other : c.sms.carriers)
      if (other.options.name == o.name)
        return l.Fail(item.source(), key + ": carrier name " + o.name + " twice");
    c.sms.carriers.push_back(std::move(carrier));
  }
  return OkStatus();
}

const std::map<std::string, std::map<std::string, Setter>>& Schema() {
  using std::chrono::seconds;
  static const std::map<std::string, std::map<std::string, Setter>> schema = {
      {"database",
       {{"url", String([](Config& c, const std::string& v) -> Status {
           if (v.rfind("sqlite:", 0) != 0 && v.rfind("postgresql://", 0) != 0 &&
               v.rfind("postgres://", 0) != 0)
             return Error::InvalidArgument(
                 "invalid_config",
                 "must start with sqlite: or postgresql:// (e.g. \"sqlite:var/hotline.db\")");
           c.database.url = v;
           return OkStatus();
         })},
        {"pool_size",
         Integer(1, 256, [](Config& c, int64_t v) { c.database.pool_size = static_cast<int>(v); })},
        {"busy_timeout_ms",
         Integer(0, 600000, [](Config& c, int64_t v) { c.database.busy_timeout_ms = static_cast<int>(v); })},
        {"sqlite_synchronous", String([](Config& c, const std::string& v) -> Status {
           if (v != "full" && v != "normal")
             return Error::InvalidArgument("invalid_config", "must be \"full\" or \"normal\"");
           c.database.sqlite_synchronous_full = v == "full";
           return OkStatus();
         })}}},
      {"http",
       {{"listen", String([](Config& c, const std::string& v) -> Status {
           size_t colon = v.rfind(':');
           if (colon == std::string::npos || colon == 0 || colon + 1 == v.size())
             return Error::InvalidArgument("invalid_config",
                                           "must be \"host:port\", e.g. \"127.0.0.1:12329\"");
           for (size_t i = colon + 1; i < v.size(); ++i)
             if (v[i] < '0' || v[i] > '9' || i - colon > 5)
               return Error::InvalidArgument("invalid_config", "port must be a number 0–65535");
           if (std::stoi(v.substr(colon + 1)) > 65535)
             return Error::InvalidArgument("invalid_config", "port must be a number 0–65535");
           // The host must be a literal address (names are not resolved at start, so a typo would only
           // surface when serving): 0.0.0.0, 127.0.0.1, [::], [::1] …
           std::string host = v.substr(0, colon);
           unsigned char buf[sizeof(struct in6_addr)];
           bool v6 = host.size() > 2 && host.front() == '[' && host.back() == ']';
           if (v6 ? inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), buf) != 1
                  : inet_pton(AF_INET, host.c_str(), buf) != 1)
             return Error::InvalidArgument(
                 "invalid_config",
                 "host must be an IP address such as 127.0.0.1, 0.0.0.0 or [::1] (not a name)");
           c.http.listen = v;
           return OkStatus();
         })},
        {"threads", Integer(0, 256, [](Config& c, int64_t v) { c.http.threads = static_cast<int>(v); })},
        // Before issue 12 the HTTP server had a pool of its own; the key still sizes the shared blocking
        // executor, and 0 still runs may_block handlers on the I/O threads. [runtime] blocking_threads
        // wins when both are set: toml++ visits sections in key order, so [runtime] comes after [http].
        {"blocking_threads", Integer(0, 256,
                                     [](Config& c, int64_t v) {
                                       c.http_blocking_inline = v == 0;
                                       if (v > 0) c.runtime.blocking_threads = static_cast<int>(v);
                                     })},
        {"realtime_priority",
         Integer(0, 99, [](Config& c, int64_t v) { c.http.realtime_priority = static_cast<int>(v); })},
        {"body_limit_bytes",
         Integer(1024, int64_t{1} << 30,
                 [](Config& c, int64_t v) { c.http.body_limit_bytes = static_cast<size_t>(v); })},
        {"read_timeout_seconds",
         Integer(1, 3600, [](Config& c, int64_t v) { c.http.read_timeout = seconds(v); })},
        {"max_connections",
         Integer(1, 1000000, [](Config& c, int64_t v) { c.http.max_connections = static_cast<size_t>(v); })},
        {"static_dir", String([](Config& c, const std::string& v) {
           c.console.static_dir = v;
           return NonEmpty(v);
         })},
        {"secure_cookie", Boolean([](Config& c, bool v) { c.console.secure_cookie = v; })}}},
      {"runtime",
       {{"shutdown_seconds",
         Integer(1, 600, [](Config& c, int64_t v) { c.runtime.shutdown_deadline = seconds(v); })},
        {"blocking_threads",
         Integer(1, 256, [](Config& c, int64_t v) { c.runtime.blocking_threads = static_cast<int>(v); })}}},
      {"log", {{"level", String([](Config& c, const std::string& v) -> Status {
                  if (v != "trace" && v != "debug" && v != "info" && v != "warn" && v != "error")
                    return Error::InvalidArgument("invalid_config",
                                                  "must be one of trace, debug, info, warn, error");
                  c.log_level = v;
                  return OkStatus();
                })}}},
      {"auth",
       {{"session_idle_seconds",
         Integer(1, 7 * 86400, [](Config& c, int64_t v) { c.sessions.idle = seconds(v); })},
        {"session_max_seconds",
         Integer(1, 30 * 86400, [](Config& c, int64_t v) { c.sessions.max_age = seconds(v); })},
        {"max_failed_logins_per_user",
         Integer(1, 1000,
                 [](Config& c, int64_t v) { c.throttle.max_failures_per_user = static_cast<int>(v); })},
        {"max_failed_logins_per_address",
         Integer(1, 100000,
                 [](Config& c, int64_t v) { c.throttle.max_failures_per_address = static_cast<int>(v); })},
        {"lockout_seconds", Integer(1, 86400, [](Config& c, int64_t v) { c.throttle.lockout = seconds(v); })},
        {"argon2_ops_limit",
         Integer(1, 20,
                 [](Config& c, int64_t v) { c.argon2.ops_limit = static_cast<unsigned long long>(v); })},
        {"argon2_mem_limit_kib",
         Integer(8, 4 << 20,
                 [](Config& c, int64_t v) { c.argon2.mem_limit_bytes = static_cast<size_t>(v) * 1024; })}}},
      {"sms",
       {{"carriers", SetCarriers},
        {"push_window_open", String([](Config& c, const std::string& v) -> Status {
           if (!ParseClockTime(v, &c.sms.window.open))
             return Error::InvalidArgument("invalid_config",
                                           "must be a local time \"HH:MM\", e.g. \"08:00\"");
           return OkStatus();
         })},
        {"push_window_close", String([](Config& c, const std::string& v) -> Status {
           if (!ParseClockTime(v, &c.sms.window.close))
             return Error::InvalidArgument("invalid_config",
                                           "must be a local time \"HH:MM\", e.g. \"22:00\"");
           return OkStatus();
         })},
        {"time_zone", String([](Config& c, const std::string& v) -> Status {
           auto zone = TimeZone::Find(v);
           if (!zone.ok())
             return Error::InvalidArgument("invalid_config",
                                           "unknown time zone (use an IANA name like Asia/Shanghai)");
           c.sms.window.zone = *zone;
           return OkStatus();
         })},
        {"poll_interval_ms",
         Integer(10, 60000,
                 [](Config& c, int64_t v) { c.sms.poll_interval = std::chrono::milliseconds(v); })}}},
      {"kpi",
       {{"basis", String([](Config& c, const std::string& v) -> Status {
           if (v != "manual" && v != "all")
             return Error::InvalidArgument("invalid_config", "must be \"manual\" or \"all\"");
           c.kpi.basis = v;
           return OkStatus();
         })},
        {"profile", String([](Config& c, const std::string& v) -> Status {
           if (v != "guideline" && v != "gansu")
             return Error::InvalidArgument("invalid_config", "must be \"guideline\" or \"gansu\"");
           c.kpi.profile = v;
           return OkStatus();
         })},
        {"satisfied_includes_basic",
         Boolean([](Config& c, bool v) { c.kpi.satisfied_includes_basic = v; })}}},
      {"federation",
       {{"upstream_url", String([](Config& c, const std::string& v) -> Status {
           if (v.rfind("http://", 0) != 0)
             return Error::InvalidArgument("invalid_config",
                                           "must be the parent's address, e.g. \"http://10.1.2.3:12329\"");
           c.federation.upstream_url = v;
           while (!c.federation.upstream_url.empty() && c.federation.upstream_url.back() == '/')
             c.federation.upstream_url.pop_back();
           return OkStatus();
         })},
        {"token", String([](Config& c, const std::string& v) -> Status {
           if (v.rfind("fed_", 0) != 0)
             return Error::InvalidArgument("invalid_config",
                                           "must be a token issued by `hotline federation token` (fed_…)");
           c.federation.token = v;
           return OkStatus();
         })},
        {"push_interval_seconds",
         Integer(5, 86400, [](Config& c, int64_t v) { c.federation.interval = seconds(v); })}}},
      {"workorder",
       {{"escalation_interval_seconds",
         Integer(10, 86400, [](Config& c, int64_t v) { c.workorder.escalation.interval = seconds(v); })},
        {"escalation_batch_size",
         Integer(1, 100000,
                 [](Config& c, int64_t v) { c.workorder.escalation.batch_size = static_cast<int>(v); })},
        {"due_soon_workdays", Integer(0, 5,
                                      [](Config& c, int64_t v) {
                                        c.workorder.service.default_deadlines.due_soon_workdays =
                                            static_cast<int>(v);
                                      })},
        {"max_attachment_bytes", Integer(1024, int64_t{64} << 20,
                                         [](Config& c, int64_t v) {
                                           c.workorder.service.max_attachment_bytes = static_cast<size_t>(v);
                                         })}}},
      {"fund",
       {{"backend", String([](Config& c, const std::string& v) -> Status {
           if (v != "embedded" && v != "http")
             return Error::InvalidArgument("invalid_config", "must be \"embedded\" or \"http\"");
           c.fund.backend = v;
           return OkStatus();
         })},
        {"base_url", String([](Config& c, const std::string& v) -> Status {
           if (v.rfind("http://", 0) != 0)
             return Error::InvalidArgument(
                 "invalid_config", "must be the core system's address, e.g. \"http://10.1.2.3:8080/fund\"");
           c.fund.http.base_url = v;
           while (!c.fund.http.base_url.empty() && c.fund.http.base_url.back() == '/')
             c.fund.http.base_url.pop_back();
           return OkStatus();
         })},
        {"timeout_ms",
         Integer(50, 60000,
                 [](Config& c, int64_t v) { c.fund.http.timeout = std::chrono::milliseconds(v); })},
        {"retries", Integer(0, 5, [](Config& c, int64_t v) { c.fund.http.retries = static_cast<int>(v); })},
        {"max_failed_verifications",
         Integer(1, 100, [](Config& c, int64_t v) { c.fund.identity.max_failures = static_cast<int>(v); })},
        {"lockout_seconds",
         Integer(1, 7 * 86400, [](Config& c, int64_t v) { c.fund.identity.lockout = seconds(v); })},
        {"context_ttl_seconds",
         Integer(30, 86400, [](Config& c, int64_t v) { c.fund.identity.context_ttl = seconds(v); })},
        {"appointment_days_ahead",
         Integer(1, 365,
                 [](Config& c, int64_t v) { c.fund.service.max_days_ahead = static_cast<int>(v); })}}},
      {"kb",
       {{"index_dir", String([](Config& c, const std::string& v) {
           c.kb.index_dir = v;
           return NonEmpty(v);
         })},
        {"second_reviewer", Boolean([](Config& c, bool v) { c.kb.service.second_reviewer = v; })}}},
      {"sip",
       {{"listen", String([](Config& c, const std::string& v) -> Status {
           if (v.rfind(':') == std::string::npos)
             return Error::InvalidArgument("invalid_config", "must be \"IP:PORT\", e.g. \"127.0.0.1:5060\"");
           c.voice.listen = v;
           return OkStatus();
         })},
        {"default_center", String([](Config& c, const std::string& v) {
           c.voice.default_center = v;
           return NonEmpty(v);
         })},
        {"called_number", String([](Config& c, const std::string& v) {
           c.voice.called_numbers = {v};
           return NonEmpty(v);
         })}}},
      {"security", {{"secret_key_file", String([](Config& c, const std::string& v) {
                       c.secret_key_file = v;
                       return NonEmpty(v);
                     })}}},
      {"deployment",
       {{"name", String([](Config& c, const std::string& v) {
           c.deployment_name = v;
           return NonEmpty(v);
         })},
        {"time_zone", String([](Config& c, const std::string& v) -> Status {
           if (!TimeZone::Find(v).ok())
             return Error::InvalidArgument("invalid_config",
                                           "unknown time zone (use an IANA name like Asia/Shanghai)");
           c.time_zone = v;
           return OkStatus();
         })}}},
  };
  return schema;
}

}  // namespace

Result<Config> LoadConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error::InvalidArgument(
        "invalid_config",
        path + ":0: cannot read the config file (copy config/hotline.example.toml and edit it)");
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseConfig(ss.str(), path);
}

Result<Config> ParseConfig(std::string_view text, const std::string& path) {
  Config config;
  config.path = path;
  Loader loader{path};
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return loader.Fail(e.source(), std::string(e.description()));
  }
  const auto& schema = Schema();
  for (auto&& [section_key, section_node] : root) {
    std::string section(section_key.str());
    auto s = schema.find(section);
    if (s == schema.end()) return loader.Fail(section_key.source(), "unknown section [" + section + "]");
    if (!section_node.is_table())
      return loader.Fail(section_node.source(), "[" + section + "] must be a table");
    for (auto&& [key, value] : *section_node.as_table()) {
      std::string name(key.str());
      auto k = s->second.find(name);
      if (k == s->second.end())
        return loader.Fail(key.source(), "unknown key '" + name + "' in [" + section + "]");
      HOTLINE_RETURN_IF_ERROR(k->second(value, config, loader, section + "." + name));
    }
  }
  if (config.fund.backend == "http" && config.fund.http.base_url.empty())
    return Error::InvalidArgument("invalid_config", path + ":0: [fund] backend = \"http\" needs base_url");
  if (config.sms.window.open >= config.sms.window.close)
    return Error::InvalidArgument("invalid_config",
                                  path + ":0: [sms] push_window_open must be before push_window_close");
  if (config.secret_key_file.empty())
    config.secret_key_file = (std::filesystem::path(path).parent_path() / "secret.key").string();
  return config;
}

}  // namespace hotline::app
