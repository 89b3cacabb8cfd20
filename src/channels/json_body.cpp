#include "channels/json_body.h"

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
  // nlohmann's lexer takes a NUL byte as the end of input and would accept `{...}\0anything`; JSON text
  // cannot contain one, raw, anywhere.
  if (const auto nul = body.find('\0'); nul != std::string_view::npos) {
    out.error =
        "invalid JSON: a NUL byte at offset " + std::to_string(nul) + " (JSON text cannot contain one)";
    return out;
  }
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

void write_value(const nlohmann::json& json, JsonWriter& writer) {
  using Type = nlohmann::json::value_t;
  switch (json.type()) {
    case Type::object:
      writer.begin_object();
      for (const auto& [key, value] : json.items()) {
        writer.key(key);
        write_value(value, writer);
      }
      writer.end_object();
      return;
    case Type::array:
      writer.begin_array();
      for (const auto& value : json)
        write_value(value, writer);
      writer.end_array();
      return;
    case Type::string:
      writer.string(json.get_ref<const std::string&>());
      return;
    case Type::boolean:
      writer.boolean(json.get<bool>());
      return;
    case Type::number_integer:
      writer.integer(json.get<std::int64_t>());
      return;
    case Type::number_unsigned:
      writer.unsigned_integer(json.get<std::uint64_t>());
      return;
    case Type::number_float:
      writer.number(json.get<double>());
      return;
    case Type::null:
    case Type::binary:
    case Type::discarded:
      writer.null();
      return;
  }
}

}  // namespace

std::string dump_json(const nlohmann::json& json) {
  // On every reply's path: nlohmann's dump checks UTF-8 a character at a time, which cost more than
  // building the reply (bench/http_bench.sh, perf).
  std::string out;
  out.reserve(1024);
  JsonWriter writer(out);
  write_value(json, writer);
  return out;
}

}  // namespace crampbot
