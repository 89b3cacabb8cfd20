#include "engine/utf8.h"

#include <cstdint>

namespace crampbot {

std::string_view describe(InputError error) {
  switch (error) {
    case InputError::none:
      return "no error";
    case InputError::empty:
      return "the utterance is empty";
    case InputError::too_long:
      return "the utterance is longer than the configured limit";
    case InputError::invalid_utf8:
      return "the utterance is not valid UTF-8";
    case InputError::control_character:
      return "the utterance contains control characters";
  }
  return "unknown error";
}

bool is_valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const std::uint8_t c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int extra = 0;
    std::uint32_t min = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      extra = 1, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, min = 0x10000, cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p <= extra) return false;
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += extra + 1;
  }
  return true;
}

namespace {

// C1 controls arrive as the two bytes C2 80..C2 9F in UTF-8.
bool has_control_character(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return true;
    }
  }
  return false;
}

// White space includes the Unicode spaces people paste (no-break, ideographic, zero-width, BOM).
bool is_blank(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
      ++p;
      continue;
    }
    std::uint32_t cp = 0;
    int length = 0;
    if ((*p & 0xE0) == 0xC0 && end - p >= 2) {
      cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu), length = 2;
    } else if ((*p & 0xF0) == 0xE0 && end - p >= 3) {
      cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu), length = 3;
    } else {
      return false;
    }
    const bool space = cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 ||
                       cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
    if (!space) return false;
    p += length;
  }
  return true;
}

}  // namespace

InputError check_utterance(std::string_view text, std::size_t max_bytes) {
  if (text.size() > max_bytes) return InputError::too_long;
  if (!is_valid_utf8(text)) return InputError::invalid_utf8;
  if (has_control_character(text)) return InputError::control_character;
  if (is_blank(text)) return InputError::empty;
  return InputError::none;
}

}  // namespace crampbot
