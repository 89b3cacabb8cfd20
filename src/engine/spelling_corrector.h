#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "engine/string_hash.h"

namespace crampbot {

// One change the corrector made: "magnesuim" → "magnesium", "legcramp" → "leg cramp".
struct Correction {
  std::string from;
  std::string to;
};

// Corrects typing and speech-to-text slips towards the catalog's own vocabulary. Immutable; thread-safe.
class SpellingCorrector {
 public:
  // `dictionary`: real words that are never corrected or split though the vocabulary lacks them; it must
  // outlive the corrector (the lexicon owns it).
  explicit SpellingCorrector(const std::vector<std::string>& vocabulary,
                             const std::vector<std::string>* dictionary = nullptr);

  bool known(std::string_view word) const;

  // The closest known word (optimal string alignment distance ≤ 1 for words of 4–7 letters, ≤ 2 from 8),
  // preferring the same first letter, then a word no shorter than the slip, then alphabetical order; empty
  // when there is none. Words shorter
  // than 4 letters, numbers, known words and dictionary words are never corrected.
  std::string correct_word(std::string_view word) const;

  // Corrects `tokens` in place: two adjacent pieces that form a known word are merged ("mag nesium"), an
  // unknown word made of two known words is split ("legcramp"), other unknown words are corrected.
  // Returns what changed (empty when nothing did).
  std::vector<Correction> correct(std::vector<std::string>& tokens) const;

 private:
  bool leave_alone(std::string_view word) const;

  StringSet known_;
  const std::vector<std::string>* dictionary_ = nullptr;
  struct Candidate {
    std::string word;
    std::uint32_t letters;  // bit i set when the word contains letter 'a' + i
  };
  std::vector<std::vector<Candidate>> by_length_;  // known words of 4+ letters, by length, sorted
};

// Optimal string alignment distance (Levenshtein plus adjacent transpositions), stopping early once the
// distance must exceed `limit` (then returns limit + 1).
int edit_distance(std::string_view a, std::string_view b, int limit);

}  // namespace crampbot
