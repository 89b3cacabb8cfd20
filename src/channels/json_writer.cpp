#include "channels/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include <nlohmann/json.hpp>

#include "engine/utf8.h"

namespace crampbot {

namespace {

// Whether any of the 8 bytes in `word` needs attention: a control character, '"', '\\' or a byte of a
// multi-byte UTF-8 sequence (bit tricks from "Bit Twiddling Hacks": haszero and hasless).
bool needs_attention(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const auto has_zero = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  const std::uint64_t control = (word - kOnes * 0x20) & ~word & kHigh;
  return (control | has_zero(word ^ (kOnes * '"')) | has_zero(word ^ (kOnes * '\\')) | (word & kHigh)) != 0;
}

}  // namespace

void append_json_string(std::string_view text, std::string& out) {
  const std::size_t start = out.size();
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  // Runs of bytes that need no escape are copied whole; plain ASCII is skipped eight bytes at a time.
  bool multi_byte = false;
  std::size_t run = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (i + 8 <= text.size()) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, 8);
      if (!needs_attention(word)) {
        i += 8;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) multi_byte = true;
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out.append(text.data() + run, i - run);
    run = ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
  if (multi_byte && !is_valid_utf8(text)) {
    // Only text from outside can be invalid, and parse_json_body refuses it; nlohmann's replacing dump is
    // slow but this path is rare.
    out.resize(start);
    out += nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

void append_json_double(double value, std::string& out) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char text[32];
  const auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  const std::string_view written(text, static_cast<std::size_t>(end - text));
  out += written;
  if (written.find_first_of(".e") == std::string_view::npos) out += ".0";
}

namespace {

template <typename Integer>
std::string_view integer_text(Integer value, char (&text)[24]) {
  const auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  return {text, static_cast<std::size_t>(end - text)};
}

}  // namespace

void JsonWriter::before_value() {
  if (after_value_) out_ += ',';
}

JsonWriter& JsonWriter::open(char bracket) {
  before_value();
  out_ += bracket;
  after_value_ = false;
  return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
  out_ += bracket;
  after_value_ = true;
  return *this;
}

JsonWriter& JsonWriter::begin_object() {
  return open('{');
}

JsonWriter& JsonWriter::end_object() {
  return close('}');
}

JsonWriter& JsonWriter::begin_array() {
  return open('[');
}

JsonWriter& JsonWriter::end_array() {
  return close(']');
}

JsonWriter& JsonWriter::key(std::string_view name) {
  before_value();
  append_json_string(name, out_);
  out_ += ':';
  after_value_ = false;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view value) {
  before_value();
  append_json_string(value, out_);
  after_value_ = true;
  return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
  return raw(value ? "true" : "false");
}

JsonWriter& JsonWriter::integer(std::int64_t value) {
  char text[24];
  return raw(integer_text(value, text));
}

JsonWriter& JsonWriter::unsigned_integer(std::uint64_t value) {
  char text[24];
  return raw(integer_text(value, text));
}

JsonWriter& JsonWriter::number(double value) {
  before_value();
  append_json_double(value, out_);
  after_value_ = true;
  return *this;
}

JsonWriter& JsonWriter::null() {
  return raw("null");
}

JsonWriter& JsonWriter::string_map(const std::map<std::string, std::string>& values) {
  begin_object();
  for (const auto& [name, value] : values)
    key(name).string(value);
  return end_object();
}

JsonWriter& JsonWriter::string_array(const std::vector<std::string>& values) {
  begin_array();
  for (const auto& value : values)
    string(value);
  return end_array();
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  before_value();
  out_ += json;
  after_value_ = true;
  return *this;
}

}  // namespace crampbot
