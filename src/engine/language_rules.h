#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/string_hash.h"

namespace crampbot {

// How one language's words are folded before matching: the "language" object of intents/_lexicon.json.
// Everything here is data so that a new language is a folder, not code; the C++ that applies it
// (TextNormaliser) knows no words of any language. Immutable after loading.
struct LanguageRules {
  // Marks are dropped from letters ("qué" → "que", "canción" → "cancion"), except the letters in
  // `kept_letters` ("ñ"), so that text typed without accents matches templates written with them.
  bool fold_accents = false;
  std::set<std::u32string> kept_letters;  // each one code point, after case folding
  // Whole number words → digits ("twelve" → "12", "doce" → "12"), so "b twelve" and "b12" are one token.
  StringMap<std::string> number_words;
  // Endings cut from a word, such as the possessive "'s" ("doctor's" → "doctor"); the word must be longer.
  std::vector<std::string> strip_endings;
  // Plural folding: words shorter than `plural_min_length` or in `plural_keep` stay as they are; otherwise
  // the first rule whose suffix ends the word (and leaves a stem) rewrites it ("ies" → "y": "berries" →
  // "berry"). A rule whose replacement equals its suffix keeps the word ("ss": "glass").
  struct SuffixRule {
    std::string suffix;
    std::string replacement;
    std::size_t min_length = 0;  // the word must be at least this long for the rule to apply
  };
  std::size_t plural_min_length = 0;
  StringSet plural_keep;
  std::vector<SuffixRule> plural_rules;
  // Letters spoken as names after one of `letter_name_after` ("vitamin bee twelve" → "vitamin b 12").
  StringSet letter_name_after;
  StringMap<std::string> letter_names;
  // Single letters that are words of their own ("a", "i"); a run of three or more single letters not
  // starting with one is a spelt-out abbreviation ("d v t" → "dvt").
  StringSet letter_words;
  // Letters that join the number after them ("b 12" → "b12", "k 2" → "k2").
  StringSet number_letters;
  // Numbers as said aloud, for exported voice samples: digits → words ("12" → "twelve", "doce"). The
  // "spoken_numbers" object, plus, for each number it leaves out, the shortest word number_words folds to
  // it (the first in byte order among equals), so that what we say is what we read.
  StringMap<std::string> spoken_numbers;

  // Reads the "language" object of `file` (absent: no rule at all). Word keys are folded with the rules'
  // own accent folding. Throws CatalogError naming the file and key on a wrong type or an empty word.
  static LanguageRules from_json(const nlohmann::json* language, const std::filesystem::path& file);

  // Lower-cases and cleans one text: NFKC case folding, marks dropped when fold_accents says so, letters and
  // digits kept, apostrophes kept as ', every other character a space.
  std::string fold(std::string_view text) const;

  // The singular of `word` by the plural rules ("cramps" → "cramp"); other words unchanged.
  std::string fold_plural(std::string_view word) const;
};

}  // namespace crampbot
