// engine/utf8.h: UTF-8 validation (RFC 3629) and the checks an utterance goes through on arrival.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "engine/utf8.h"

using crampbot::check_utterance;
using crampbot::describe;
using crampbot::InputError;
using crampbot::is_valid_utf8;

namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values)
    out += static_cast<char>(v);
  return out;
}

}  // namespace

TEST_CASE("is_valid_utf8 accepts well-formed text at every sequence length and boundary", "[utf8]") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("magnesium and leg cramps"));
  CHECK(is_valid_utf8("caf\xC3\xA9"));                           // é, 2 bytes
  CHECK(is_valid_utf8("\xE2\x82\xAC 5"));                        // €, 3 bytes
  CHECK(is_valid_utf8("\xF0\x9F\xA6\xB5 leg"));                  // 🦵, 4 bytes
  CHECK(is_valid_utf8("\xEF\xBC\xAD\xEF\xBC\xA1\xEF\xBC\xA7"));  // ＭＡＧ (fullwidth)
  CHECK(is_valid_utf8(bytes({0xC2, 0x80})));                     // U+0080, smallest 2-byte
  CHECK(is_valid_utf8(bytes({0xDF, 0xBF})));                     // U+07FF, largest 2-byte
  CHECK(is_valid_utf8(bytes({0xE0, 0xA0, 0x80})));               // U+0800, smallest 3-byte
  CHECK(is_valid_utf8(bytes({0xED, 0x9F, 0xBF})));               // U+D7FF, just below the surrogates
  CHECK(is_valid_utf8(bytes({0xEE, 0x80, 0x80})));               // U+E000, just above the surrogates
  CHECK(is_valid_utf8(bytes({0xEF, 0xBF, 0xBF})));               // U+FFFF
  CHECK(is_valid_utf8(bytes({0xF0, 0x90, 0x80, 0x80})));         // U+10000, smallest 4-byte
  CHECK(is_valid_utf8(bytes({0xF4, 0x8F, 0xBF, 0xBF})));         // U+10FFFF, the last code point
  CHECK(is_valid_utf8(std::string("a\0b", 3)));  // NUL is valid UTF-8 (rejected later as a control)
}

TEST_CASE("is_valid_utf8 rejects overlong forms", "[utf8]") {
  CHECK_FALSE(is_valid_utf8(bytes({0xC0, 0x80})));              // overlong NUL
  CHECK_FALSE(is_valid_utf8(bytes({0xC0, 0xAF})));              // overlong '/'
  CHECK_FALSE(is_valid_utf8(bytes({0xC1, 0xBF})));              // overlong U+007F
  CHECK_FALSE(is_valid_utf8(bytes({0xE0, 0x80, 0x80})));        // overlong NUL, 3 bytes
  CHECK_FALSE(is_valid_utf8(bytes({0xE0, 0x9F, 0xBF})));        // overlong U+07FF
  CHECK_FALSE(is_valid_utf8(bytes({0xF0, 0x80, 0x80, 0x80})));  // overlong NUL, 4 bytes
  CHECK_FALSE(is_valid_utf8(bytes({0xF0, 0x8F, 0xBF, 0xBF})));  // overlong U+FFFF
}

TEST_CASE("is_valid_utf8 rejects UTF-16 surrogates", "[utf8]") {
  CHECK_FALSE(is_valid_utf8(bytes({0xED, 0xA0, 0x80})));  // U+D800
  CHECK_FALSE(is_valid_utf8(bytes({0xED, 0xAD, 0xBF})));  // U+DB7F
  CHECK_FALSE(is_valid_utf8(bytes({0xED, 0xB0, 0x80})));  // U+DC00
  CHECK_FALSE(is_valid_utf8(bytes({0xED, 0xBF, 0xBF})));  // U+DFFF
  // A CESU-8 encoded pair (what some Java/JS encoders emit for 🦵).
  CHECK_FALSE(is_valid_utf8(bytes({0xED, 0xA0, 0xBE, 0xED, 0xB6, 0xB5})));
}

TEST_CASE("is_valid_utf8 rejects code points above U+10FFFF and impossible lead bytes", "[utf8]") {
  CHECK_FALSE(is_valid_utf8(bytes({0xF4, 0x90, 0x80, 0x80})));  // U+110000
  CHECK_FALSE(is_valid_utf8(bytes({0xF5, 0x80, 0x80, 0x80})));
  CHECK_FALSE(is_valid_utf8(bytes({0xF7, 0xBF, 0xBF, 0xBF})));        // U+1FFFFF
  CHECK_FALSE(is_valid_utf8(bytes({0xF8, 0x88, 0x80, 0x80, 0x80})));  // old 5-byte form
  CHECK_FALSE(is_valid_utf8(bytes({0xFC, 0x84, 0x80, 0x80, 0x80, 0x80})));
  CHECK_FALSE(is_valid_utf8(bytes({0xFE})));
  CHECK_FALSE(is_valid_utf8(bytes({0xFF})));
  CHECK_FALSE(is_valid_utf8("magnesium \xFF cramps"));
}

TEST_CASE("is_valid_utf8 rejects truncated sequences and stray continuation bytes", "[utf8]") {
  CHECK_FALSE(is_valid_utf8(bytes({0xC3})));              // lead byte at the end
  CHECK_FALSE(is_valid_utf8(bytes({0xE2, 0x82})));        // 2 of 3
  CHECK_FALSE(is_valid_utf8(bytes({0xF0, 0x9F, 0xA6})));  // 3 of 4
  CHECK_FALSE(is_valid_utf8("cramp\xC3"));
  CHECK_FALSE(
      is_valid_utf8("\xE2\x82"
                    "a"));                          // sequence cut by an ASCII byte
  CHECK_FALSE(is_valid_utf8(bytes({0xC3, 0x28})));  // continuation replaced by '('
  CHECK_FALSE(is_valid_utf8(bytes({0xF0, 0x9F, 0x28, 0xB5})));
  CHECK_FALSE(is_valid_utf8(bytes({0x80})));  // lone continuation
  CHECK_FALSE(is_valid_utf8(bytes({0x61, 0xBF, 0x62})));
  CHECK_FALSE(is_valid_utf8(bytes({0xC3, 0xA9, 0xA9})));  // one continuation too many
}

TEST_CASE("check_utterance accepts ordinary utterances", "[utf8]") {
  CHECK(check_utterance("what foods have magnesium?", 2000) == InputError::none);
  CHECK(check_utterance("caf\xC3\xA9 \xE2\x80\x99s cramps", 2000) == InputError::none);
  CHECK(check_utterance("tab\there, then a new line\r\n", 2000) == InputError::none);  // TAB, CR, LF allowed
  CHECK(check_utterance(" x ", 2000) == InputError::none);
  CHECK(check_utterance("\xC2\xA0magnesium", 2000) == InputError::none);  // U+00A0 is not a C1 control
}

TEST_CASE("check_utterance: size is checked before anything else", "[utf8]") {
  const std::size_t limit = 2000;
  CHECK(check_utterance(std::string(limit, 'a'), limit) == InputError::none);
  CHECK(check_utterance(std::string(limit + 1, 'a'), limit) == InputError::too_long);
  // Too long AND invalid AND full of controls: too_long wins.
  CHECK(check_utterance(std::string(limit + 1, '\xFF'), limit) == InputError::too_long);
  CHECK(check_utterance(std::string(limit + 1, '\0'), limit) == InputError::too_long);
  CHECK(check_utterance(std::string(limit + 1, ' '), limit) == InputError::too_long);
  CHECK(check_utterance(std::string(100 * 1024, 'x'), limit) == InputError::too_long);
}

TEST_CASE("check_utterance: invalid UTF-8 before control characters, controls before emptiness", "[utf8]") {
  CHECK(check_utterance("\x01\xFF", 2000) == InputError::invalid_utf8);
  CHECK(check_utterance(std::string("\0\xC0\x80", 3), 2000) == InputError::invalid_utf8);
  CHECK(check_utterance("\x01", 2000) == InputError::control_character);  // only a control: not "empty"
  CHECK(check_utterance(std::string(" \0 ", 3), 2000) == InputError::control_character);
}

TEST_CASE("check_utterance flags NUL, C0 and C1 controls but not TAB, CR, LF", "[utf8]") {
  CHECK(check_utterance(std::string("magnesium\0cramps", 16), 2000) == InputError::control_character);
  CHECK(check_utterance("bell\x07", 2000) == InputError::control_character);
  CHECK(check_utterance("escape \x1B[31m red", 2000) == InputError::control_character);
  CHECK(check_utterance("vertical\x0Btab", 2000) == InputError::control_character);
  CHECK(check_utterance("form\x0C"
                        "feed",
                        2000) == InputError::control_character);
  CHECK(check_utterance("delete\x7F", 2000) == InputError::control_character);
  CHECK(check_utterance("next line \xC2\x85 here", 2000) == InputError::control_character);  // U+0085
  CHECK(check_utterance("\xC2\x80", 2000) == InputError::control_character);                 // U+0080
  CHECK(check_utterance("\xC2\x9F", 2000) == InputError::control_character);                 // U+009F
}

TEST_CASE("check_utterance: empty and white space only", "[utf8]") {
  CHECK(check_utterance("", 2000) == InputError::empty);
  CHECK(check_utterance(" ", 2000) == InputError::empty);
  CHECK(check_utterance(" \t\r\n  \n", 2000) == InputError::empty);
}

// The header defines `empty` as "nothing but white space"; U+00A0 (no-break space) and U+3000 (ideographic
// space) are white space too (Unicode White_Space), and are what some keyboards and speech front-ends send.
TEST_CASE("check_utterance: non-ASCII white space only counts as empty", "[utf8]") {
  CHECK(check_utterance("\xC2\xA0", 2000) == InputError::empty);                   // U+00A0
  CHECK(check_utterance("\xE3\x80\x80 \xE3\x80\x80", 2000) == InputError::empty);  // U+3000
}

TEST_CASE("describe names every input error distinctly", "[utf8]") {
  std::set<std::string> seen;
  for (InputError e : {InputError::none, InputError::empty, InputError::too_long, InputError::invalid_utf8,
                       InputError::control_character}) {
    const std::string text(describe(e));
    CHECK_FALSE(text.empty());
    seen.insert(text);
  }
  CHECK(seen.size() == 5);
  CHECK_THAT(std::string(describe(InputError::invalid_utf8)), Catch::Contains("UTF-8"));
}
