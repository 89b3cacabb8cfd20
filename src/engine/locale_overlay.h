#pragma once

#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace crampbot {

class JsonFields;

// A phrase replies name as "{name}" that a locale may word differently: the emergency number, above all.
// `voice` is how it is spoken ("nine nine nine" for "999"); empty when it is spoken as written.
struct Phrase {
  std::string text;
  std::string voice;

  const std::string& spoken() const { return voice.empty() ? text : voice; }
};
using Phrases = std::map<std::string, Phrase>;

// Reads {"name": "text"} or {"name": {"text": "...", "voice": "..."}} from `fields`' key `key` (absent:
// none). Throws CatalogError naming the key of a malformed phrase.
Phrases read_phrases(const JsonFields& fields, std::string_view key);

// What one locale changes in its language's replies (catalog/<locale>/locale.json): its own wording of the
// language's phrases and its regional spelling ("fiber" → "fibre"). Nothing else: the matcher and every other
// word of the replies are the language's.
struct LocaleOverlay {
  std::string locale;  // "en-GB"
  std::filesystem::path file;
  Phrases phrases;
  std::map<std::string, std::string>
      spelling;  // whole words, lower case; a capitalised word keeps its capital

  // Loads `file`. Throws CatalogError naming the file and key on malformed JSON, an unknown key or an empty
  // word.
  static LocaleOverlay load(const std::filesystem::path& file, std::string locale);
};

// `text` with each whole word of `spelling` replaced ("Fiber" → "Fibre"; "fibers" is left alone).
std::string respell(const std::string& text, const std::map<std::string, std::string>& spelling);

}  // namespace crampbot
