#include "engine/locale_overlay.h"

#include "engine/json_file.h"

namespace crampbot {

Phrases read_phrases(const JsonFields& fields, std::string_view key) {
  Phrases phrases;
  const nlohmann::json* object = fields.optional_object(key);
  if (!object) return phrases;
  for (const auto& [name, value] : object->items()) {
    const std::string where = std::string(key) + "." + name;
    if (name.empty() || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos)
      fields.fail(where, "a phrase name uses lower-case letters and _");
    Phrase phrase;
    if (value.is_string()) {
      phrase.text = value.get<std::string>();
    } else if (value.is_object()) {
      const JsonFields forms(fields.file(), value, fields.where(where));
      forms.only_keys({"text", "voice"});
      phrase.text = forms.required_string("text");
      phrase.voice = forms.optional_string("voice");
      if (value.contains("voice") && phrase.voice.empty()) forms.fail("voice", "must not be empty");
    } else {
      fields.fail(where, "must be a string or {\"text\", \"voice\"}");
    }
    if (phrase.text.empty()) fields.fail(where, "must not be empty");
    phrases[name] = std::move(phrase);
  }
  return phrases;
}

LocaleOverlay LocaleOverlay::load(const std::filesystem::path& file, std::string locale) {
  const nlohmann::json json = load_json_file(file);
  const JsonFields top(file, json, "");
  top.only_keys({"description", "phrases", "spelling"});
  LocaleOverlay overlay;
  overlay.locale = std::move(locale);
  overlay.file = file;
  overlay.phrases = read_phrases(top, "phrases");
  if (const auto* spelling = top.optional_object("spelling")) {
    for (const auto& [from, to] : spelling->items()) {
      const std::string where = "spelling." + from;
      if (from.empty() || from.find_first_of(" ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos)
        top.fail(where, "must be one word in lower case");
      if (!to.is_string() || to.get<std::string>().empty()) top.fail(where, "must be a non-empty string");
      overlay.spelling[from] = to.get<std::string>();
    }
  }
  return overlay;
}

namespace {

bool is_word_byte(char c) {
  // Letters, digits and every byte of a multi-byte UTF-8 character (accented letters) continue a word.
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c & 0x80) != 0;
}

std::string capitalised(std::string word) {
  if (!word.empty() && word[0] >= 'a' && word[0] <= 'z') word[0] = static_cast<char>(word[0] - 'a' + 'A');
  return word;
}

}  // namespace

std::string respell(const std::string& text, const std::map<std::string, std::string>& spelling) {
  if (spelling.empty()) return text;
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_word_byte(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_word_byte(text[end]))
      ++end;
    const std::string word = text.substr(i, end - i);
    std::string replaced = word;
    if (auto it = spelling.find(word); it != spelling.end()) {
      replaced = it->second;
    } else if (!word.empty() && word[0] >= 'A' && word[0] <= 'Z') {
      std::string lower = word;
      lower[0] = static_cast<char>(lower[0] - 'A' + 'a');
      if (auto cap = spelling.find(lower); cap != spelling.end()) replaced = capitalised(cap->second);
    }
    out += replaced;
    i = end;
  }
  return out;
}

}  // namespace crampbot
