#include "channels/dialogflow_es_channel.h"

#include "channels/json_body.h"
#include "channels/platform_turn.h"

namespace crampbot {

namespace {

constexpr std::string_view kContextSuffix = "/contexts/crampbot";
constexpr int kContextLifespan = 50;  // turns; refreshed on every reply

const nlohmann::json* find_member(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

}  // namespace

ChannelOutcome DialogflowEsChannel::handle(const EngineSet& engines, std::string_view body) const {
  const ParsedBody request = parse_json_body(body);
  if (!request.ok()) return error_outcome(400, "bad_json", request.error);
  if (!request.json.is_object()) return error_outcome(400, "bad_request", "the body must be a JSON object");
  const auto* session = find_member(request.json, "session");
  if (!session) return error_outcome(400, "missing_field", "\"session\" is missing");
  if (!session->is_string() || session->get_ref<const std::string&>().empty()) {
    return error_outcome(400, "bad_field", "\"session\" must be a non-empty string");
  }
  const auto* query = find_member(request.json, "queryResult");
  if (!query) return error_outcome(400, "missing_field", "\"queryResult\" is missing");
  if (!query->is_object()) return error_outcome(400, "bad_field", "\"queryResult\" must be an object");

  // Dialogflow names the agent language of every request ("es", "en-gb"): it picks the engine.
  std::string locale;
  if (const auto* language = find_member(*query, "languageCode"); language && language->is_string())
    locale = locale_tag(language->get_ref<const std::string&>());
  const Engine& engine = engines.for_locale(locale);

  PlatformTurn turn;
  if (const auto* text = find_member(*query, "queryText")) {
    if (!text->is_string())
      return error_outcome(400, "bad_field", "\"queryResult.queryText\" must be a string");
    turn.text = text->get<std::string>();
  }
  if (const auto* intent = find_member(*query, "intent"); intent && intent->is_object()) {
    if (const auto* name = find_member(*intent, "displayName"); name && name->is_string()) {
      turn.intent = name->get<std::string>();
    }
  }
  if (const auto* parameters = find_member(*query, "parameters"); parameters && parameters->is_object()) {
    for (const auto& [name, value] : parameters->items()) {
      if (value.is_string()) turn.slots[name] = value.get<std::string>();
      // A list parameter: its first value.
      if (value.is_array() && !value.empty() && value.front().is_string()) turn.slots[name] = value.front();
    }
  }

  const std::string& session_name = session->get_ref<const std::string&>();
  DialogueContext context;
  if (const auto* contexts = find_member(*query, "outputContexts"); contexts && contexts->is_array()) {
    for (const auto& item : *contexts) {
      if (!item.is_object()) continue;
      const auto name = item.find("name");
      if (name == item.end() || !name->is_string() ||
          !name->get_ref<const std::string&>().ends_with(kContextSuffix)) {
        continue;
      }
      if (const auto parameters = item.find("parameters"); parameters != item.end()) {
        context = context_from_parameters(engine, *parameters);
      }
    }
  }

  const Reply reply = answer_platform_turn(engine, turn, context);
  const std::string text = shown_text(reply);
  nlohmann::json messages = nlohmann::json::array();
  messages.push_back({{"text", {{"text", {text}}}}});
  if (!reply.suggestions.empty()) {
    messages.push_back({{"quickReplies", {{"title", reply.reprompt}, {"quickReplies", reply.suggestions}}}});
  }
  nlohmann::json out = {
      {"fulfillmentText", text},
      {"fulfillmentMessages", std::move(messages)},
      {"outputContexts",
       {{{"name", session_name + std::string(kContextSuffix)},
         {"lifespanCount", reply.end ? 0 : kContextLifespan},
         {"parameters", {{kStoredContextParameter, dump_json(to_json(reply.context))}}}}}},
  };
  ChannelOutcome outcome = answered(reply, out);
  outcome.turn.text = turn.text;
  outcome.turn.conversation = session_name;
  outcome.turn.locale = std::move(locale);
  return outcome;
}

}  // namespace crampbot
