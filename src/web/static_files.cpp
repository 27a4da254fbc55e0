#include "web/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace hotline::web {
namespace {
std::string ContentType(const std::filesystem::path& p) {
  static const std::unordered_map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"}};
  auto it = kTypes.find(p.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}
}  // namespace

void StaticFiles::Load(const std::string& dir) {
  dir_ = dir;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); !ec && it != decltype(it)();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string key = "/" + std::filesystem::relative(it->path(), dir).generic_string();
    files_[key] = {ss.str(), ContentType(it->path())};
  }
}

Response StaticFiles::Serve(const Request& request) const {
  if (request.method != "GET" && request.method != "HEAD") {
    Response r = ErrorResponse({ErrorKind::kInvalidArgument, "method_not_allowed", "只支持 GET"});
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  auto it = files_.find(request.path);
  bool asset = it != files_.end() && request.path != "/index.html";
  // A missing build asset is a real 404 (a stale page after an upgrade must not get HTML as script).
  if (!asset && request.path.rfind("/assets/", 0) == 0)
    return ErrorResponse(Error::NotFound("没有这个文件：" + request.path + "（请刷新页面以加载新版本）"));
  if (!asset) it = files_.find("/index.html");
  if (it == files_.end()) {
    Response r;
    r.status = 503;
    r.content_type = "text/html; charset=utf-8";
    r.body =
        "<!doctype html><meta charset=utf-8><title>12329</title><p>控制台尚未构建：请在源码目录运行 "
        "<code>make ui</code>（或 <code>make demo</code>），并确认配置项 http.static_dir 指向 "
        "ui/dist（当前：" +
        dir_ + "）。</p>";
    return r;
  }
  Response r;
  r.content_type = it->second.content_type;
  r.body = it->second.body;
  // Vite puts a content hash in asset names: cache them for good; never cache index.html.
  r.headers.emplace_back("Cache-Control", request.path.rfind("/assets/", 0) == 0 && asset
                                              ? "public, max-age=31536000, immutable"
                                              : "no-cache");
  return r;
}

}  // namespace hotline::web
