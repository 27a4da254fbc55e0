// Serves the built console (ui/dist) from memory: files are read once at start. Unknown paths that
// are not under /api/ get index.html, so the console's client-side routes (/users, /audit …) load.
// Thread-safe after Load().
#pragma once

#include <string>
#include <unordered_map>

#include "web/http.hpp"

namespace hotline::web {

class StaticFiles {
 public:
  // Reads every file under `dir`. A missing directory is not an error: the console then answers a page
  // that says how to build it (`make ui`).
  void Load(const std::string& dir);
  Response Serve(const Request& request) const;
  size_t file_count() const { return files_.size(); }

 private:
  struct File {
    std::string body;
    std::string content_type;
  };
  std::unordered_map<std::string, File> files_;  // key: "/assets/x.js"
  std::string dir_;
};

}  // namespace hotline::web
