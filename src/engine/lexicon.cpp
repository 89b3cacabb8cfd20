#include "engine/lexicon.h"

#include <algorithm>
#include <fstream>

#include "engine/catalog_error.h"
#include "engine/json_file.h"

namespace crampbot {

Lexicon Lexicon::load(const std::filesystem::path& file) {
  const nlohmann::json json = load_json_file(file);
  const JsonFields top(file, json, "");
  top.only_keys({"lists", "rules", "skip_words", "filler_words", "carrier_phrases", "replacements",
                 "dictionaries", "language"});
  Lexicon lexicon;
  lexicon.language = LanguageRules::from_json(top.optional_object("language"), file);

  const auto& lists = top.required_object("lists");
  for (const auto& [list_name, values] : lists.items()) {
    const JsonFields list(file, values, "lists." + list_name);
    if (values.empty()) top.fail("lists." + list_name, "a list needs at least one value");
    auto& out = lexicon.lists[list_name];
    for (const auto& [canonical, phrases] : values.items()) {
      if (!phrases.is_array() || phrases.empty())
        list.fail(canonical, "must be a non-empty array of phrases");
      out.push_back({canonical, list.strings(&phrases, canonical)});
    }
  }
  if (const auto* rules = top.optional_object("rules")) {
    for (const auto& [name, body] : rules->items()) {
      if (!body.is_string() || body.get<std::string>().empty()) {
        top.fail("rules." + name, "must be a non-empty template string");
      }
      lexicon.rules[name] = body.get<std::string>();
    }
  }
  if (const auto* skip = top.optional_array("skip_words")) {
    lexicon.skip_words = top.strings(skip, "skip_words");
  }
  if (const auto* filler = top.optional_array("filler_words")) {
    lexicon.filler_words = top.strings(filler, "filler_words");
  }
  if (const auto* carriers = top.optional_array("carrier_phrases"))
    lexicon.carrier_phrases = top.strings(carriers, "carrier_phrases");
  if (const auto* replacements = top.optional_object("replacements")) {
    for (const auto& [from, to] : replacements->items()) {
      if (!to.is_string()) top.fail("replacements." + from, "must be a string");
      lexicon.replacements[from] = to.get<std::string>();
    }
  }
  if (const auto* dictionaries = top.optional_array("dictionaries")) {
    for (const auto& name : top.strings(dictionaries, "dictionaries")) {
      const std::filesystem::path path = file.parent_path() / name;  // an absolute name stays as it is
      std::ifstream in(path);
      if (!in)
        top.fail("dictionaries",
                 "cannot read \"" + path.string() + "\" (scripts/install-deps.sh installs it)");
      std::string word;
      while (std::getline(in, word)) {
        // Possessives ("ABC's") are not tokens; the rest are matched as the normaliser folds them.
        if (word.empty() || word.find('\'') != std::string::npos) continue;
        word = lexicon.language.fold(word);
        if (word.find(' ') != std::string::npos) continue;  // not one token ("o'clock", "x-ray")
        lexicon.dictionary_words.push_back(std::move(word));
      }
    }
    auto& words = lexicon.dictionary_words;
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
  }
  return lexicon;
}

bool Lexicon::is_dictionary_word(std::string_view word) const {
  return std::binary_search(dictionary_words.begin(), dictionary_words.end(), word,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

}  // namespace crampbot
