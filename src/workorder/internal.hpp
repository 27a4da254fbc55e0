// Helpers shared by the .cpp files of the workorder module. Not a public header: nothing outside
// src/workorder/ includes it. Every function is pure and thread-safe.
#pragma once

#include <cassert>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "org/actor.hpp"
#include "store/database.hpp"
#include "workorder/workorder_service.hpp"

namespace hotline::workorder::internal {

// A WHERE clause under construction: each Add() appends " AND <clause>" with its '?' placeholders
// numbered $n after the parameters already present.
class Where {
 public:
  explicit Where(store::Params* params) : params_(params) {}
  void Add(std::string_view clause, std::initializer_list<store::Value> values = {});
  // "column IN ($a, $b, …)"; an empty list matches nothing.
  void AddIn(std::string_view column, const std::vector<store::Value>& values);
  const std::string& sql() const { return sql_; }

 private:
  store::Params* params_;
  std::string sql_ = " WHERE 1 = 1";
};

// Field rules. Errors: invalid_field naming the field.
// One line of text: `min`…`max` characters, valid UTF-8, no control characters.
Status CheckLine(std::string_view field, std::string_view value, size_t min, size_t max);
// Free text: as CheckLine but tab and line breaks are allowed.
Status CheckText(std::string_view field, std::string_view value, size_t min, size_t max);
// Printable ASCII (0x21…0x7e), `max` characters at most.
Status CheckAscii(std::string_view field, std::string_view value, size_t max);
// A phone number: spaces and '-' removed; an optional leading '+' and 3–20 digits remain.
Result<std::string> NormalizePhone(std::string_view field, std::string_view phone);

// Keyset cursors: "A.B" for two integers (sort key, id); "A" for one.
std::string EncodeCursor(int64_t a, int64_t b);
Result<std::pair<int64_t, int64_t>> DecodeCursor(std::string_view cursor);

// LIKE pattern matching `text` anywhere, with % _ \ escaped (use with ESCAPE '\').
std::string ContainsPattern(std::string_view text);

std::optional<int64_t> OptInt(const store::Value& v);

// The SELECT of an order with its centre and department; rows map with OrderFromRow.
// kOrderColumns + " FROM workorders w" + kOrderJoins == kSelectOrder.
extern const char* const kOrderColumns;
extern const char* const kOrderJoins;
extern const std::string kSelectOrder;

// The search document of a subject: its character bigrams separated by spaces ("提取进度" → "提取 取进
// 进度"), so that FTS5's default tokenizer indexes every bigram as a token. A one-character subject is
// itself.
std::string SubjectGrams(std::string_view subject);
// An FTS5 MATCH expression requiring the bigrams of `text` made of letters, digits and ideographs
// ("提取" AND "取进" …), or "" when there is none (one character, or punctuation only: the caller scans with
// LIKE). Candidates must still be confirmed with LIKE: the bigrams may occur apart.
std::string GramsMatch(std::string_view text);
struct OrderRow {
  WorkOrder order;
  std::string time_zone;  // the centre's
  bool complaint_counted = false;
};
OrderRow OrderFromRow(const store::QueryResult& r, size_t i);

// The actor's audit entry for a record of `org_path`: who (org::Actor::Stamp: the user, or the system
// principal with no user id), from where, through which channel.
org::AuditEntry AuditEntryOf(const org::Actor& actor, const std::string& org_path,
                             const std::string& org_code, std::string action, std::string target_type,
                             std::string target_id, nlohmann::json detail);

// The name timelines show: the user's display name (else username), or the system principal's label
// ("命令行", "语音导航", "短信服务", "定时任务").
std::string DisplayName(const org::Actor& actor);

// Where a phone may be shown in full: to actors with caller_phone.read of the record's own centre.
bool MayShowPhone(const org::Actor& actor, int64_t record_org_id);

// The organisation a request names: the actor's own when `org_code` is empty, else org::FindOrgInScope
// (not_found outside the scope). ResolveCentre also requires a centre (invalid_field).
Result<org::Org> ResolveOrg(const org::OrgDirectory& orgs, const org::Actor& actor,
                            const std::optional<std::string>& org_code);
Result<org::Org> ResolveCentre(const org::OrgDirectory& orgs, const org::Actor& actor,
                               const std::optional<std::string>& org_code);

Error Forbidden(std::string message);

// Appends inside the caller's transaction (the entry commits with the change).
inline Status AuditIn(org::AuditLog& audit, store::Session& s, org::AuditEntry entry) {
  auto r = audit.Append(s, std::move(entry));
  if (!r.ok()) return r.take_error();
  return OkStatus();
}

}  // namespace hotline::workorder::internal

namespace hotline::workorder {

struct WorkOrderService::Context {
  const org::Actor& actor;
  bool read_all = false;             // workorder.read_all: every order in scope, not only its departments'
  std::vector<int64_t> departments;  // memberships of an actor without read_all (a department user)

  bool IsMember(std::optional<int64_t> department_id) const;
  // R-ORG-1, plus: actors without workorder.read_all see only orders dispatched to their departments.
  bool CanSee(const WorkOrder& order) const;
  // Only actors of the order's own centre act on it.
  bool AtCentre(int64_t org_id) const { return actor.org().id == org_id; }
};

struct WorkOrderService::Row : internal::OrderRow {};

}  // namespace hotline::workorder
