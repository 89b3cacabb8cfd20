#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <variant>

namespace crampbot::review {

// One misunderstood turn as the review store keeps it, and nothing more: no IP address, no user or
// conversation id (only a hash that changes every day), no time finer than the day.
struct ReviewRecord {
  std::string day;           // UTC, "YYYY-MM-DD"
  std::string conversation;  // ConversationHasher::hash of the platform's conversation id on that day
  std::string outcome;       // "fallback", "clarify", or the intent answered below review.min_confidence
  std::string locale;        // a language tag as the platform sent it, or ""
  std::string text;          // the phrase, scrubbed (review_phrase)

  bool operator==(const ReviewRecord&) const = default;
};

// The record as one line of the store: a JSON object {"day","conversation","outcome","locale","text"} and
// '\n'. Invalid UTF-8 (which review_phrase never produces) is replaced, never thrown on.
std::string to_line(const ReviewRecord& record);

// Reads one line (without its '\n'). Returns the record, or a message saying what is wrong (not JSON, not
// an object, a field missing or of the wrong type, a day that is not YYYY-MM-DD, an empty text or
// conversation). Unknown fields are ignored, so later versions may add some. Never throws.
std::variant<ReviewRecord, std::string> parse_record(std::string_view line);

// The UTC day of `time` as "YYYY-MM-DD".
std::string utc_day(std::chrono::system_clock::time_point time);

// The UTC day `days` days before `day` ("YYYY-MM-DD", as utc_day writes it).
std::string days_before(std::string_view day, int days);

// Whether `text` is a day as utc_day writes it (a real date).
bool is_day(std::string_view text);

}  // namespace crampbot::review
