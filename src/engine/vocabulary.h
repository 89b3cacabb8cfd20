#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/string_hash.h"
#include "engine/text_normaliser.h"

namespace crampbot {

// The words templates can match, each mapped to one Unicode code point, so that compiled patterns and
// utterances work on whole words: an alternation of forty words becomes one character class, and a
// wildcard is ".*" over tokens. Every token encodes to exactly kCodeBytes bytes of UTF-8, so token i of an
// encoded utterance starts at byte i * kCodeBytes. Grows only while a catalog loads; read-only afterwards.
class Vocabulary {
 public:
  static constexpr std::uint32_t kUnknown = UINT32_MAX;
  static constexpr std::size_t kCodeBytes = 3;
  static constexpr std::size_t kMaxWords = 0xD7FF - 0x1000;  // code points U+1000..U+D7FE

  // The id of `word`, adding it when new. Throws CatalogError when the vocabulary is full.
  std::uint32_t add(std::string_view word);
  // The id of `word`, or kUnknown.
  std::uint32_t find(std::string_view word) const;
  const std::string& word(std::uint32_t id) const { return words_[id]; }
  std::size_t size() const { return words_.size(); }
  const std::vector<std::string>& words() const { return words_; }

  // Appends the code of `id` (kUnknown included) to `out`.
  static void append_code(std::uint32_t id, std::string& out);
  // The id a code at `bytes` stands for (kUnknown for the unknown-word code).
  static std::uint32_t decode(const char* bytes);
  // Every token of `text` as its code; words outside the vocabulary share one "unknown" code.
  std::string encode(const NormalisedText& text) const;

 private:
  StringMap<std::uint32_t> ids_;
  std::vector<std::string> words_;
};

}  // namespace crampbot
