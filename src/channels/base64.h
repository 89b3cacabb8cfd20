#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crampbot {

// Base64 (RFC 4648): the standard alphabet "+/" with '=' padding (§4), and the URL-safe alphabet "-_"
// without padding (§5).
enum class Base64Alphabet { standard, url };

// Encodes `bytes`; standard output is padded, url output is not.
std::string encode_base64(std::string_view bytes, Base64Alphabet alphabet = Base64Alphabet::standard);

// Decodes `text` strictly: nullopt for any character outside the alphabet (white space included), padding
// anywhere but the end (or any padding, for url), a length no encoder produces, or non-zero leftover bits
// (so every byte string has exactly one encoding).
std::optional<std::string> decode_base64(std::string_view text,
                                         Base64Alphabet alphabet = Base64Alphabet::standard);

}  // namespace crampbot
