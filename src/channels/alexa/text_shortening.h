#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace crampbot::alexa {

// The number of characters (UTF-8 code points) in `text`, as Alexa counts its limits.
std::size_t count_characters(std::string_view text);

// `text` cut to at most `max_characters` characters: at the end of the last whole sentence that fits ('.',
// '!' or '?' followed by white space or the end); failing that, at the last word boundary, with "…"; failing
// that, at a character boundary. Never cuts inside an XML entity ("&amp;"), so escaped SSML text stays
// well-formed. Returns `text` unchanged when it fits; trailing white space of a cut is dropped.
std::string shorten_at_sentence(std::string_view text, std::size_t max_characters);

}  // namespace crampbot::alexa
