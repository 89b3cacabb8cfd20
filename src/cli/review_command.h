#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace crampbot::cli {

struct ReviewOptions {
  std::vector<std::string> files;                // review stores (review.file of each replica)
  std::optional<std::size_t> min_conversations;  // raises review.min_conversations; lower is refused
  bool json = false;                             // the listing as one JSON object
  std::string export_eval;                       // write the shown phrases here in the eval format
};

// `crampbot review [--min-conversations K] [--json] [--export-eval OUT.jsonl] FILE...`: combines the files,
// leaves out records older than review.retention_days, and lists the phrases that at least K distinct
// conversations sent (K from review.min_conversations unless given), most conversations first; fewer are
// only counted. Returns 0; 2 when a file cannot be read or holds a line that is not a record (stderr names
// the file and line) or the export cannot be written; 3 when the configuration is refused.
int run_review(const std::filesystem::path& config, const ReviewOptions& options);

}  // namespace crampbot::cli
