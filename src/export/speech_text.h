#pragma once

#include <string>
#include <string_view>

namespace crampbot::exporting {

// A run of digits as said aloud: "2" → "two", "12" → "twelve", "24" → "twenty four", "300" → "three
// hundred". Other numbers of three or more digits, and any with a leading zero, are said digit by digit
// ("911" → "nine one one", "07" → "zero seven"), as people say emergency numbers and codes.
std::string number_in_words(std::string_view digits);

// `text` written the way voice platforms require of sample utterances and slot values: ASCII letters in
// lower case, numbers in words ("b12" → "b twelve"), apostrophes and hyphens kept only between two
// letters ("what's", "x-ray"), every other character a word break, single spaces, no leading or trailing
// space. Bytes outside ASCII (letters of other scripts) are kept as they are, except the curly apostrophe and
// the punctuation Spanish adds (¿ ¡ « »), which break words.
std::string spell_for_speech(std::string_view text);

}  // namespace crampbot::exporting
