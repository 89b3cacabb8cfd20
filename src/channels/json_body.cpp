#include "channels/json_body.h"

#include <charconv>
#include <cstdint>

#include "channels/json_writer.h"

namespace crampbot {

std::size_t json_nesting_depth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

namespace {

// Builds the DOM with nlohmann's own SAX builder but keeps a parse error as a value instead of a throw.
class RecordingDomBuilder {
 public:
  using json = nlohmann::json;
  explicit RecordingDomBuilder(json& result) : builder_(result, false) {}

  bool null() { return builder_.null(); }
  bool boolean(bool value) { return builder_.boolean(value); }
  bool number_integer(json::number_integer_t value) { return builder_.number_integer(value); }
  bool number_unsigned(json::number_unsigned_t value) { return builder_.number_unsigned(value); }
  bool number_float(json::number_float_t value, const std::string& text) {
    return builder_.number_float(value, text);
  }
  bool string(std::string& value) { return builder_.string(value); }
  bool binary(json::binary_t& value) { return builder_.binary(value); }
  bool start_object(std::size_t size) { return builder_.start_object(size); }
  bool key(std::string& value) { return builder_.key(value); }
  bool end_object() { return builder_.end_object(); }
  bool start_array(std::size_t size) { return builder_.start_array(size); }
  bool end_array() { return builder_.end_array(); }
  bool parse_error(std::size_t position, const std::string& token, const json::exception& error) {
    std::string what = error.what();
    // nlohmann's message names the position and what it expected; drop its "[json.exception…] " prefix.
    const auto bracket = what.find("] ");
    message_ = bracket == std::string::npos ? what : what.substr(bracket + 2);
    return builder_.parse_error(position, token, error);
  }

  const std::string& message() const { return message_; }

 private:
  nlohmann::detail::json_sax_dom_parser<json> builder_;
  std::string message_;
};

}  // namespace

ParsedBody parse_json_body(std::string_view body, std::size_t max_depth) {
  ParsedBody out;
  if (json_nesting_depth(body, max_depth) > max_depth) {
    out.error = "the JSON is nested deeper than " + std::to_string(max_depth) + " levels";
    return out;
  }
  RecordingDomBuilder builder(out.json);
  const bool ok = nlohmann::json::sax_parse(body, &builder, nlohmann::json::input_format_t::json, true);
  if (!ok) {
    out.json = nlohmann::json();
    out.error =
        "invalid JSON: " + (builder.message().empty() ? std::string("unreadable") : builder.message());
  }
  return out;
}

namespace {

template <typename Integer>
void append_integer(Integer value, std::string& out) {
  char text[24];
  const auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  out.append(text, static_cast<std::size_t>(end - text));
}

void append_value(const nlohmann::json& json, std::string& out) {
  using Type = nlohmann::json::value_t;
  switch (json.type()) {
    case Type::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : json.items()) {
        if (!first) out += ',';
        first = false;
        append_json_string(key, out);
        out += ':';
        append_value(value, out);
      }
      out += '}';
      return;
    }
    case Type::array: {
      out += '[';
      bool first = true;
      for (const auto& value : json) {
        if (!first) out += ',';
        first = false;
        append_value(value, out);
      }
      out += ']';
      return;
    }
    case Type::string:
      append_json_string(json.get_ref<const std::string&>(), out);
      return;
    case Type::boolean:
      out += json.get<bool>() ? "true" : "false";
      return;
    case Type::number_integer:
      append_integer(json.get<std::int64_t>(), out);
      return;
    case Type::number_unsigned:
      append_integer(json.get<std::uint64_t>(), out);
      return;
    case Type::number_float:
      append_json_double(json.get<double>(), out);
      return;
    case Type::null:
    case Type::binary:
    case Type::discarded:
      out += "null";
      return;
  }
}

}  // namespace

std::string dump_json(const nlohmann::json& json) {
  // On every reply's path: nlohmann's dump checks UTF-8 a character at a time, which cost more than
  // building the reply (bench/http_bench.sh, perf).
  std::string out;
  out.reserve(1024);
  append_value(json, out);
  return out;
}

}  // namespace crampbot
