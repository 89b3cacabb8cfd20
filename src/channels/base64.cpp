#include "channels/base64.h"

#include <cstdint>

namespace crampbot {

namespace {

constexpr std::string_view kStandard = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// The 6-bit value of a character in the alphabet, or -1.
int sextet(char c, Base64Alphabet alphabet) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  const bool url = alphabet == Base64Alphabet::url;
  if (c == (url ? '-' : '+')) return 62;
  if (c == (url ? '_' : '/')) return 63;
  return -1;
}

}  // namespace

std::string encode_base64(std::string_view bytes, Base64Alphabet alphabet) {
  const std::string_view table = alphabet == Base64Alphabet::url ? kUrl : kStandard;
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += table[(buffer >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += table[(buffer << (6 - bits)) & 0x3F];
  if (alphabet == Base64Alphabet::standard) {
    while (out.size() % 4 != 0)
      out += '=';
  }
  return out;
}

std::optional<std::string> decode_base64(std::string_view text, Base64Alphabet alphabet) {
  if (alphabet == Base64Alphabet::standard && !text.empty() && text.size() % 4 == 0) {
    std::size_t padding = 0;
    while (padding < 2 && text[text.size() - 1 - padding] == '=')
      ++padding;
    text.remove_suffix(padding);
  }
  // Unpadded, one leftover character cannot be: it carries only six bits of a byte.
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const int value = sextet(c, alphabet);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace crampbot
