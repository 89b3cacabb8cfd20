#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace crampbot {

// Reads and parses a JSON file. Throws CatalogError naming the file (and the parse position) when the file
// cannot be read or is not valid JSON.
nlohmann::json load_json_file(const std::filesystem::path& file);

// Small checked accessors for loaders: each throws CatalogError "<file>: <where>: <problem>" when the field
// is missing (for the required forms) or has the wrong type.
class JsonFields {
 public:
  JsonFields(const std::filesystem::path& file, const nlohmann::json& object, std::string where);

  std::string required_string(std::string_view key) const;
  std::string optional_string(std::string_view key, std::string fallback = {}) const;
  bool optional_bool(std::string_view key, bool fallback) const;
  double optional_number(std::string_view key, double fallback) const;
  const nlohmann::json& required_object(std::string_view key) const;
  const nlohmann::json* optional_object(std::string_view key) const;
  const nlohmann::json* optional_array(std::string_view key) const;
  // The non-empty strings of `array` (a value of this object's field `key`); empty when `array` is null.
  // Throws naming "key[i]" for an item that is not a non-empty string.
  std::vector<std::string> strings(const nlohmann::json* array, std::string_view key) const;
  // Rejects keys not in `known`, so a misspelt field is an error instead of being silently ignored.
  void only_keys(std::initializer_list<std::string_view> known) const;

  [[noreturn]] void fail(std::string_view key, std::string_view problem) const;
  std::string where(std::string_view key) const;
  const std::filesystem::path& file() const { return file_; }

 private:
  const std::filesystem::path& file_;
  const nlohmann::json& object_;
  std::string where_;
};

}  // namespace crampbot
