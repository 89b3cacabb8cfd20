#pragma once

#include <string>
#include <string_view>

#include "engine/language_rules.h"

namespace crampbot::exporting {

// A run of digits as said aloud in a language: a number its word in language.spoken_numbers ("2" → "two",
// "12" → "twelve" or "doce"); a run with a leading zero, of three or more digits, or without a word of its
// own, digit by digit ("911" → "nine one one", "07" → "zero seven"), as people say emergency numbers and
// codes. A digit the language has no word for stays a digit.
std::string number_in_words(std::string_view digits, const LanguageRules& language);

// `text` written the way voice platforms require of sample utterances and slot values: letters in lower
// case, numbers in `language`'s words ("b12" → "b twelve"), apostrophes and hyphens kept only between two
// letters ("what's", "x-ray"), every other character a word break, single spaces, no leading or trailing
// space. Bytes outside ASCII (letters of other scripts) are kept as they are, except the curly apostrophe and
// the punctuation Spanish adds (¿ ¡ « »), which break words.
std::string spell_for_speech(std::string_view text, const LanguageRules& language);

}  // namespace crampbot::exporting
