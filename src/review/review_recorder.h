#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include <nlohmann/json.hpp>

#include "engine/text_normaliser.h"
#include "review/conversation_hash.h"
#include "review/review_report.h"
#include "review/review_store.h"

namespace crampbot::review {

// Settings of the review of misunderstood questions (the "review" section of the configuration).
struct ReviewSettings {
  bool enabled = false;
  std::filesystem::path file;         // the store; required when enabled
  double min_confidence = 0.5;        // matches below this are kept too (fallback and clarify always)
  std::size_t min_conversations = 5;  // k: a phrase is shown once this many conversations sent it
  int retention_days = 30;            // records older than this many days are deleted
  std::size_t max_bytes = 64 << 20;   // the store's size bound
};

// One answered turn as the server saw it. Views into the caller's data, for the call only.
struct ReviewTurn {
  std::string_view text;          // the user's raw words ("" when the platform sent an intent)
  std::string_view intent;        // the intent answered (public name): "fallback", "clarify", …
  double confidence = 0;          // the reply's
  std::string_view conversation;  // the platform's conversation id
  std::string_view locale;        // as the platform sent it (already a language tag or "")
};

// Decides which turns are kept for review, scrubs them and writes them to the store; keeps the store synced
// and within its retention from a background thread (once a second: sync; on each new UTC day: retention).
class ReviewRecorder {
 public:
  // Opens the store (see ReviewStore) and removes expired records. `hash_key` salts the conversation hashes
  // (every replica must have the same one for their files to combine). Throws std::runtime_error naming the
  // file: start-up only.
  ReviewRecorder(ReviewSettings settings, std::string hash_key,
                 std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
  // Stops the background thread and syncs the store.
  ~ReviewRecorder();
  ReviewRecorder(const ReviewRecorder&) = delete;
  ReviewRecorder& operator=(const ReviewRecorder&) = delete;

  enum class Outcome {
    not_wanted,       // understood well enough: nothing kept
    no_text,          // the platform sent no words, or nothing was left after scrubbing, or too many words
    no_conversation,  // no conversation id to count it by: kept nowhere (it would count as a new one)
    written,
    full,   // the store is at review.max_bytes
    failed  // the write failed
  };

  // Whether a turn answered as `intent` with `confidence` is one to review: fallback, clarify, or any other
  // intent below min_confidence.
  bool wants(std::string_view intent, double confidence) const;

  // Keeps `turn` when wanted: its phrase (review_phrase with `normaliser`), outcome, locale, day and the
  // day's hash of its conversation. Thread-safe; never throws.
  Outcome record(const TextNormaliser& normaliser, const ReviewTurn& turn,
                 std::chrono::system_clock::time_point now);

  // This store's listing with the configured threshold, as JSON (see to_json(ReviewListing)). Reads the
  // file; throws ReviewFileError when it cannot.
  nlohmann::json listing_json(std::chrono::system_clock::time_point now) const;

  // Syncs the store, and removes expired records when the day has changed since it last did. What the
  // background thread runs; exposed for tests. Never throws.
  ReviewStore::Pruned maintain(std::chrono::system_clock::time_point now);

  const ReviewSettings& settings() const { return settings_; }

 private:
  void run_maintenance(std::stop_token stop);

  ReviewSettings settings_;
  ConversationHasher hasher_;
  ReviewStore store_;
  std::mutex maintenance_mutex_;
  std::string pruned_day_;  // the day retention last ran
  std::condition_variable_any wake_;
  std::jthread maintenance_;  // last: started once everything it uses exists
};

// A readable name for a record outcome, for logs and metrics labels ("written", "full", …).
std::string_view outcome_name(ReviewRecorder::Outcome outcome);

}  // namespace crampbot::review
