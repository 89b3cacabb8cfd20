#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace crampbot::server {

// One file the server serves as it is, read into memory at start.
struct StaticFile {
  std::string_view path;           // the URL path, e.g. "/widget.js"
  std::string_view content_type;   // with its charset
  std::string_view cache_control;  // how long browsers may keep it without asking
  bool page = false;               // an HTML page: gets the page's Content-Security-Policy
  std::string body;
  std::string etag;  // strong validator: a hash of the body, quoted
};

// The web widget and its demo page (web/ in the repository). The set of files is fixed here, not read from
// the folder, so no URL can name any other file: there is nothing to traverse.
//   /            index.html, the demo page
//   /widget.js   the embeddable widget
//   /widget.css  its styles
class StaticFiles {
 public:
  // No files: every lookup misses (the web folder is switched off).
  StaticFiles() = default;

  // Reads every file of the set from `root`. Throws CatalogError naming the file when one is missing or
  // unreadable.
  static StaticFiles load(const std::filesystem::path& root);

  // The file served at `path` (no query), or nullptr.
  const StaticFile* find(std::string_view path) const;

  bool empty() const { return files_.empty(); }

 private:
  std::vector<StaticFile> files_;
};

}  // namespace crampbot::server
