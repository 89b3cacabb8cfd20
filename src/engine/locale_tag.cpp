#include "engine/locale_tag.h"

#include <vector>

namespace crampbot {

namespace {

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

}  // namespace

std::optional<LocaleTag> parse_locale(std::string_view text) {
  // Tags in the wild are short; anything long is not one (RFC 5646 allows more, nobody sends it).
  if (text.empty() || text.size() > 35) return std::nullopt;
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '-' && text[i] != '_') {
      if (!is_alpha(text[i]) && !is_digit(text[i])) return std::nullopt;
      continue;
    }
    if (i == start) return std::nullopt;  // an empty subtag: "en--GB", "-en", "en-"
    parts.push_back(text.substr(start, i - start));
    start = i + 1;
  }
  const std::string_view language = parts.front();
  if (language.size() < 2 || language.size() > 3) return std::nullopt;
  LocaleTag tag;
  for (const char c : language) {
    if (!is_alpha(c)) return std::nullopt;
    tag.language += lower(c);
  }
  // The region is the first later subtag of two letters or three digits (after a script such as "Hant").
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::string_view part = parts[i];
    const bool letters = part.size() == 2 && is_alpha(part[0]) && is_alpha(part[1]);
    const bool digits = part.size() == 3 && is_digit(part[0]) && is_digit(part[1]) && is_digit(part[2]);
    if (letters || digits) {
      for (const char c : part)
        tag.region += upper(c);
      break;
    }
  }
  return tag;
}

}  // namespace crampbot
