#include "review/review_recorder.h"

#include "review/review_scrubber.h"

namespace crampbot::review {

namespace {

constexpr std::string_view kFallback = "fallback";
constexpr std::string_view kClarify = "clarify";
constexpr auto kSyncInterval = std::chrono::seconds(1);

}  // namespace

ReviewRecorder::ReviewRecorder(ReviewSettings settings, std::string hash_key,
                               std::chrono::system_clock::time_point now)
    : settings_(std::move(settings)),
      hasher_(std::move(hash_key)),
      store_(settings_.file, settings_.max_bytes) {
  const ReviewStore::Pruned pruned = maintain(now);
  if (!pruned.ok) throw std::runtime_error(settings_.file.string() + ": retention failed: " + pruned.error);
  maintenance_ = std::jthread([this](std::stop_token stop) { run_maintenance(stop); });
}

ReviewRecorder::~ReviewRecorder() {
  maintenance_.request_stop();
  wake_.notify_all();
  if (maintenance_.joinable()) maintenance_.join();
  store_.sync();
}

bool ReviewRecorder::wants(std::string_view intent, double confidence) const {
  if (intent.empty()) return false;
  return intent == kFallback || intent == kClarify || confidence < settings_.min_confidence;
}

ReviewRecorder::Outcome ReviewRecorder::record(const TextNormaliser& normaliser, const ReviewTurn& turn,
                                               std::chrono::system_clock::time_point now) {
  if (!wants(turn.intent, turn.confidence)) return Outcome::not_wanted;
  if (turn.conversation.empty()) return Outcome::no_conversation;
  ReviewRecord record;
  record.text = review_phrase(normaliser, turn.text);
  if (record.text.empty()) return Outcome::no_text;
  record.day = utc_day(now);
  record.conversation = hasher_.hash(record.day, turn.conversation);
  if (record.conversation.empty()) return Outcome::failed;
  record.outcome = std::string(turn.intent);
  record.locale = std::string(turn.locale);
  switch (store_.append(record)) {
    case ReviewStore::Appended::written:
      return Outcome::written;
    case ReviewStore::Appended::full:
      return Outcome::full;
    case ReviewStore::Appended::failed:
      break;
  }
  return Outcome::failed;
}

nlohmann::json ReviewRecorder::listing_json(std::chrono::system_clock::time_point now) const {
  ReviewAggregate aggregate(days_before(utc_day(now), settings_.retention_days - 1));
  std::vector<std::string> warnings;
  aggregate.read_file(settings_.file, warnings);
  return to_json(aggregate.listing(settings_.min_conversations));
}

ReviewStore::Pruned ReviewRecorder::maintain(std::chrono::system_clock::time_point now) {
  std::lock_guard lock(maintenance_mutex_);
  store_.sync();
  const std::string today = utc_day(now);
  if (today == pruned_day_) return {};
  // retention_days = 30 keeps today and the 29 days before it.
  ReviewStore::Pruned pruned = store_.remove_before(days_before(today, settings_.retention_days - 1));
  if (pruned.ok) pruned_day_ = today;
  return pruned;
}

void ReviewRecorder::run_maintenance(std::stop_token stop) {
  std::mutex mutex;
  std::unique_lock lock(mutex);
  while (!stop.stop_requested()) {
    // Wakes every second, or at once when asked to stop.
    wake_.wait_for(lock, stop, kSyncInterval, [] { return false; });
    if (stop.stop_requested()) break;
    maintain(std::chrono::system_clock::now());
  }
}

std::string_view outcome_name(ReviewRecorder::Outcome outcome) {
  switch (outcome) {
    case ReviewRecorder::Outcome::not_wanted:
      return "not_wanted";
    case ReviewRecorder::Outcome::no_text:
      return "no_text";
    case ReviewRecorder::Outcome::no_conversation:
      return "no_conversation";
    case ReviewRecorder::Outcome::written:
      return "written";
    case ReviewRecorder::Outcome::full:
      return "full";
    case ReviewRecorder::Outcome::failed:
      return "failed";
  }
  return "failed";
}

}  // namespace crampbot::review
