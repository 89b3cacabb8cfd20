#include "engine/dialogue_context.h"

#include <limits>

namespace crampbot {

nlohmann::json to_json(const DialogueContext& context) {
  nlohmann::json out = nlohmann::json::object();
  out["turn"] = context.turn;
  out["intent"] = context.intent;
  out["slots"] = context.slots;
  out["variant"] = context.variant;
  out["more"] = context.more;
  out["memory"] = context.memory;
  return out;
}

namespace {

constexpr int kMaxTurn = 1'000'000;

bool is_canonical(const IntentCatalog& catalog, const std::string& slot, const std::string& value) {
  // A slot value is valid when some intent declares the slot and its list holds the value.
  for (const auto& intent : catalog.intents) {
    auto it = intent.slots.find(slot);
    if (it == intent.slots.end()) continue;
    for (const auto& v : catalog.lexicon.lists.at(it->second)) {
      if (v.canonical == value) return true;
    }
  }
  return false;
}

bool read_slots(const nlohmann::json& json, const IntentCatalog& catalog, SlotMap& out) {
  if (!json.is_object() || json.size() > 8) return false;
  for (const auto& [slot, value] : json.items()) {
    if (!value.is_string() || !is_canonical(catalog, slot, value.get_ref<const std::string&>())) return false;
    out[slot] = value.get<std::string>();
  }
  return true;
}

bool read_int(const nlohmann::json& json, const char* key, int max, int& out) {
  auto it = json.find(key);
  if (it == json.end()) return true;
  if (!it->is_number_integer()) return false;
  const auto value = it->get<long long>();
  if (value < 0 || value > max) return false;
  out = static_cast<int>(value);
  return true;
}

}  // namespace

DialogueContext context_from_json(const nlohmann::json& json, const IntentCatalog& catalog, bool* valid) {
  DialogueContext context;
  const auto reject = [&] {
    if (valid) *valid = false;
    return DialogueContext{};
  };
  if (valid) *valid = true;
  if (json.is_null()) return context;
  if (!json.is_object()) return reject();
  if (!read_int(json, "turn", kMaxTurn, context.turn)) return reject();
  if (!read_int(json, "variant", 1000, context.variant)) return reject();
  if (auto it = json.find("intent"); it != json.end()) {
    if (!it->is_string()) return reject();
    context.intent = it->get<std::string>();
    if (!context.intent.empty() && !catalog.find(context.intent)) return reject();
  }
  if (auto it = json.find("more"); it != json.end()) {
    if (!it->is_boolean()) return reject();
    context.more = it->get<bool>();
  }
  if (auto it = json.find("slots"); it != json.end() && !read_slots(*it, catalog, context.slots))
    return reject();
  if (auto it = json.find("memory"); it != json.end() && !read_slots(*it, catalog, context.memory))
    return reject();
  return context;
}

}  // namespace crampbot
