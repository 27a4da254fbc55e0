#include "kpi/profiles.hpp"

#include <cmath>
#include <set>

#include "core/text.hpp"

namespace hotline::kpi {
namespace {

constexpr store::Migration kMigrations[] = {
    {1, "threshold profiles and choices", R"sql(
CREATE TABLE kpi_profiles (
  org_id BIGINT NOT NULL,
  name TEXT NOT NULL,
  title TEXT NOT NULL,
  thresholds TEXT NOT NULL,
  PRIMARY KEY (org_id, name)
);
CREATE TABLE kpi_settings (
  org_id BIGINT NOT NULL PRIMARY KEY,
  profile TEXT NOT NULL
);
)sql"},
};

Error Invalid(std::string m) { return Error::InvalidArgument("invalid_field", std::move(m)); }

bool IsDuration(IndicatorId id) { return id == IndicatorId::kWait || id == IndicatorId::kAcw; }

// Ancestor ids of an org from its materialised path, nearest first (the org itself included).
Result<std::vector<org::Org>> PathUp(const org::OrgDirectory& orgs, const org::Org& org) {
  std::vector<org::Org> out;
  std::string_view path = org.path;  // "/MOHURD/GS/GS-LZ/"
  std::vector<std::string> codes;
  size_t pos = 1;
  while (pos < path.size()) {
    size_t end = path.find('/', pos);
    codes.emplace_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  for (auto it = codes.rbegin(); it != codes.rend(); ++it) {
    HOTLINE_ASSIGN_OR_RETURN(org::Org o, orgs.FindByCode(*it));
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace

const store::ModuleMigrations kProfileMigrations = {"kpi_profiles", kMigrations};

nlohmann::json ProfileToJson(const Profile& p) {
  nlohmann::json thresholds = nlohmann::json::array();
  for (const auto& t : p.thresholds)
    thresholds.push_back({{"indicator", FieldName(t.id)},
                          {"op", t.is_minimum ? ">=" : "<="},
                          // Rates are parts per 100,000 (÷1000 → percent), durations ms (÷1000 → s).
                          {"value", t.limit / 1000.0},
                          {"unit", IsDuration(t.id) ? "s" : "%"}});
  return {{"name", p.name}, {"title", p.title}, {"thresholds", thresholds}};
}

Result<Profile> ProfileFromJson(const nlohmann::json& j) {
  if (!j.is_object()) return Invalid("profile must be an object");
  Profile p;
  auto name = j.find("name");
  auto title = j.find("title");
  auto thresholds = j.find("thresholds");
  if (name == j.end() || !name->is_string()) return Invalid("字段 name 是必填项");
  p.name = name->get<std::string>();
  bool ok = p.name.size() >= 2 && p.name.size() <= 32;
  for (char c : p.name) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
  if (!ok) return Invalid("字段 name 须为 2–32 位小写字母、数字、_ 或 -");
  p.title = title != j.end() && title->is_string() ? title->get<std::string>() : p.name;
  if (!IsValidUtf8(p.title) || Utf8Length(p.title) > 50 || HasControlChars(p.title, false))
    return Invalid("字段 title 须为 1–50 个字符");
  if (thresholds == j.end() || !thresholds->is_array() || thresholds->empty())
    return Invalid("字段 thresholds 须为非空数组");
  std::set<IndicatorId> seen;
  for (const auto& t : *thresholds) {
    if (!t.is_object()) return Invalid("thresholds 的每一项须为对象");
    auto ind = t.find("indicator");
    auto op = t.find("op");
    auto value = t.find("value");
    std::optional<IndicatorId> id;
    if (ind != t.end() && ind->is_string())
      for (IndicatorId i : kJudgedIndicators)
        if (FieldName(i) == ind->get<std::string>()) id = i;
    if (!id)
      return Invalid("indicator 须为 callconnect、ABNcalls、waittimeavg、acwavg、complntrate 或 satisrate");
    if (!seen.insert(*id).second) return Invalid("indicator " + std::string(FieldName(*id)) + " 重复");
    if (op == t.end() || !op->is_string() || (*op != ">=" && *op != "<="))
      return Invalid("op 须为 \">=\" 或 \"<=\"");
    if (value == t.end() || !value->is_number() || value->get<double>() < 0 ||
        value->get<double>() > (IsDuration(*id) ? 3600.0 : 100.0))
      return Invalid("value 须为 0–100（%）或 0–3600（秒）");
    p.thresholds.push_back({*id, *op == ">=", std::llround(value->get<double>() * 1000)});
  }
  return p;
}

Result<std::vector<Profile>> ProfileStore::Usable(const org::Org& org) const {
  std::vector<Profile> out = BuiltinProfiles();
  HOTLINE_ASSIGN_OR_RETURN(auto up, PathUp(orgs_, org));
  for (const auto& o : up) {
    HOTLINE_ASSIGN_OR_RETURN(auto r,
                             db_.Query("SELECT name, title, thresholds FROM kpi_profiles WHERE org_id = $1 "
                                       "ORDER BY name",
                                       {o.id}));
    for (const auto& row : r.rows) {
      auto j = nlohmann::json::parse(row[2].AsText(), nullptr, false);
      if (j.is_discarded()) continue;
      auto p = ProfileFromJson({{"name", row[0].AsText()}, {"title", row[1].AsText()}, {"thresholds", j}});
      if (!p.ok()) continue;
      bool shadowed = false;  // a nearer organisation's profile of the same name wins
      for (const auto& q : out) shadowed = shadowed || q.name == p->name;
      if (!shadowed) out.push_back(std::move(p).value());
    }
  }
  return out;
}

Result<Profile> ProfileStore::Resolve(const std::string& name, const org::Org& org) const {
  HOTLINE_ASSIGN_OR_RETURN(auto usable, Usable(org));
  for (auto& p : usable)
    if (p.name == name) return p;
  return Invalid("unknown threshold profile '" + name + "' for " + org.code +
                 " (guideline, gansu, or one defined by "
                 "this organisation or above it)");
}

Result<Profile> ProfileStore::ChosenFor(const org::Org& org) const {
  HOTLINE_ASSIGN_OR_RETURN(auto up, PathUp(orgs_, org));
  for (const auto& o : up) {
    HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query("SELECT profile FROM kpi_settings WHERE org_id = $1", {o.id}));
    if (!r.empty()) return Resolve(r.rows[0][0].AsText(), org);
  }
  return Resolve(default_, org);
}

Status ProfileStore::Define(const org::Org& owner, const Profile& p) {
  if (FindProfile(p.name)) return Invalid("不能重新定义内置标准 " + p.name + "，请换一个名称");
  nlohmann::json thresholds = ProfileToJson(p)["thresholds"];
  HOTLINE_RETURN_IF_ERROR(db_.Query(
      "INSERT INTO kpi_profiles (org_id, name, title, thresholds) VALUES ($1,$2,$3,$4) "
      "ON CONFLICT (org_id, name) DO UPDATE SET title = excluded.title, thresholds = excluded.thresholds",
      {owner.id, p.name, p.title, thresholds.dump()}));
  return OkStatus();
}

Status ProfileStore::Choose(const org::Org& org, const std::string& name) {
  HOTLINE_RETURN_IF_ERROR(Resolve(name, org));
  HOTLINE_RETURN_IF_ERROR(
      db_.Query("INSERT INTO kpi_settings (org_id, profile) VALUES ($1,$2) "
                "ON CONFLICT (org_id) DO UPDATE SET profile = excluded.profile",
                {org.id, name}));
  return OkStatus();
}

}  // namespace hotline::kpi
