#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crampbot {

// A locale as the catalog names its folders: a language ("en", "es") and, optionally, a region ("GB", "MX",
// "419").
struct LocaleTag {
  std::string language;  // 2 or 3 lower-case letters
  std::string region;    // 2 upper-case letters or 3 digits; "" for none

  // "en-GB", or "en" without a region.
  std::string str() const { return region.empty() ? language : language + "-" + region; }
};

// Reads a BCP 47 language tag as platforms send it ("en-GB", "en_gb", "es-419", "zh-Hant-TW"): the language
// lower-cased, the region upper-cased, a script or other subtags skipped. nullopt when `text` is not a tag
// (empty, too long, a language that is not 2-3 letters, characters other than letters, digits, - and _).
std::optional<LocaleTag> parse_locale(std::string_view text);

}  // namespace crampbot
