#include "engine/ssml.h"

#include <array>
#include <vector>

namespace crampbot {

void append_escaped_xml(std::string_view text, std::string& out) {
  // Runs without a special character are copied whole (on every spoken reply's path). A table, not
  // find_first_of, which tries each special character against each byte.
  static constexpr auto kSpecial = [] {
    std::array<bool, 256> special{};
    for (const unsigned char c : std::string_view("&<>\"'"))
      special[c] = true;
    return special;
  }();
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!kSpecial[c]) continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += "&apos;";
    }
  }
  out.append(text.data() + run, text.size() - run);
}

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  append_escaped_xml(text, out);
  return out;
}

std::string build_ssml(std::string_view speech, std::string_view caveat) {
  std::string out;
  out.reserve(speech.size() + caveat.size() + 64);
  out += "<speak>";
  append_escaped_xml(speech, out);
  if (!caveat.empty()) {
    out += " <break time=\"300ms\"/> ";
    append_escaped_xml(caveat, out);
  }
  out += "</speak>";
  return out;
}

namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == ':' || c == '.';
}

// Checks an entity or character reference starting at text[i] == '&'; returns its length or 0.
std::size_t reference_length(std::string_view text, std::size_t i) {
  const std::size_t end = text.find(';', i);
  if (end == std::string_view::npos || end - i > 12) return 0;
  const std::string_view name = text.substr(i + 1, end - i - 1);
  if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos") return end - i + 1;
  if (name.size() >= 2 && name[0] == '#') {
    const bool hex = name[1] == 'x';
    const std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    for (char c : digits) {
      const bool ok = (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
      if (!ok) return 0;
    }
    return end - i + 1;
  }
  return 0;
}

}  // namespace

bool is_well_formed_ssml(std::string_view ssml) {
  std::vector<std::string_view> open;
  bool seen_root = false;
  std::size_t i = 0;
  while (i < ssml.size()) {
    const char c = ssml[i];
    if (c == '&') {
      if (open.empty()) return false;  // text outside the root
      const std::size_t length = reference_length(ssml, i);
      if (length == 0) return false;
      i += length;
      continue;
    }
    if (c == '>') return false;
    if (c != '<') {
      if (open.empty() && c != ' ' && c != '\n') return false;  // text outside the root
      ++i;
      continue;
    }
    const std::size_t close = ssml.find('>', i);
    if (close == std::string_view::npos) return false;
    std::string_view tag = ssml.substr(i + 1, close - i - 1);
    i = close + 1;
    if (!tag.empty() && tag.front() == '/') {
      const std::string_view name = tag.substr(1);
      if (open.empty() || open.back() != name) return false;
      open.pop_back();
      continue;
    }
    const bool self_closing = !tag.empty() && tag.back() == '/';
    if (self_closing) tag.remove_suffix(1);
    std::size_t n = 0;
    while (n < tag.size() && is_name_char(tag[n]))
      ++n;
    if (n == 0) return false;
    const std::string_view name = tag.substr(0, n);
    // Attributes: name="value" pairs with no '<' or raw '&' inside values.
    std::size_t p = n;
    while (p < tag.size()) {
      if (tag[p] == ' ') {
        ++p;
        continue;
      }
      std::size_t a = p;
      while (a < tag.size() && is_name_char(tag[a]))
        ++a;
      if (a == p || a + 1 >= tag.size() || tag[a] != '=' || (tag[a + 1] != '"' && tag[a + 1] != '\''))
        return false;
      const char quote = tag[a + 1];
      const std::size_t value_end = tag.find(quote, a + 2);
      if (value_end == std::string_view::npos) return false;
      for (std::size_t v = a + 2; v < value_end; ++v) {
        if (tag[v] == '<') return false;
        if (tag[v] == '&' && reference_length(tag, v) == 0) return false;
      }
      p = value_end + 1;
    }
    if (open.empty()) {
      if (seen_root || name != "speak") return false;
      seen_root = true;
    }
    if (!self_closing) open.push_back(name);
  }
  return seen_root && open.empty();
}

std::string collapse_spaces(std::string_view text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string spoken_words(std::string_view ssml) {
  std::string out;
  for (std::size_t i = 0; i < ssml.size(); ++i) {
    if (ssml[i] == '<') {
      const auto end = ssml.find('>', i);
      if (end == std::string_view::npos) break;
      out += ' ';
      i = end;
    } else if (ssml[i] == '&') {
      const auto end = ssml.find(';', i);
      if (end == std::string_view::npos) break;
      const std::string_view entity = ssml.substr(i + 1, end - i - 1);
      if (entity == "amp")
        out += '&';
      else if (entity == "lt")
        out += '<';
      else if (entity == "gt")
        out += '>';
      else if (entity == "quot")
        out += '"';
      else if (entity == "apos")
        out += '\'';
      else
        out += '?';  // a numeric reference: no dose or quinine hides in one character
      i = end;
    } else {
      out += ssml[i];
    }
  }
  return collapse_spaces(out);
}

}  // namespace crampbot
