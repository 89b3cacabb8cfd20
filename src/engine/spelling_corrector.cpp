#include "engine/spelling_corrector.h"

#include <algorithm>
#include <array>
#include <bit>

namespace crampbot {

namespace {

constexpr std::size_t kMinCorrectableLength = 4;
constexpr std::size_t kMaxWordLength = 32;

bool is_alphabetic(std::string_view word) {
  return std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

int allowed_distance(std::size_t length) {
  return length >= 8 ? 2 : 1;
}

std::uint32_t letter_set(std::string_view word) {
  std::uint32_t set = 0;
  for (char c : word)
    set |= 1u << (c - 'a');
  return set;
}

}  // namespace

int edit_distance(std::string_view a, std::string_view b, int limit) {
  const auto diff = static_cast<int>(a.size()) - static_cast<int>(b.size());
  if (std::abs(diff) > limit) return limit + 1;
  if (a.size() > kMaxWordLength || b.size() > kMaxWordLength) return limit + 1;
  // Three rolling rows (the transposition looks two rows back); only b.size() + 1 cells each are used.
  std::array<int, kMaxWordLength + 1> before{};
  std::array<int, kMaxWordLength + 1> previous{};
  std::array<int, kMaxWordLength + 1> current{};
  for (std::size_t j = 0; j <= b.size(); ++j)
    previous[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = static_cast<int>(i);
    int row_min = current[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int best = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        best = std::min(best, before[j - 2] + 1);
      current[j] = best;
      row_min = std::min(row_min, best);
    }
    if (row_min > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return std::min(previous[b.size()], limit + 1);
}

SpellingCorrector::SpellingCorrector(const std::vector<std::string>& vocabulary,
                                     const std::vector<std::string>* dictionary)
    : dictionary_(dictionary) {
  for (const auto& word : vocabulary) {
    known_.insert(word);
    if (word.size() >= kMinCorrectableLength && word.size() <= kMaxWordLength && is_alphabetic(word)) {
      if (by_length_.size() <= word.size()) by_length_.resize(word.size() + 1);
      by_length_[word.size()].push_back({word, letter_set(word)});
    }
  }
  for (auto& bucket : by_length_) {
    std::sort(bucket.begin(), bucket.end(),
              [](const Candidate& a, const Candidate& b) { return a.word < b.word; });
    bucket.erase(std::unique(bucket.begin(), bucket.end(),
                             [](const Candidate& a, const Candidate& b) { return a.word == b.word; }),
                 bucket.end());
  }
}

bool SpellingCorrector::known(std::string_view word) const {
  return known_.find(word) != known_.end();
}

bool SpellingCorrector::leave_alone(std::string_view word) const {
  return known(word) ||
         (dictionary_ && std::binary_search(dictionary_->begin(), dictionary_->end(), word,
                                            [](std::string_view a, std::string_view b) { return a < b; }));
}

std::string SpellingCorrector::correct_word(std::string_view word) const {
  if (word.size() < kMinCorrectableLength || word.size() > kMaxWordLength || !is_alphabetic(word) ||
      leave_alone(word)) {
    return {};
  }
  const int limit = allowed_distance(word.size());
  std::string best;
  int best_distance = limit + 1;
  bool best_same_start = false;
  bool best_keeps_letters = false;
  const std::size_t low = word.size() > static_cast<std::size_t>(limit) ? word.size() - limit : 0;
  for (std::size_t length = std::max(low, kMinCorrectableLength); length <= word.size() + limit; ++length) {
    if (length >= by_length_.size()) break;
    // Short targets allow one edit only, whatever the input's length, so "cramp" is not "clamp" twice over.
    const int target_limit = std::min(limit, allowed_distance(length));
    const std::uint32_t letters = letter_set(word);
    for (const auto& [candidate, candidate_letters] : by_length_[length]) {
      // Each edit adds or removes at most two letters from the set of letters used: a cheap first filter.
      if (std::popcount(letters ^ candidate_letters) > 2 * target_limit) continue;
      const int distance = edit_distance(word, candidate, target_limit);
      if (distance > target_limit) continue;
      const bool same_start = candidate.front() == word.front();
      // Slips drop a letter more often than they add one ("sorce" is "source" before it is "sore").
      const bool keeps_letters = candidate.size() >= word.size();
      const bool better = distance < best_distance ||
                          (distance == best_distance && same_start && !best_same_start) ||
                          (distance == best_distance && same_start == best_same_start && keeps_letters &&
                           !best_keeps_letters) ||
                          (distance == best_distance && same_start == best_same_start &&
                           keeps_letters == best_keeps_letters && candidate < best);
      if (better) {
        best = candidate;
        best_distance = distance;
        best_same_start = same_start;
        best_keeps_letters = keeps_letters;
      }
    }
  }
  return best;
}

std::vector<Correction> SpellingCorrector::correct(std::vector<std::string>& tokens) const {
  std::vector<Correction> made;
  if (std::all_of(tokens.begin(), tokens.end(), [this](const std::string& t) { return known(t); }))
    return made;
  std::vector<std::string> merged;
  merged.reserve(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i + 1 < tokens.size() && (!known(tokens[i]) || !known(tokens[i + 1]))) {
      std::string joined = tokens[i] + tokens[i + 1];
      if (joined.size() >= kMinCorrectableLength && known(joined)) {
        made.push_back({tokens[i] + " " + tokens[i + 1], joined});
        merged.push_back(std::move(joined));
        ++i;
        continue;
      }
    }
    merged.push_back(tokens[i]);
  }
  std::vector<std::string> out;
  out.reserve(merged.size() + 2);
  for (auto& token : merged) {
    if (leave_alone(token) || token.size() < kMinCorrectableLength || !is_alphabetic(token)) {
      out.push_back(std::move(token));
      continue;
    }
    bool split = false;
    for (std::size_t cut = 3; cut + 3 <= token.size(); ++cut) {
      const std::string left = token.substr(0, cut);
      const std::string right = token.substr(cut);
      if (known(left) && known(right)) {
        made.push_back({token, left + " " + right});
        out.push_back(left);
        out.push_back(right);
        split = true;
        break;
      }
    }
    if (split) continue;
    std::string corrected = correct_word(token);
    if (!corrected.empty()) {
      made.push_back({token, corrected});
      out.push_back(std::move(corrected));
    } else {
      out.push_back(std::move(token));
    }
  }
  tokens = std::move(out);
  return made;
}

}  // namespace crampbot
