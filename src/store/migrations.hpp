// Versioned, forward-only schema migrations. Each module owns an ordered list of migrations for its
// own tables; the app applies every module's list at start (`hotline migrate` / `hotline serve`).
// Applied versions are recorded in schema_migrations(module, version); a database that has a newer
// version than the program knows is refused (a downgrade would silently lose columns).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "store/database.hpp"

namespace hotline::store {

struct Migration {
  int version;            // 1, 2, 3… within the module; never renumbered, never edited once released
  std::string_view name;  // what it does, e.g. "create users"
  std::string_view sql;   // statements; {{ID}} expands per dialect (ExpandDialect)
  // When the engines need different statements (triggers, functions): the PostgreSQL version.
  std::string_view postgres_sql = {};
};

struct ModuleMigrations {
  std::string_view module;  // "org", "kb", …
  std::span<const Migration> migrations;
};

// Applies the missing migrations of each module in order, each in its own transaction.
// Safe to run from two processes at once (the second waits, then finds nothing to do).
// Returns the number of migrations applied.
Result<int> Migrate(Database& db, std::span<const ModuleMigrations> modules);

}  // namespace hotline::store
