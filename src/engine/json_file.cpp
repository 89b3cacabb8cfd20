#include "engine/json_file.h"

#include <fstream>
#include <sstream>

#include "engine/catalog_error.h"

namespace crampbot {

nlohmann::json load_json_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw CatalogError(file.string() + ": cannot open file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  try {
    return nlohmann::json::parse(buffer.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw CatalogError(file.string() + ": invalid JSON: " + e.what());
  }
}

JsonFields::JsonFields(const std::filesystem::path& file, const nlohmann::json& object, std::string where)
    : file_(file), object_(object), where_(std::move(where)) {
  if (!object_.is_object()) {
    throw CatalogError(file_.string() + ": " + (where_.empty() ? "top level" : where_) +
                       ": expected a JSON object");
  }
}

std::string JsonFields::where(std::string_view key) const {
  return where_.empty() ? std::string(key) : where_ + "." + std::string(key);
}

void JsonFields::fail(std::string_view key, std::string_view problem) const {
  throw CatalogError(file_.string() + ": " + where(key) + ": " + std::string(problem));
}

std::string JsonFields::required_string(std::string_view key) const {
  auto it = object_.find(key);
  if (it == object_.end()) fail(key, "missing (a string is required)");
  if (!it->is_string()) fail(key, "must be a string");
  return it->get<std::string>();
}

std::string JsonFields::optional_string(std::string_view key, std::string fallback) const {
  auto it = object_.find(key);
  if (it == object_.end()) return fallback;
  if (!it->is_string()) fail(key, "must be a string");
  return it->get<std::string>();
}

bool JsonFields::optional_bool(std::string_view key, bool fallback) const {
  auto it = object_.find(key);
  if (it == object_.end()) return fallback;
  if (!it->is_boolean()) fail(key, "must be true or false");
  return it->get<bool>();
}

double JsonFields::optional_number(std::string_view key, double fallback) const {
  auto it = object_.find(key);
  if (it == object_.end()) return fallback;
  if (!it->is_number()) fail(key, "must be a number");
  return it->get<double>();
}

const nlohmann::json& JsonFields::required_object(std::string_view key) const {
  auto it = object_.find(key);
  if (it == object_.end()) fail(key, "missing (an object is required)");
  if (!it->is_object()) fail(key, "must be an object");
  return *it;
}

const nlohmann::json* JsonFields::optional_object(std::string_view key) const {
  auto it = object_.find(key);
  if (it == object_.end()) return nullptr;
  if (!it->is_object()) fail(key, "must be an object");
  return &*it;
}

const nlohmann::json* JsonFields::optional_array(std::string_view key) const {
  auto it = object_.find(key);
  if (it == object_.end()) return nullptr;
  if (!it->is_array()) fail(key, "must be an array");
  return &*it;
}

std::vector<std::string> JsonFields::strings(const nlohmann::json* array, std::string_view key) const {
  std::vector<std::string> out;
  if (!array) return out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto& item = (*array)[i];
    if (!item.is_string() || item.get<std::string>().empty()) {
      fail(std::string(key) + "[" + std::to_string(i) + "]", "must be a non-empty string");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

void JsonFields::only_keys(std::initializer_list<std::string_view> known) const {
  for (const auto& item : object_.items()) {
    bool ok = false;
    for (auto k : known)
      ok = ok || item.key() == k;
    if (!ok) fail(item.key(), "unknown field");
  }
}

}  // namespace crampbot
