#include "kb/importer.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace hotline::kb {
namespace {

namespace fs = std::filesystem;

Result<std::string> ReadFile(const fs::path& p) {
  std::error_code ec;
  auto size = fs::file_size(p, ec);
  if (ec) return Error::NotFound("无法读取 " + p.string() + "：" + ec.message());
  if (size > 5 * 1024 * 1024)
    return Error::InvalidArgument("invalid_file", p.filename().string() + ":1: 文件超过 5 MB");
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in && !in.eof()) return Error::Unavailable("无法读取 " + p.string());
  return ss.str();
}

}  // namespace

Result<ImportReport> ImportPath(KbService& kb, const org::Actor& actor, const org::Org& center,
                                const std::string& path, const std::function<void(int, int)>& progress) {
  std::error_code ec;
  std::vector<fs::path> files;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec))
      if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
  } else if (fs::is_regular_file(path, ec)) {
    files.push_back(path);
  } else {
    return Error::NotFound("没有这个文件或目录：" + path);
  }
  ImportReport report;
  std::vector<ArticleFile> articles;
  std::vector<std::string> article_sources;
  auto add_error = [&](const Error& e) { report.errors.push_back(e.message); };
  for (const auto& f : files) {
    const std::string name = f.filename().string();
    const std::string ext = f.extension().string();
    if (ext != ".md" && ext != ".json") continue;  // README.txt and the like
    ++report.files;
    auto bytes = ReadFile(f);
    if (!bytes.ok()) {
      add_error(bytes.error());
      continue;
    }
    if (name == "branches.json") {
      auto parsed = ParseBranchesJson(name, *bytes);
      for (const auto& e : parsed.errors) add_error(e);
      for (const auto& b : parsed.branches) {
        auto changed = [&]() -> Result<bool> {
          HOTLINE_ASSIGN_OR_RETURN(org::Org owner, kb.ImportOwner(center, b.scope));
          return kb.UpsertBranch(actor, owner, b.branch);
        }();
        if (!changed.ok())
          add_error(FileError(name, 1, b.branch.code + "：" + changed.error().message));
        else if (*changed)
          ++report.branches_changed;
        else
          ++report.branches_unchanged;
      }
    } else if (ext == ".json") {
      auto parsed = ParseArticlesJson(name, *bytes);
      for (const auto& e : parsed.errors) add_error(e);
      for (auto& a : parsed.articles) {
        articles.push_back(std::move(a));
        article_sources.push_back(name);
      }
    } else {
      auto parsed = ParseArticleFile(name, *bytes);
      if (!parsed.ok()) {
        add_error(parsed.error());
        continue;
      }
      articles.push_back(std::move(*parsed));
      article_sources.push_back(name);
    }
  }
  // Versions of one article in their order (slug@1 before slug@2), so version numbers follow the files.
  std::vector<size_t> order(articles.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return std::tie(articles[x].slug, articles[x].sequence) <
           std::tie(articles[y].slug, articles[y].sequence);
  });
  int done = 0;
  bool changed = false;
  for (size_t i : order) {
    auto outcome = kb.ImportArticle(actor, center, articles[i], /*update_index=*/false);
    if (!outcome.ok()) {
      add_error(FileError(article_sources[i], 1, outcome.error().message));
    } else if (*outcome == ImportOutcome::kCreated) {
      ++report.created;
      changed = true;
    } else if (*outcome == ImportOutcome::kNewVersion) {
      ++report.new_versions;
      changed = true;
    } else {
      ++report.unchanged;
    }
    if (progress) progress(++done, static_cast<int>(order.size()));
  }
  if (changed) {
    auto st = kb.EnsureIndex();
    if (!st.ok()) return st.take_error();
  }
  return report;
}

Result<int> ExportDir(KbService& kb, const org::Actor& actor, const org::Org& center, const std::string& dir,
                      ExportFormat format) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error::Unavailable("无法创建目录 " + dir + "：" + ec.message());
  HOTLINE_ASSIGN_OR_RETURN(auto articles, kb.ExportArticles(actor, center));
  auto write = [&](const fs::path& p, const std::string& text) -> Status {
    std::ofstream out(p, std::ios::binary);
    out << text;
    out.close();
    if (!out) return Error::Unavailable("无法写入 " + p.string());
    return OkStatus();
  };
  if (format == ExportFormat::kMarkdown) {
    for (const auto& a : articles)
      HOTLINE_RETURN_IF_ERROR(write(fs::path(dir) / ArticleFileName(a), FormatArticleFile(a)));
  } else {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& a : articles) arr.push_back(ArticleFileJson(a));
    HOTLINE_RETURN_IF_ERROR(write(fs::path(dir) / "articles.json", arr.dump(2) + "\n"));
  }
  HOTLINE_ASSIGN_OR_RETURN(auto branches, kb.ListBranches(actor, {}));
  HOTLINE_ASSIGN_OR_RETURN(auto ids, kb.ContextOrgIds(center));
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& b : branches) {
    if (std::find(ids.begin(), ids.end(), b.org_id) == ids.end()) continue;
    arr.push_back(BranchJson(b, b.org_id == center.id ? ScopeLevel::kCenter : ScopeLevel::kProvince));
  }
  HOTLINE_RETURN_IF_ERROR(write(fs::path(dir) / "branches.json", arr.dump(2) + "\n"));
  return static_cast<int>(articles.size());
}

}  // namespace hotline::kb
