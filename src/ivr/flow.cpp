// The flow-file parser and validator (flow.hpp; the format is in docs/IVR.md "Flow files").
#include "ivr/flow.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <fstream>
#include <functional>
#include <set>
#include <sstream>

namespace hotline::ivr {
namespace {

struct TypeName {
  NodeType type;
  const char* name;
};
constexpr TypeName kTypes[] = {
    {NodeType::kPlay, "play"},
    {NodeType::kMenu, "menu"},
    {NodeType::kCollect, "collect"},
    {NodeType::kVerify, "verify"},
    {NodeType::kQuery, "query"},
    {NodeType::kBook, "book"},
    {NodeType::kSms, "sms"},
    {NodeType::kKbCategories, "kb"},
    {NodeType::kBranches, "branches"},
    {NodeType::kHours, "hours"},
    {NodeType::kTime, "time"},
    {NodeType::kCallback, "callback"},
    {NodeType::kVoicemail, "voicemail"},
    {NodeType::kTransfer, "transfer"},
    {NodeType::kHangup, "hangup"},
};

// Keys every node may have, then the keys of each type.
const std::set<std::string, std::less<>> kCommonKeys = {"type", "prompt", "prompts", "barge_in", "level"};
const std::map<NodeType, std::set<std::string, std::less<>>> kTypeKeys = {
    {NodeType::kPlay, {"next"}},
    {NodeType::kMenu, {"choices", "timeout_ms", "retries", "retry_prompt", "invalid_prompt", "on_fail"}},
    {NodeType::kCollect,
     {"var", "length", "min_length", "max_length", "terminator", "timeout_ms", "inter_digit_ms", "total_ms",
      "retries", "retry_prompt", "invalid_prompt", "next", "on_fail", "star_is_x"}},
    {NodeType::kVerify,
     {"subject", "login_var", "password_var", "kind_var", "next", "on_fail", "locked", "on_busy",
      "failed_prompt", "locked_prompt", "busy_prompt"}},
    {NodeType::kQuery, {"query", "item_prompt", "empty_prompt", "next", "on_busy", "login"}},
    {NodeType::kBook,
     {"kind", "item_prompt", "confirm_prompt", "done_prompt", "empty_prompt", "next", "on_busy", "on_fail",
      "login", "timeout_ms", "retries"}},
    {NodeType::kSms, {"content", "action", "done_prompt", "next", "on_busy", "login"}},
    {NodeType::kKbCategories,
     {"category", "choice_prompt", "item_prompt", "empty_prompt", "next", "on_busy", "timeout_ms",
      "retries"}},
    {NodeType::kBranches, {"item_prompt", "empty_prompt", "next", "on_busy"}},
    {NodeType::kHours, {"open", "closed"}},
    {NodeType::kTime, {"ranges", "otherwise"}},
    {NodeType::kCallback, {"confirm_prompt", "done_prompt", "next", "on_busy", "timeout_ms", "retries"}},
    {NodeType::kVoicemail, {"max_seconds", "done_prompt", "next", "on_busy"}},
    {NodeType::kTransfer, {"fallback"}},
    {NodeType::kHangup, {}},
};
const std::set<std::string, std::less<>> kQueries = {"account", "loans", "progress", "unit"};
const std::set<std::string, std::less<>> kBookKinds = {"loan_application", "loan_repayment", "withdrawal",
                                                       "unit_business"};
const std::set<std::string, std::less<>> kSmsContents = {"账户信息", "贷款信息", "业务告知", "单位账户信息",
                                                         "单位业务告知"};

class Parser {
 public:
  Parser(Flow& flow, FlowErrors& errors) : flow_(flow), errors_(errors) {}

  void Fail(std::string_view file, int line, std::string message) {
    errors_.messages.push_back(fmt::format("{}:{}: {}", file, line, message));
  }
  void Fail(std::string_view file, const toml::node& n, std::string message) {
    Fail(file, static_cast<int>(n.source().begin.line), std::move(message));
  }

  void Parse(std::string_view text, std::string_view file, bool overlay) {
    file_ = std::string(file);
    flow_.files.push_back(file_);
    toml::table root;
    try {
      root = toml::parse(text, file_);
    } catch (const toml::parse_error& e) {
      Fail(file_, static_cast<int>(e.source().begin.line), std::string(e.description()));
      return;
    }
    for (auto&& [key, value] : root) {
      std::string_view k = key.str();
      if (k == "flow") {
        if (overlay) {
          Fail(file_, value, "an overlay may not change [flow]");
          continue;
        }
        ParseFlowTable(value);
      } else if (k == "prompt") {
        ForEachTable(value, "prompt",
                     [&](const std::string& id, const toml::table& t) { ParsePrompt(id, t); });
      } else if (k == "node") {
        ForEachTable(value, "node",
                     [&](const std::string& id, const toml::table& t) { ParseNode(id, t, overlay); });
      } else if (k == "extend") {
        if (!overlay) {
          Fail(file_, value, "[extend.…] belongs in a centre's overlay file");
          continue;
        }
        ForEachTable(value, "extend",
                     [&](const std::string& id, const toml::table& t) { ParseExtend(id, t); });
      } else {
        Fail(file_, value, fmt::format("unknown table or key '{}' (expected flow, prompt, node, extend)", k));
      }
    }
  }

 private:
  template <typename F>
  void ForEachTable(const toml::node& value, const char* what, F f) {
    const toml::table* t = value.as_table();
    if (!t) {
      Fail(file_, value, fmt::format("'{}' must be a table of [{}.ID] tables", what, what));
      return;
    }
    for (auto&& [id, v] : *t) {
      const toml::table* sub = v.as_table();
      if (!sub) {
        Fail(file_, v, fmt::format("{}.{} must be a table", what, id.str()));
        continue;
      }
      if (!ValidId(id.str())) {
        Fail(file_, v, fmt::format("bad {} id '{}': use letters, digits and _ (1–64)", what, id.str()));
        continue;
      }
      f(std::string(id.str()), *sub);
    }
  }
  static bool ValidId(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    }
    return true;
  }

  bool String(const toml::node& n, const std::string& key, std::string& out) {
    if (auto s = n.value<std::string>(); s && n.is_string()) {
      out = *s;
      return true;
    }
    Fail(file_, n, fmt::format("'{}' must be a string", key));
    return false;
  }
  bool Int(const toml::node& n, const std::string& key, int64_t lo, int64_t hi, int64_t& out) {
    if (!n.is_integer()) {
      Fail(file_, n, fmt::format("'{}' must be an integer", key));
      return false;
    }
    int64_t v = *n.value<int64_t>();
    if (v < lo || v > hi) {
      Fail(file_, n, fmt::format("'{}' = {} is out of range {}–{}", key, v, lo, hi));
      return false;
    }
    out = v;
    return true;
  }
  bool Bool(const toml::node& n, const std::string& key, bool& out) {
    if (!n.is_boolean()) {
      Fail(file_, n, fmt::format("'{}' must be true or false", key));
      return false;
    }
    out = *n.value<bool>();
    return true;
  }
  bool Millis(const toml::node& n, const std::string& key, std::chrono::milliseconds& out) {
    int64_t v = 0;
    if (!Int(n, key, 500, 120000, v)) return false;
    out = std::chrono::milliseconds(v);
    return true;
  }

  void ParseFlowTable(const toml::node& value) {
    const toml::table* t = value.as_table();
    if (!t) {
      Fail(file_, value, "[flow] must be a table");
      return;
    }
    flow_line_ = static_cast<int>(value.source().begin.line);
    for (auto&& [key, v] : *t) {
      std::string k(key.str());
      int64_t n = 0;
      if (k == "name") {
        String(v, k, flow_.name);
      } else if (k == "start") {
        String(v, k, flow_.start);
      } else if (k == "agent") {
        String(v, k, flow_.agent);
      } else if (k == "back_prompt") {
        String(v, k, flow_.back_prompt);
      } else if (k == "timeout_ms") {
        Millis(v, k, flow_.defaults.timeout);
      } else if (k == "inter_digit_ms") {
        Millis(v, k, flow_.defaults.inter_digit);
      } else if (k == "total_ms") {
        Millis(v, k, flow_.defaults.total);
      } else if (k == "retries") {
        if (Int(v, k, 0, 9, n)) flow_.defaults.retries = static_cast<int>(n);
      } else if (k == "retry_prompt") {
        String(v, k, flow_.defaults.retry_prompt);
      } else if (k == "invalid_prompt") {
        String(v, k, flow_.defaults.invalid_prompt);
      } else if (k == "busy_prompt") {
        String(v, k, flow_.defaults.busy_prompt);
      } else {
        Fail(file_, v, fmt::format("unknown key '{}' in [flow]", k));
      }
    }
  }

  void ParsePrompt(const std::string& id, const toml::table& t) {
    if (flow_.prompts.count(id)) {
      Fail(file_, t,
           fmt::format("prompt '{}' is defined twice (first at {}:{})", id, flow_.prompts[id].file,
                       flow_.prompts[id].line));
      return;
    }
    Prompt p{.id = id, .file = file_, .line = static_cast<int>(t.source().begin.line)};
    for (auto&& [key, v] : t) {
      std::string k(key.str());
      if (k == "text") {
        String(v, k, p.text);
      } else if (k == "recording") {
        if (String(v, k, p.recording) &&
            (p.recording.find('/') != std::string::npos || p.recording.find("..") != std::string::npos)) {
          Fail(file_, v, "'recording' is a file name in the prompt folder, without a path");
        }
      } else {
        Fail(file_, v, fmt::format("unknown key '{}' in prompt '{}' (expected text, recording)", k, id));
      }
    }
    if (p.text.empty()) Fail(file_, t, fmt::format("prompt '{}' has no text", id));
    if (p.text.size() > 2000) Fail(file_, t, fmt::format("prompt '{}' is longer than 2000 bytes", id));
    flow_.prompts[id] = std::move(p);
  }

  void ParseNode(const std::string& id, const toml::table& t, bool overlay) {
    Node node{.id = id, .file = file_, .line = static_cast<int>(t.source().begin.line)};
    if (auto it = flow_.nodes.find(id); it != flow_.nodes.end()) {
      if (overlay && it->second.level > 0 && it->second.level <= 2) {
        Fail(file_, t,
             fmt::format("node '{}' is a national level-{} node: a centre may only add levels below "
                         "the second (use [extend.{}] to add keys)",
                         id, it->second.level, id));
      } else {
        Fail(
            file_, t,
            fmt::format("node '{}' is defined twice (first at {}:{})", id, it->second.file, it->second.line));
      }
      return;
    }
    const toml::node* type_node = t.get("type");
    std::string type_name;
    if (!type_node) {
      Fail(file_, t, fmt::format("node '{}' has no type", id));
      return;
    }
    if (!String(*type_node, "type", type_name)) return;
    auto type = ParseNodeType(type_name);
    if (!type) {
      Fail(file_, *type_node, fmt::format("unknown node type '{}'", type_name));
      return;
    }
    node.type = *type;
    const auto& allowed = kTypeKeys.at(node.type);
    for (auto&& [key, v] : t) {
      std::string k(key.str());
      if (!kCommonKeys.count(k) && !allowed.count(k)) {
        Fail(file_, v, fmt::format("unknown key '{}' for a {} node", k, type_name));
        continue;
      }
      ParseNodeKey(node, k, v);
    }
    if (overlay && node.level > 0 && node.level <= 2) {
      Fail(file_, t,
           fmt::format("node '{}': a centre's overlay adds levels below the second (level ≥ 3)", id));
    }
    flow_.nodes[id] = std::move(node);
  }

  void ParseNodeKey(Node& node, const std::string& k, const toml::node& v) {
    int64_t n = 0;
    std::string s;
    if (k == "type") return;
    if (k == "prompt") {
      if (String(v, k, s)) node.prompts = {s};
    } else if (k == "prompts") {
      const toml::array* a = v.as_array();
      if (!a) {
        Fail(file_, v, "'prompts' must be an array of prompt ids");
        return;
      }
      node.prompts.clear();
      for (const auto& e : *a) {
        if (String(e, k, s)) node.prompts.push_back(s);
      }
    } else if (k == "barge_in") {
      Bool(v, k, node.barge_in);
    } else if (k == "level") {
      if (Int(v, k, 1, 9, n)) node.level = static_cast<int>(n);
    } else if (k == "next") {
      String(v, k, node.next);
    } else if (k == "on_fail") {
      String(v, k, node.on_fail);
    } else if (k == "on_busy") {
      String(v, k, node.on_busy);
    } else if (k == "login") {
      String(v, k, node.login);
    } else if (k == "choices") {
      ParseChoices(node, v, false);
    } else if (k == "timeout_ms") {
      Millis(v, k, node.timeout);
    } else if (k == "inter_digit_ms") {
      Millis(v, k, node.inter_digit);
    } else if (k == "total_ms") {
      Millis(v, k, node.total);
    } else if (k == "retries") {
      if (Int(v, k, 0, 9, n)) node.retries = static_cast<int>(n);
    } else if (k == "retry_prompt") {
      String(v, k, node.retry_prompt);
    } else if (k == "invalid_prompt") {
      String(v, k, node.invalid_prompt);
    } else if (k == "var") {
      if (String(v, k, node.var) && !ValidId(node.var)) Fail(file_, v, "bad variable name");
    } else if (k == "length") {
      if (Int(v, k, 1, 32, n)) node.min_length = node.max_length = static_cast<int>(n);
    } else if (k == "min_length") {
      if (Int(v, k, 1, 32, n)) node.min_length = static_cast<int>(n);
    } else if (k == "max_length") {
      if (Int(v, k, 1, 32, n)) node.max_length = static_cast<int>(n);
    } else if (k == "terminator") {
      if (String(v, k, node.terminator) && node.terminator != "#" && !node.terminator.empty()) {
        Fail(file_, v, "'terminator' must be \"#\" or \"\"");
      }
    } else if (k == "star_is_x") {
      Bool(v, k, node.star_is_x);
    } else if (k == "subject") {
      if (String(v, k, node.subject) && node.subject != "person" && node.subject != "unit") {
        Fail(file_, v, "'subject' must be \"person\" or \"unit\"");
      }
    } else if (k == "login_var") {
      String(v, k, node.login_var);
    } else if (k == "password_var") {
      String(v, k, node.password_var);
    } else if (k == "kind_var") {
      String(v, k, node.kind_var);
    } else if (k == "locked") {
      String(v, k, node.locked);
    } else if (k == "failed_prompt") {
      String(v, k, node.failed_prompt);
    } else if (k == "locked_prompt") {
      String(v, k, node.locked_prompt);
    } else if (k == "busy_prompt") {
      String(v, k, node.busy_prompt);
    } else if (k == "query") {
      if (String(v, k, node.what) && !kQueries.count(node.what)) {
        Fail(file_, v, fmt::format("unknown query '{}' (account, loans, progress, unit)", node.what));
      }
    } else if (k == "kind") {
      if (String(v, k, node.what) && !kBookKinds.count(node.what)) {
        Fail(file_, v, fmt::format("unknown appointment kind '{}'", node.what));
      }
    } else if (k == "content") {
      if (String(v, k, node.what) && !kSmsContents.count(node.what)) {
        Fail(file_, v,
             fmt::format("unknown SMS content type '{}' (账户信息, 贷款信息, 业务告知, 单位账户信息, "
                         "单位业务告知)",
                         node.what));
      }
    } else if (k == "action") {
      if (String(v, k, node.action) && node.action != "subscribe" && node.action != "cancel") {
        Fail(file_, v, "'action' must be \"subscribe\" or \"cancel\"");
      }
    } else if (k == "item_prompt") {
      String(v, k, node.item_prompt);
    } else if (k == "empty_prompt") {
      String(v, k, node.empty_prompt);
    } else if (k == "done_prompt") {
      String(v, k, node.done_prompt);
    } else if (k == "choice_prompt") {
      String(v, k, node.choice_prompt);
    } else if (k == "confirm_prompt") {
      String(v, k, node.confirm_prompt);
    } else if (k == "max_seconds") {
      if (Int(v, k, 5, 60, n)) node.max_seconds = static_cast<int>(n);
    } else if (k == "category") {
      String(v, k, node.category);
    } else if (k == "open") {
      String(v, k, node.open);
    } else if (k == "closed") {
      String(v, k, node.closed);
    } else if (k == "otherwise") {
      String(v, k, node.otherwise);
    } else if (k == "fallback") {
      String(v, k, node.fallback);
    } else if (k == "ranges") {
      ParseRanges(node, v);
    }
  }

  void ParseChoices(Node& node, const toml::node& v, bool extending) {
    const toml::table* t = v.as_table();
    if (!t) {
      Fail(file_, v, "'choices' must be a table of key = \"node\"");
      return;
    }
    for (auto&& [key, target] : *t) {
      std::string k(key.str());
      if (k.size() != 1 || k[0] < '0' || k[0] > '9') {
        Fail(file_, target,
             fmt::format("menu key '{}' must be one digit 0–9 (* repeats and # goes back)", k));
        continue;
      }
      if (extending && node.choices.count(k)) {
        Fail(file_, target, fmt::format("key {} of national menu '{}' is taken", k, node.id));
        continue;
      }
      std::string to;
      if (String(target, k, to)) node.choices[k] = to;
    }
  }

  void ParseRanges(Node& node, const toml::node& v) {
    const toml::array* a = v.as_array();
    if (!a) {
      Fail(file_, v, "'ranges' must be an array of { from, until, next, weekdays }");
      return;
    }
    for (const auto& e : *a) {
      const toml::table* t = e.as_table();
      if (!t) {
        Fail(file_, e, "a range must be a table { from = \"08:00\", until = \"12:00\", next = \"…\" }");
        continue;
      }
      TimeRange r;
      bool ok = true;
      for (auto&& [key, x] : *t) {
        std::string k(key.str()), s;
        if (k == "from" || k == "until") {
          int minute = 0;
          if (!String(x, k, s) || !ParseClock(s, minute)) {
            Fail(file_, x, fmt::format("'{}' must be HH:MM (00:00–24:00)", k));
            ok = false;
            continue;
          }
          (k == "from" ? r.from_minute : r.until_minute) = minute;
        } else if (k == "next") {
          ok &= String(x, k, r.next);
        } else if (k == "weekdays") {
          const toml::array* days = x.as_array();
          if (!days) {
            Fail(file_, x, "'weekdays' must be an array of 1 (Monday) … 7 (Sunday)");
            ok = false;
            continue;
          }
          for (const auto& d : *days) {
            int64_t n = 0;
            if (Int(d, "weekdays", 1, 7, n)) r.weekdays.push_back(static_cast<int>(n));
          }
        } else {
          Fail(file_, x, fmt::format("unknown key '{}' in a time range", k));
          ok = false;
        }
      }
      if (ok && r.from_minute >= r.until_minute) {
        Fail(file_, e, "a time range must end after it starts");
        ok = false;
      }
      if (ok && r.next.empty()) Fail(file_, e, "a time range needs 'next'");
      if (ok) node.ranges.push_back(std::move(r));
    }
  }
  static bool ParseClock(const std::string& s, int& minute) {
    if (s.size() != 5 || s[2] != ':' || !std::isdigit(static_cast<unsigned char>(s[0])) ||
        !std::isdigit(static_cast<unsigned char>(s[1])) || !std::isdigit(static_cast<unsigned char>(s[3])) ||
        !std::isdigit(static_cast<unsigned char>(s[4]))) {
      return false;
    }
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 24 || m > 59 || (h == 24 && m != 0)) return false;
    minute = h * 60 + m;
    return true;
  }

  void ParseExtend(const std::string& id, const toml::table& t) {
    auto it = flow_.nodes.find(id);
    if (it == flow_.nodes.end() || it->second.type != NodeType::kMenu) {
      Fail(file_, t, fmt::format("[extend.{}]: no menu '{}' in the national flow", id, id));
      return;
    }
    for (auto&& [key, v] : t) {
      if (key.str() != "choices") {
        Fail(file_, v, fmt::format("unknown key '{}' in [extend.{}] (only choices)", key.str(), id));
        continue;
      }
      ParseChoices(it->second, v, true);
    }
  }

 public:
  int flow_line_ = 1;
  std::string first_file_;

 private:
  Flow& flow_;
  FlowErrors& errors_;
  std::string file_;
};

// The checks across nodes: references, prompts, reachability, loops without input, type-specific musts.
void Validate(Flow& flow, FlowErrors& errors, const std::string& base_file, int flow_line) {
  auto fail = [&](const std::string& file, int line, std::string message) {
    errors.messages.push_back(fmt::format("{}:{}: {}", file, line, message));
  };
  if (flow.start.empty()) fail(base_file, flow_line, "[flow] needs 'start' (the first node)");
  if (flow.agent.empty()) fail(base_file, flow_line, "[flow] needs 'agent' (where 0 leads from every menu)");
  for (const auto& [ref, what] : {std::pair{flow.start, "start"}, std::pair{flow.agent, "agent"}}) {
    if (!ref.empty() && !flow.Find(ref))
      fail(base_file, flow_line, fmt::format("[flow] {}: unknown node '{}'", what, ref));
  }
  auto need_prompt = [&](const Node& n, const std::string& id, const char* key) {
    if (id.empty()) return;
    if (!flow.FindPrompt(id))
      fail(n.file, n.line, fmt::format("node '{}': {}: missing prompt '{}'", n.id, key, id));
  };
  for (const std::string& id : {flow.defaults.retry_prompt, flow.defaults.invalid_prompt,
                                flow.defaults.busy_prompt, flow.back_prompt}) {
    if (!id.empty() && !flow.FindPrompt(id))
      fail(base_file, flow_line, fmt::format("[flow]: missing prompt '{}'", id));
  }
  for (auto& [id, n] : flow.nodes) {
    for (const auto& p : n.prompts) need_prompt(n, p, "prompt");
    need_prompt(n, n.retry_prompt, "retry_prompt");
    need_prompt(n, n.invalid_prompt, "invalid_prompt");
    need_prompt(n, n.failed_prompt, "failed_prompt");
    need_prompt(n, n.locked_prompt, "locked_prompt");
    need_prompt(n, n.busy_prompt, "busy_prompt");
    need_prompt(n, n.item_prompt, "item_prompt");
    need_prompt(n, n.empty_prompt, "empty_prompt");
    need_prompt(n, n.done_prompt, "done_prompt");
    need_prompt(n, n.confirm_prompt, "confirm_prompt");
    need_prompt(n, n.choice_prompt, "choice_prompt");
    for (const auto& to : n.Edges()) {
      if (!flow.Find(to)) fail(n.file, n.line, fmt::format("node '{}': unknown node '{}'", id, to));
    }
    auto must = [&](bool ok, const char* what) {
      if (!ok) fail(n.file, n.line, fmt::format("node '{}' ({}): {}", id, NodeTypeName(n.type), what));
    };
    switch (n.type) {
      case NodeType::kPlay:
        must(!n.prompts.empty(), "needs a prompt");
        must(!n.next.empty(), "needs 'next'");
        break;
      case NodeType::kMenu:
        must(!n.prompts.empty(), "needs a prompt");  // choices may be empty: then only * # 0
        break;
      case NodeType::kCollect:
        must(!n.prompts.empty(), "needs a prompt");
        must(!n.var.empty(), "needs 'var'");
        must(!n.next.empty(), "needs 'next'");
        must(n.min_length <= n.max_length, "min_length is above max_length");
        must(n.min_length == n.max_length || !n.terminator.empty(),
             "a variable length needs terminator = \"#\"");
        break;
      case NodeType::kVerify:
        must(!n.login_var.empty() && !n.password_var.empty(), "needs 'login_var' and 'password_var'");
        must(!n.next.empty() && !n.on_fail.empty() && !n.locked.empty(),
             "needs 'next', 'on_fail' and 'locked'");
        must(!n.failed_prompt.empty() && !n.locked_prompt.empty(),
             "needs 'failed_prompt' and 'locked_prompt'");
        break;
      case NodeType::kQuery:
        must(!n.what.empty(), "needs 'query'");
        must(!n.item_prompt.empty(), "needs 'item_prompt'");
        must(!n.next.empty() && !n.login.empty(), "needs 'next' and 'login'");
        break;
      case NodeType::kBook:
        must(!n.what.empty(), "needs 'kind'");
        must(!n.item_prompt.empty() && !n.confirm_prompt.empty() && !n.done_prompt.empty(),
             "needs 'item_prompt', 'confirm_prompt' and 'done_prompt'");
        must(!n.next.empty() && !n.login.empty(), "needs 'next' and 'login'");
        break;
      case NodeType::kSms:
        must(!n.what.empty() && !n.action.empty(), "needs 'content' and 'action'");
        must(!n.done_prompt.empty(), "needs 'done_prompt'");
        must(!n.next.empty() && !n.login.empty(), "needs 'next' and 'login'");
        break;
      case NodeType::kKbCategories:
        must(!n.choice_prompt.empty(),
             "needs 'choice_prompt' (how one category is offered: {category} {key})");
        [[fallthrough]];
      case NodeType::kBranches:
        must(!n.item_prompt.empty(), "needs 'item_prompt'");
        must(!n.next.empty(), "needs 'next'");
        break;
      case NodeType::kHours:
        must(!n.open.empty() && !n.closed.empty(), "needs 'open' and 'closed'");
        break;
      case NodeType::kTime:
        must(!n.ranges.empty() && !n.otherwise.empty(), "needs 'ranges' and 'otherwise'");
        break;
      case NodeType::kCallback:
        must(!n.confirm_prompt.empty() && !n.done_prompt.empty(), "needs 'confirm_prompt' and 'done_prompt'");
        must(!n.next.empty(), "needs 'next'");
        break;
      case NodeType::kVoicemail:
        must(!n.prompts.empty() && !n.done_prompt.empty(), "needs a prompt and 'done_prompt'");
        must(!n.next.empty(), "needs 'next'");
        break;
      case NodeType::kTransfer:
        must(!n.fallback.empty(), "needs 'fallback' (until agents are connected: a call-back offer)");
        break;
      case NodeType::kHangup:
        break;
    }
  }
  if (!errors.ok()) return;  // the graph checks need sound references
  // Reachable from start; 0 from every menu reaches the agent node; verification's re-entry nodes.
  std::set<std::string> seen;
  std::vector<std::string> todo = {flow.start, flow.agent};
  while (!todo.empty()) {
    std::string id = todo.back();
    todo.pop_back();
    if (!seen.insert(id).second) continue;
    for (const auto& to : flow.nodes.at(id).Edges()) todo.push_back(to);
  }
  for (const auto& [id, n] : flow.nodes) {
    if (!seen.count(id))
      fail(n.file, n.line, fmt::format("node '{}' is unreachable from '{}'", id, flow.start));
  }
  // A cycle through nodes none of which waits for the caller would spin forever.
  std::map<std::string, int> color;  // 0 new, 1 on stack, 2 done
  std::function<bool(const std::string&)> dfs = [&](const std::string& id) {
    color[id] = 1;
    const Node& n = flow.nodes.at(id);
    if (!n.WaitsForInput()) {
      for (const auto& to : n.Edges()) {
        const Node& m = flow.nodes.at(to);
        if (m.WaitsForInput()) continue;
        if (color[to] == 1) {
          fail(m.file, m.line,
               fmt::format("loop without input: '{}' → '{}' comes back without waiting for a key", id, to));
          return true;
        }
        if (color[to] == 0 && dfs(to)) return true;
      }
    }
    color[id] = 2;
    return false;
  };
  for (const auto& [id, n] : flow.nodes) {
    if (!n.WaitsForInput() && color[id] == 0 && dfs(id)) break;
  }
}

}  // namespace

std::string_view NodeTypeName(NodeType t) {
  for (const auto& tn : kTypes) {
    if (tn.type == t) return tn.name;
  }
  return "?";
}
std::optional<NodeType> ParseNodeType(std::string_view name) {
  for (const auto& tn : kTypes) {
    if (name == tn.name) return tn.type;
  }
  return std::nullopt;
}

bool Node::WaitsForInput() const {
  switch (type) {
    case NodeType::kMenu:
    case NodeType::kCollect:
    case NodeType::kBook:
    case NodeType::kKbCategories:
    case NodeType::kCallback:
    case NodeType::kVoicemail:
    case NodeType::kHangup:
    case NodeType::kTransfer:  // leaves the IVR, or falls back to a call-back offer that waits
      return true;
    default:
      return false;
  }
}

std::vector<std::string> Node::Edges() const {
  std::vector<std::string> out;
  for (const std::string* s :
       {&next, &on_fail, &on_busy, &login, &locked, &open, &closed, &otherwise, &fallback}) {
    if (!s->empty()) out.push_back(*s);
  }
  for (const auto& [k, to] : choices) out.push_back(to);
  for (const auto& r : ranges) out.push_back(r.next);
  return out;
}

const Node* Flow::Find(std::string_view id) const {
  auto it = nodes.find(std::string(id));
  return it == nodes.end() ? nullptr : &it->second;
}
const Prompt* Flow::FindPrompt(std::string_view id) const {
  auto it = prompts.find(std::string(id));
  return it == prompts.end() ? nullptr : &it->second;
}

std::string FlowErrors::Joined() const {
  std::string out;
  for (const auto& m : messages) out += m + "\n";
  return out;
}

Result<Flow> ParseFlow(std::string_view text, std::string_view file, FlowErrors* errors,
                       std::optional<std::pair<std::string_view, std::string_view>> overlay) {
  FlowErrors local;
  FlowErrors& errs = errors ? *errors : local;
  Flow flow;
  Parser parser(flow, errs);
  parser.Parse(text, file, false);
  const int flow_line = parser.flow_line_;
  if (errs.ok() && overlay) parser.Parse(overlay->first, overlay->second, true);
  if (errs.ok()) Validate(flow, errs, std::string(file), flow_line);
  if (!errs.ok()) return Error::InvalidArgument("invalid_flow", errs.Joined());
  return flow;
}

Result<Flow> LoadFlow(const std::string& path, const std::string& overlay_path, FlowErrors* errors) {
  auto read = [](const std::string& p, std::string& out) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return true;
  };
  std::string base, over;
  if (!read(path, base)) return Error::InvalidArgument("invalid_flow", "cannot read flow file " + path);
  if (!overlay_path.empty() && !read(overlay_path, over)) {
    return Error::InvalidArgument("invalid_flow", "cannot read overlay file " + overlay_path);
  }
  std::optional<std::pair<std::string_view, std::string_view>> ov;
  if (!overlay_path.empty()) ov = std::pair<std::string_view, std::string_view>{over, overlay_path};
  return ParseFlow(base, path, errors, ov);
}

Status FlowLibrary::Reload() {
  HOTLINE_ASSIGN_OR_RETURN(Flow base, LoadFlow(options_.base));
  auto base_ptr = std::make_shared<const Flow>(std::move(base));
  std::map<std::string, std::shared_ptr<const Flow>, std::less<>> by_centre;
  for (const auto& [centre, path] : options_.overlays) {
    HOTLINE_ASSIGN_OR_RETURN(Flow f, LoadFlow(options_.base, path));
    by_centre[centre] = std::make_shared<const Flow>(std::move(f));
  }
  std::lock_guard lock(mutex_);
  base_ = std::move(base_ptr);
  by_centre_ = std::move(by_centre);
  ++generation_;
  return {};
}

std::shared_ptr<const Flow> FlowLibrary::For(std::string_view centre) const {
  std::lock_guard lock(mutex_);
  if (auto it = by_centre_.find(centre); it != by_centre_.end()) return it->second;
  return base_;
}

uint64_t FlowLibrary::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

std::string FillTemplate(std::string_view text, const std::map<std::string, std::string>& values) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '{') {
      size_t end = text.find('}', i);
      if (end != std::string_view::npos) {
        auto it = values.find(std::string(text.substr(i + 1, end - i - 1)));
        if (it != values.end()) out += it->second;
        i = end + 1;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

}  // namespace hotline::ivr
