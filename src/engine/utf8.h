#pragma once

#include <string_view>

namespace crampbot {

// What is wrong with an utterance before it can be matched.
enum class InputError {
  none,
  empty,              // nothing but white space
  too_long,           // more bytes than the configured limit
  invalid_utf8,       // not well-formed UTF-8 (overlong forms and surrogates included)
  control_character,  // a C0/C1 control other than tab, CR or LF, or a NUL byte
};

// A short English sentence naming the error, for CLI messages and JSON error bodies.
std::string_view describe(InputError error);

// Returns true when `text` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
bool is_valid_utf8(std::string_view text);

// Checks an utterance as it arrives: size first (so huge input costs nothing more), then UTF-8, then
// control characters, then emptiness.
InputError check_utterance(std::string_view text, std::size_t max_bytes);

}  // namespace crampbot
