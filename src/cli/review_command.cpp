#include "cli/review_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <chrono>
#include <cstdio>

#include <cerrno>

#include "app/app_config.h"
#include "cli/commands.h"
#include "engine/catalog_error.h"
#include "review/review_report.h"

namespace crampbot::cli {

namespace {

// Writes `text` to `path` readable by its owner only (0600, as the review store is): the phrases are what
// people asked. False when the file cannot be written whole.
bool write_private_file(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  bool ok = ::fchmod(fd, 0600) == 0;  // an existing file keeps its old mode otherwise
  for (std::size_t done = 0; ok && done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  return ::close(fd) == 0 && ok;
}

std::string describe_counts(const std::map<std::string, std::size_t>& counts) {
  std::string out;
  for (const auto& [name, count] : counts) {
    if (!out.empty()) out += ", ";
    out += (name.empty() ? "(none)" : name) + " " + std::to_string(count);
  }
  return out;
}

void print_listing(const review::ReviewListing& listing) {
  if (listing.phrases.empty()) {
    std::printf("no phrase was sent by %zu or more conversations\n", listing.min_conversations);
  } else {
    std::printf("%13s %6s  %-28s %s\n", "conversations", "times", "outcomes", "phrase");
    for (const auto& phrase : listing.phrases) {
      std::printf("%13zu %6zu  %-28s %s\n", phrase.conversations, phrase.count,
                  describe_counts(phrase.outcomes).c_str(), phrase.text.c_str());
    }
  }
  std::printf(
      "%zu phrases shown (each from at least %zu conversations); %zu phrases (%zu records) from fewer "
      "are counted, not shown; %zu records in all",
      listing.phrases.size(), listing.min_conversations, listing.hidden_phrases, listing.hidden_records,
      listing.records);
  if (listing.expired > 0) std::printf(", %zu past retention left out", listing.expired);
  std::printf("\n");
}

}  // namespace

int run_review(const std::filesystem::path& config, const ReviewOptions& options) {
  app::AppConfig settings;
  try {
    settings = app::load_app_config(config, app::process_environment());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "crampbot: %s\n", e.what());
    return kExitBadConfig;
  }
  const std::string today = review::utc_day(std::chrono::system_clock::now());
  // k may be raised here, never lowered: a phrase fewer conversations sent must not be shown.
  if (options.min_conversations && *options.min_conversations < settings.review.min_conversations) {
    std::fprintf(stderr,
                 "crampbot: --min-conversations %zu is below review.min_conversations (%zu): it may only "
                 "raise the bar\n",
                 static_cast<std::size_t>(*options.min_conversations),
                 static_cast<std::size_t>(settings.review.min_conversations));
    return kExitBadInput;
  }
  review::ReviewAggregate aggregate(review::days_before(today, settings.review.retention_days - 1));
  std::vector<std::string> warnings;
  try {
    for (const auto& file : options.files)
      aggregate.read_file(file, warnings);
  } catch (const review::ReviewFileError& e) {
    std::fprintf(stderr, "crampbot: %s\n", e.what());
    return kExitBadInput;
  }
  for (const auto& warning : warnings)
    std::fprintf(stderr, "crampbot: warning: %s\n", warning.c_str());

  const review::ReviewListing listing =
      aggregate.listing(options.min_conversations.value_or(settings.review.min_conversations));
  if (!options.export_eval.empty()) {
    if (!write_private_file(options.export_eval, review::eval_lines(listing))) {
      std::fprintf(stderr, "crampbot: %s: cannot write\n", options.export_eval.c_str());
      return kExitBadInput;
    }
    std::fprintf(stderr,
                 "crampbot: wrote %zu phrases to %s; label each intent, then run crampbot eval on it\n",
                 listing.phrases.size(), options.export_eval.c_str());
  }
  if (options.json) {
    std::printf(
        "%s\n",
        review::to_json(listing).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else if (options.export_eval.empty()) {
    print_listing(listing);
  }
  return kExitOk;
}

}  // namespace crampbot::cli
