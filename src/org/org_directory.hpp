// The supervision tree (R-ORG-1): 住房和城乡建设部 (ministry) → 省住建厅 (province) → 住房公积金管理中心
// (centre). Every call, work order, SMS and indicator belongs to one centre; a user sees their own
// organisation and everything below it. The tree is stored with a materialised path
// ("/MOHURD/GS/GS-LZ/") so "is X inside Y's scope" is a prefix test.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace hotline::org {

enum class OrgLevel { kMinistry, kProvince, kCenter };
std::string_view OrgLevelName(OrgLevel level);  // "ministry" | "province" | "center"
std::optional<OrgLevel> ParseOrgLevel(std::string_view name);

struct Org {
  int64_t id = 0;
  std::string code;  // e.g. "GS-LZ"; unique, 2–32 of A-Z 0-9 '-'
  std::string name;  // e.g. "兰州住房公积金管理中心"
  OrgLevel level = OrgLevel::kCenter;
  std::optional<std::string> parent_code;   // none for the ministry
  std::string path;                         // "/MOHURD/GS/GS-LZ/"
  std::string time_zone = "Asia/Shanghai";  // IANA zone for business days and report periods
  TimePoint created_at;

  // True if `other` is this org or below it (R-ORG-1).
  bool Contains(const Org& other) const { return other.path.rfind(path, 0) == 0; }
};

struct NewOrg {
  std::string code;
  std::string name;
  OrgLevel level = OrgLevel::kCenter;
  std::optional<std::string> parent_code;  // required unless level is ministry
  std::string time_zone = "Asia/Shanghai";
};

// Reads and writes the organisation tree. Thread-safe (state lives in the database).
class OrgDirectory {
 public:
  OrgDirectory(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Validates and inserts. Errors: invalid_field (bad code/name/zone, parent of the wrong level,
  // a second ministry), not_found (no such parent), conflict (code taken).
  Result<Org> Create(const NewOrg& org);
  Result<Org> FindByCode(std::string_view code) const;
  Result<Org> FindById(int64_t id) const;
  // Every org inside `root` (root included), parents before children, siblings by code.
  Result<std::vector<Org>> ListWithin(const Org& root) const;
  Result<std::vector<Org>> ListAll() const;

 private:
  store::Database& db_;
  const Clock& clock_;
};

// Field rules shared by the CLI and the API.
Status ValidateOrgCode(std::string_view code);

extern const store::ModuleMigrations kOrgMigrations;

}  // namespace hotline::org
