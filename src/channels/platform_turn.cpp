#include "channels/platform_turn.h"

#include "channels/json_body.h"

namespace crampbot {

namespace {

// Dialogflow's stock intents that carry no meaning of their own for us.
bool means_welcome(std::string_view intent) {
  return intent == "Default Welcome Intent";
}

}  // namespace

Reply answer_platform_turn(const Engine& engine, const PlatformTurn& turn, const DialogueContext& context) {
  const std::string intent = means_welcome(turn.intent) ? std::string("welcome") : turn.intent;
  const IntentDefinition* definition = engine.intents().find(intent);
  if (definition && definition->name != kFallbackIntent) {
    SlotMap slots;
    for (const auto& [slot, raw] : turn.slots) {
      const auto list = definition->slots.find(slot);
      if (list == definition->slots.end() || raw.empty()) continue;
      if (auto value = engine.slot_value(list->second, raw)) slots[slot] = *value;
    }
    return engine.respond_to_intent(intent, slots, context);
  }
  if (!turn.text.empty()) {
    auto answer = engine.respond(turn.text, context);
    if (auto* reply = std::get_if<Reply>(&answer)) return std::move(*reply);
  }
  return engine.respond_to_intent(kFallbackIntent, {}, context);
}

DialogueContext context_from_text(const Engine& engine, std::string_view text) {
  if (text.empty()) return {};
  const ParsedBody parsed = parse_json_body(text);
  if (!parsed.ok()) return {};
  return engine.context_from_json(parsed.json);
}

DialogueContext context_from_parameters(const Engine& engine, const nlohmann::json& parameters) {
  if (!parameters.is_object()) return {};
  const auto stored = parameters.find(kStoredContextParameter);
  if (stored == parameters.end() || !stored->is_string()) return {};
  return context_from_text(engine, stored->get_ref<const std::string&>());
}

}  // namespace crampbot
