#include "export/speech_text.h"

namespace crampbot::exporting {

namespace {

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::string number_in_words(std::string_view digits, const LanguageRules& language) {
  if (digits.empty()) return {};
  const bool leading_zero = digits.size() > 1 && digits.front() == '0';
  if (!leading_zero && digits.size() <= 2) {
    if (auto it = language.spoken_numbers.find(digits); it != language.spoken_numbers.end())
      return it->second;
  }
  std::string out;
  for (const char d : digits) {
    if (!out.empty()) out += ' ';
    const auto it = language.spoken_numbers.find(std::string_view(&d, 1));
    if (it != language.spoken_numbers.end()) {
      out += it->second;
    } else {
      out += d;
    }
  }
  return out;
}

std::string spell_for_speech(std::string_view text, const LanguageRules& language) {
  static constexpr std::string_view kCurlyApostrophe = "\xE2\x80\x99";
  std::string out;
  const auto word_break = [&out] {
    if (!out.empty() && out.back() != ' ') out += ' ';
  };
  const auto letter_at = [&text](std::size_t i) {
    return i < text.size() && (is_letter(text[i]) || static_cast<unsigned char>(text[i]) >= 0x80);
  };
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    // Spanish opening marks and guillemets (¿ ¡ « ») are punctuation, not letters of another script.
    if (c == '\xC2' && i + 1 < text.size() &&
        (text[i + 1] == '\xBF' || text[i + 1] == '\xA1' || text[i + 1] == '\xAB' || text[i + 1] == '\xBB')) {
      word_break();
      i += 2;
      continue;
    }
    if (is_digit(c)) {
      std::size_t end = i;
      while (end < text.size() && is_digit(text[end]))
        ++end;
      word_break();
      out += number_in_words(text.substr(i, end - i), language);
      out += ' ';
      i = end;
    } else if (text.substr(i, kCurlyApostrophe.size()) == kCurlyApostrophe || c == '\'' || c == '-') {
      const std::size_t width = c == '\'' || c == '-' ? 1 : kCurlyApostrophe.size();
      const bool inside_word = !out.empty() && out.back() != ' ' && letter_at(i + width);
      if (inside_word) {
        out += c == '-' ? '-' : '\'';
      } else {
        word_break();
      }
      i += width;
    } else if (is_letter(c) || static_cast<unsigned char>(c) >= 0x80) {
      out += lower(c);
      ++i;
    } else {
      word_break();
      ++i;
    }
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

}  // namespace crampbot::exporting
