#include "review/review_report.h"

#include <algorithm>
#include <fstream>
#include <variant>

namespace crampbot::review {

ReviewAggregate::ReviewAggregate(std::string oldest_day) : oldest_day_(std::move(oldest_day)) {}

void ReviewAggregate::add(const ReviewRecord& record) {
  if (!oldest_day_.empty() && record.day < oldest_day_) {
    ++expired_;
    return;
  }
  ++records_;
  Phrase& phrase = phrases_[record.text];
  phrase.conversations.insert(record.day + "/" + record.conversation);
  ++phrase.count;
  ++phrase.outcomes[record.outcome];
  ++phrase.locales[record.locale];
}

void ReviewAggregate::read_file(const std::filesystem::path& file, std::vector<std::string>& warnings) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ReviewFileError(file.string() + ": cannot open file");
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    // getline sets eof when the last line had no '\n': a record still being written, or one a power loss cut
    // short (the server cuts it off when it next opens the file).
    if (in.eof()) {
      if (!line.empty()) {
        warnings.push_back(file.string() + ":" + std::to_string(number) +
                           ": an unfinished last line was skipped");
      }
      break;
    }
    if (line.empty()) continue;
    const auto parsed = parse_record(line);
    if (const auto* problem = std::get_if<std::string>(&parsed)) {
      throw ReviewFileError(file.string() + ":" + std::to_string(number) + ": " + *problem);
    }
    add(std::get<ReviewRecord>(parsed));
  }
  if (in.bad()) throw ReviewFileError(file.string() + ": read error");
}

ReviewListing ReviewAggregate::listing(std::size_t min_conversations) const {
  ReviewListing out;
  out.min_conversations = std::max<std::size_t>(min_conversations, 1);
  out.records = records_;
  out.expired = expired_;
  for (const auto& [text, phrase] : phrases_) {
    if (phrase.conversations.size() < out.min_conversations) {
      ++out.hidden_phrases;
      out.hidden_records += phrase.count;
      continue;
    }
    out.phrases.push_back({text, phrase.conversations.size(), phrase.count, phrase.outcomes, phrase.locales});
  }
  std::sort(out.phrases.begin(), out.phrases.end(), [](const PhraseSummary& a, const PhraseSummary& b) {
    if (a.conversations != b.conversations) return a.conversations > b.conversations;
    if (a.count != b.count) return a.count > b.count;
    return a.text < b.text;
  });
  return out;
}

nlohmann::json to_json(const ReviewListing& listing) {
  nlohmann::json phrases = nlohmann::json::array();
  for (const auto& phrase : listing.phrases) {
    phrases.push_back({{"text", phrase.text},
                       {"conversations", phrase.conversations},
                       {"count", phrase.count},
                       {"outcomes", phrase.outcomes},
                       {"locales", phrase.locales}});
  }
  return {{"min_conversations", listing.min_conversations},
          {"phrases", std::move(phrases)},
          {"hidden", {{"phrases", listing.hidden_phrases}, {"records", listing.hidden_records}}},
          {"records", listing.records},
          {"expired", listing.expired}};
}

std::string eval_lines(const ReviewListing& listing) {
  std::string out = "# Misunderstood questions from crampbot review (" +
                    std::to_string(listing.phrases.size()) + " phrases, each from at least " +
                    std::to_string(listing.min_conversations) +
                    " conversations). Fill in each \"intent\" (and \"slots\"), or delete the line, then run "
                    "crampbot eval.\n";
  for (const auto& phrase : listing.phrases) {
    const nlohmann::json line = {{"text", phrase.text},
                                 {"intent", ""},
                                 {"slots", nlohmann::json::object()},
                                 {"conversations", phrase.conversations},
                                 {"outcomes", phrase.outcomes}};
    out += line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out += '\n';
  }
  return out;
}

}  // namespace crampbot::review
