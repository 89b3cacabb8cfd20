#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "review/review_record.h"

namespace crampbot::review {

// A review file that cannot be read: the message is "<file>:<line>: <problem>" (or "<file>: <problem>").
class ReviewFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One phrase as the review lists it.
struct PhraseSummary {
  std::string text;
  std::size_t conversations = 0;  // distinct conversations (a conversation per day) that sent it
  std::size_t count = 0;          // records: times it was sent
  std::map<std::string, std::size_t> outcomes;  // "fallback", "clarify" or an intent → times
  std::map<std::string, std::size_t> locales;   // locale ("" for none sent) → times
};

// What the review shows: the phrases sent by at least `min_conversations` distinct conversations, most
// conversations first (then most records, then by text); the rest only counted.
struct ReviewListing {
  std::size_t min_conversations = 0;
  std::vector<PhraseSummary> phrases;
  std::size_t hidden_phrases = 0;  // phrases below the threshold: counted, never shown
  std::size_t hidden_records = 0;
  std::size_t records = 0;  // every record read and not expired
  std::size_t expired = 0;  // records older than the retention left out
};

// Combines records from any number of files (replicas' files, several days): a conversation is counted once
// per phrase however many records, replicas or outcomes it has on a day.
class ReviewAggregate {
 public:
  // Records of a day before `oldest_day` ("" for none) are counted as expired and otherwise left out.
  explicit ReviewAggregate(std::string oldest_day = {});

  void add(const ReviewRecord& record);

  // Reads every line of a store file. Throws ReviewFileError "<file>:<line>: <problem>" on a line that is not
  // a record, or "<file>: <problem>" when it cannot be read. A last line without its '\n' is a record being
  // written (or cut short by a power loss): it is skipped and a warning naming the file is added to
  // `warnings`.
  void read_file(const std::filesystem::path& file, std::vector<std::string>& warnings);

  // The listing with the k-anonymity threshold `min_conversations` (at least 1).
  ReviewListing listing(std::size_t min_conversations) const;

 private:
  struct Phrase {
    std::set<std::string> conversations;  // "day/hash"
    std::size_t count = 0;
    std::map<std::string, std::size_t> outcomes;
    std::map<std::string, std::size_t> locales;
  };
  std::string oldest_day_;
  std::map<std::string, Phrase> phrases_;
  std::size_t records_ = 0;
  std::size_t expired_ = 0;
};

// {"min_conversations", "phrases": [{"text","conversations","count","outcomes","locales"}], "hidden":
// {"phrases","records"}, "records", "expired"}: what `crampbot review --json` prints and GET /admin/review
// answers.
nlohmann::json to_json(const ReviewListing& listing);

// The shown phrases as lines of the eval format, for an author to label: {"text", "intent": "", "slots":
// {}, "conversations", "outcomes"} (eval reads text, intent and slots and ignores the rest), after a "#"
// comment line saying so. `crampbot eval` refuses the file until every intent is filled in.
std::string eval_lines(const ReviewListing& listing);

}  // namespace crampbot::review
