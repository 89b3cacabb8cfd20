#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace crampbot {

// Appends `text` to `out` as a JSON string (quotes and escapes included). Text that is not valid UTF-8 has
// its bad bytes replaced with U+FFFD rather than thrown on.
void append_json_string(std::string_view text, std::string& out);

// Appends `value` as JSON writes a double: the shortest text that reads back the same, ".0" on whole numbers,
// null for what JSON cannot hold (nlohmann's dump writes the same).
void append_json_double(double value, std::string& out);

// Writes JSON text straight into a string: replies are built on the request path without a DOM, in one
// buffer. The caller keeps the structure well-formed (a key before each value inside an object, every
// begin matched by its end); the writer places the commas and escapes the strings.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // The key of the next value inside an object.
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view value);
  JsonWriter& boolean(bool value);
  JsonWriter& integer(std::int64_t value);
  JsonWriter& unsigned_integer(std::uint64_t value);
  JsonWriter& number(double value);
  JsonWriter& null();
  // An object of string values, in the map's (sorted) order.
  JsonWriter& string_map(const std::map<std::string, std::string>& values);
  JsonWriter& string_array(const std::vector<std::string>& values);
  // A value that is already JSON text (made by this writer or dump_json); copied as it is.
  JsonWriter& raw(std::string_view json);

 private:
  void before_value();
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);

  std::string& out_;
  bool after_value_ = false;  // a comma goes before the next key or array element
};

}  // namespace crampbot
