#include "server/static_files.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "engine/catalog_error.h"

namespace crampbot::server {

namespace {

struct FileSpec {
  std::string_view path;
  std::string_view file;
  std::string_view content_type;
  std::string_view cache_control;
  bool page;
};

// The page is revalidated on every visit (it names the widget's files); the widget's files may be kept an
// hour, then revalidated with their ETag, so an update reaches every site within the hour.
constexpr std::array<FileSpec, 3> kFiles = {{
    {"/", "index.html", "text/html; charset=utf-8", "no-cache", true},
    {"/widget.js", "widget.js", "text/javascript; charset=utf-8", "public, max-age=3600", false},
    {"/widget.css", "widget.css", "text/css; charset=utf-8", "public, max-age=3600", false},
}};

// FNV-1a, 64 bits: stable across builds and machines, so replicas give one file the same ETag.
std::string etag_of(std::string_view body) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const unsigned char c : body) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  char text[24];
  std::snprintf(text, sizeof text, "\"%016llx\"", static_cast<unsigned long long>(hash));
  return text;
}

}  // namespace

StaticFiles StaticFiles::load(const std::filesystem::path& root) {
  StaticFiles out;
  for (const auto& spec : kFiles) {
    const std::filesystem::path file = root / spec.file;
    std::ifstream in(file, std::ios::binary);
    if (!in)
      throw CatalogError(file.string() + ": cannot read the web file (set web.root, or \"\" for none)");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw CatalogError(file.string() + ": read error");
    StaticFile served{spec.path, spec.content_type, spec.cache_control, spec.page, text.str(), {}};
    served.etag = etag_of(served.body);
    out.files_.push_back(std::move(served));
  }
  return out;
}

const StaticFile* StaticFiles::find(std::string_view path) const {
  for (const auto& file : files_) {
    if (file.path == path) return &file;
  }
  return nullptr;
}

}  // namespace crampbot::server
