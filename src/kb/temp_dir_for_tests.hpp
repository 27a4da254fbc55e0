// Tests only: the shared test::TempDir (testing/temp_dir.hpp) with the place a kb test puts its search index.
#pragma once

#include <string>

#include "testing/temp_dir.hpp"

namespace hotline::kb {

class TempDir : public test::TempDir {
 public:
  // Where a test puts its search index.
  std::string index() const { return Path("index"); }
};

}  // namespace hotline::kb
