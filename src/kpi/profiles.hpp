// Threshold profiles as data (R-KPI-3…8): the built-in `guideline` and `gansu`, plus profiles an
// organisation defines for itself, and the profile each organisation judges its reports by.
// A profile defined by an organisation can be used for that organisation and everything below it; the
// profile chosen by the nearest organisation on the path upward applies when a report names none.
// Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kpi/indicators.hpp"
#include "org/org_directory.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace hotline::kpi {

extern const store::ModuleMigrations kProfileMigrations;

// {"name","title","thresholds":[{"indicator":"callconnect","op":">=","value":90,"unit":"%"}…]}
// Rates in percent (0.03 = 0.3 ‰), durations in seconds.
nlohmann::json ProfileToJson(const Profile& profile);
// Errors: invalid_field naming the problem (unknown indicator, op, value out of range, duplicate).
Result<Profile> ProfileFromJson(const nlohmann::json& j);

class ProfileStore {
 public:
  ProfileStore(store::Database& db, const org::OrgDirectory& orgs, std::string default_profile)
      : db_(db), orgs_(orgs), default_(std::move(default_profile)) {}

  // Built-ins plus the profiles defined by `org` and its ancestors.
  Result<std::vector<Profile>> Usable(const org::Org& org) const;
  // One usable profile by name. Errors: invalid_field "unknown threshold profile".
  Result<Profile> Resolve(const std::string& name, const org::Org& org) const;
  // The profile `org` is judged by: its own choice, else the nearest ancestor's, else the deployment default.
  Result<Profile> ChosenFor(const org::Org& org) const;

  // Defines or replaces a profile owned by `owner`. Built-in names cannot be redefined.
  Status Define(const org::Org& owner, const Profile& profile);
  // Sets the profile `org` is judged by (must be usable there).
  Status Choose(const org::Org& org, const std::string& name);

 private:
  store::Database& db_;
  const org::OrgDirectory& orgs_;
  std::string default_;
};

}  // namespace hotline::kpi
