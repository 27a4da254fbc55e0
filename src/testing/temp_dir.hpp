// Test support: a fresh temporary directory for one test, removed with everything in it when the object
// goes away (tests are hermetic: nothing is written outside a TempDir or OpenTestDatabase's database).
// Not thread-safe to construct or destroy; its paths may be read from any thread.
#pragma once

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

namespace hotline::test {

class TempDir {
 public:
  // REQUIRES: the system temp directory is writable (aborts the test binary otherwise).
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "hotline-test-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) {
      std::perror("TempDir: mkdtemp");
      std::abort();
    }
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // The path of `name` inside the directory (not created).
  std::string Path(std::string_view name) const { return (std::filesystem::path(path_) / name).string(); }
  // Writes `content` (bytes, as is) to `name` inside the directory and returns its path.
  std::string WriteFile(std::string_view name, std::string_view content) const {
    std::string p = Path(name);
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

 private:
  std::string path_;
};

}  // namespace hotline::test
