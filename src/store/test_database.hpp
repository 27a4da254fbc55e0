// Test support: a fresh, empty database for one test, on the engine the environment names.
// With HOTLINE_TEST_DATABASE_URL unset: a SQLite file in a new temp directory.
// With it set to a postgresql:// url (tests/pg/with-postgres.sh sets it): a new schema on that
// server, so every test starts empty and tests never see each other's rows.
#pragma once

#include <memory>

#include "store/database.hpp"

namespace hotline::store {

// REQUIRES: called from tests only. Aborts the test binary if the database cannot be made.
std::unique_ptr<Database> OpenTestDatabase();

// "sqlite" or "postgres": which engine OpenTestDatabase gives (for test names and messages).
const char* TestDatabaseEngine();

}  // namespace hotline::store
