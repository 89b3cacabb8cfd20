#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/lexicon.h"

namespace crampbot {

// Text after normalisation: tokens joined by single spaces with one trailing space ("what is b12 "), so that
// every compiled template element can end in a space and match on token boundaries.
struct NormalisedText {
  std::string text;
  std::vector<std::uint32_t> starts;  // byte offset of each token in `text`

  std::size_t size() const { return starts.size(); }
  bool empty() const { return starts.empty(); }
  std::string_view token(std::size_t i) const;
  // The tokens joined by spaces, without the trailing space.
  std::string_view plain() const;
  // Rebuilds from a token list.
  static NormalisedText from_tokens(const std::vector<std::string>& tokens);
  std::vector<std::string> tokens() const;
};

// The words of `text`, split at spaces (runs of them count as one), for text that is already normalised or
// written as templates and samples are.
std::vector<std::string> split_words(std::string_view text);

// The one normalisation shared by templates and input: NFKC case folding (and accent folding where the
// language says so), apostrophes and punctuation, contractions and other replacements from the lexicon,
// number words, plural folding, "b 12" → "b12", and skip words. The words of each step come from the
// lexicon's LanguageRules. Immutable after construction; safe to share between threads.
class TextNormaliser {
 public:
  explicit TextNormaliser(const Lexicon& lexicon);

  // Normalises any bytes; invalid UTF-8 sequences act as word separators (callers reject them earlier with
  // check_utterance, this is only a second line of defence).
  NormalisedText normalise(std::string_view text) const;

  // Same, as a token list (used to normalise template literals and list phrases).
  std::vector<std::string> tokenise(std::string_view text) const;

  // One word's singular by the language's plural rules ("cramps" → "cramp").
  std::string fold_plural(std::string_view word) const { return rules_.fold_plural(word); }

 private:
  // Every step of tokenise but the removal of skip phrases.
  std::vector<std::string> words_of(std::string_view text) const;
  void process_token(std::string_view raw, std::vector<std::string>& out) const;
  void remove_skip_phrases(std::vector<std::string>& tokens) const;

  LanguageRules rules_;
  std::unordered_map<std::string, std::vector<std::string>> replacements_;
  std::vector<std::vector<std::string>> skip_phrases_;  // longest first
  std::unordered_set<std::string> skip_first_words_;    // the first token of each
};

// Lower-cases and cleans one text with no language's rules (no accent folding): letters and digits kept,
// apostrophes kept as ', every other character becomes a space. Exposed for tests.
std::string fold_text(std::string_view text);

}  // namespace crampbot
