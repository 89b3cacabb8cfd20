#include "channels/alexa/text_shortening.h"

namespace crampbot::alexa {

namespace {

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

std::string_view trim_end(std::string_view text) {
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

// The byte length of the longest prefix of `text` with at most `max_characters` characters.
std::size_t prefix_bytes(std::string_view text, std::size_t max_characters) {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_continuation(text[i])) continue;
    if (characters == max_characters) return i;
    ++characters;
  }
  return text.size();
}

// `text` without a trailing, unfinished entity ("… &am").
std::string_view drop_partial_entity(std::string_view text) {
  const std::size_t amp = text.rfind('&');
  if (amp != std::string_view::npos && text.find(';', amp) == std::string_view::npos)
    return text.substr(0, amp);
  return text;
}

}  // namespace

std::size_t count_characters(std::string_view text) {
  std::size_t characters = 0;
  for (const char c : text)
    characters += is_continuation(c) ? 0 : 1;
  return characters;
}

std::string shorten_at_sentence(std::string_view text, std::size_t max_characters) {
  if (count_characters(text) <= max_characters) return std::string(text);
  const std::string_view window = text.substr(0, prefix_bytes(text, max_characters));

  for (std::size_t end = window.size(); end > 0; --end) {
    const char c = window[end - 1];
    const bool sentence_end = c == '.' || c == '!' || c == '?';
    const bool followed_by_break = end == text.size() || is_space(text[end]);
    if (sentence_end && followed_by_break) return std::string(window.substr(0, end));
  }

  constexpr std::string_view kEllipsis = "\u2026";
  if (max_characters == 0) return {};
  // Room for the ellipsis; a word that ends exactly at the edge of the room is kept whole.
  const std::string_view room = text.substr(0, prefix_bytes(text, max_characters - 1));
  const bool word_ends_at_edge = room.size() < text.size() && is_space(text[room.size()]);
  const std::size_t cut = word_ends_at_edge ? room.size() : room.find_last_of(" \n\t\r");
  if (cut != std::string_view::npos && !trim_end(room.substr(0, cut)).empty())
    return std::string(trim_end(room.substr(0, cut))) + std::string(kEllipsis);
  return std::string(trim_end(drop_partial_entity(window)));
}

}  // namespace crampbot::alexa
