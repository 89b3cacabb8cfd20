#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "engine/language_rules.h"
#include "engine/string_hash.h"

namespace crampbot {

// One canonical slot value and the phrases that mean it ("vitamin_b12" ← "b12", "cobalamin").
struct SlotValue {
  std::string canonical;
  std::vector<std::string> phrases;
};

// The shared vocabulary of the intent catalog, as authored in intents/_lexicon.json (raw, not normalised).
struct Lexicon {
  std::map<std::string, std::vector<SlotValue>> lists;  // list name → values, in file order
  std::map<std::string, std::string> rules;             // rule name → template fragment
  std::vector<std::string> skip_words;                  // words and phrases dropped before matching
  std::vector<std::string> filler_words;                // words that weigh little when uncovered
  // Phrases that carry a whole question to a voice platform's catch-all intent ("i want to ask ..."):
  // exported as "<carrier> {query}", because Alexa refuses a sample that is only the slot.
  std::vector<std::string> carrier_phrases;
  std::map<std::string, std::string> replacements;  // token → replacement text
  LanguageRules language;                           // how this language's words are folded
  // Real words from the word lists named in "dictionaries" (Debian's wamerican and wbritish), folded as the
  // language folds input, sorted and unique: the spelling corrector never "corrects" one of them ("spelled"
  // is not a slip for "swelled"). A sorted vector, not a hash set: two hundred thousand words load several
  // times faster.
  std::vector<std::string> dictionary_words;

  // Whether `word` is in dictionary_words.
  bool is_dictionary_word(std::string_view word) const;

  // Loads the lexicon. Throws CatalogError naming the file and key on any structural problem.
  static Lexicon load(const std::filesystem::path& file);
};

}  // namespace crampbot
