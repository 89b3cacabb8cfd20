#include "channels/dialogflow_cx_channel.h"

#include "channels/json_body.h"
#include "channels/platform_turn.h"

namespace crampbot {

namespace {

// The string at object[key][inner] when both levels are present; nullptr otherwise.
const std::string* nested_string(const nlohmann::json& object, const char* key, const char* inner) {
  const auto outer = object.find(key);
  if (outer == object.end() || !outer->is_object()) return nullptr;
  const auto value = outer->find(inner);
  if (value == outer->end() || !value->is_string()) return nullptr;
  return &value->get_ref<const std::string&>();
}

}  // namespace

ChannelOutcome DialogflowCxChannel::handle(const EngineSet& engines, std::string_view body) const {
  const ParsedBody request = parse_json_body(body);
  if (!request.ok()) return error_outcome(400, "bad_json", request.error);
  const nlohmann::json& json = request.json;
  if (!json.is_object()) return error_outcome(400, "bad_request", "the body must be a JSON object");

  // The agent language of this request ("es", "en-GB") picks the engine.
  std::string locale;
  if (const auto language = json.find("languageCode"); language != json.end() && language->is_string())
    locale = locale_tag(language->get_ref<const std::string&>());
  const Engine& engine = engines.for_locale(locale);

  PlatformTurn turn;
  for (const char* key : {"text", "transcript"}) {
    const auto it = json.find(key);
    if (it == json.end()) continue;
    if (!it->is_string())
      return error_outcome(400, "bad_field", "\"" + std::string(key) + "\" must be a string");
    if (turn.text.empty()) turn.text = it->get<std::string>();
  }
  const std::string* tag = nested_string(json, "fulfillmentInfo", "tag");
  const std::string* display_name = nested_string(json, "intentInfo", "displayName");
  if (tag && engine.intents().find(*tag)) {
    turn.intent = *tag;
  } else if (display_name) {
    turn.intent = *display_name;
  }
  if (const auto info = json.find("intentInfo"); info != json.end() && info->is_object()) {
    if (const auto parameters = info->find("parameters");
        parameters != info->end() && parameters->is_object()) {
      for (const auto& [name, parameter] : parameters->items()) {
        if (!parameter.is_object()) continue;
        for (const char* field : {"resolvedValue", "originalValue"}) {
          const auto value = parameter.find(field);
          if (value != parameter.end() && value->is_string() &&
              !value->get_ref<const std::string&>().empty()) {
            turn.slots[name] = value->get<std::string>();
            break;
          }
        }
      }
    }
  }

  DialogueContext context;
  const std::string* session_name = nested_string(json, "sessionInfo", "session");
  if (const auto session = json.find("sessionInfo"); session != json.end()) {
    if (!session->is_object()) return error_outcome(400, "bad_field", "\"sessionInfo\" must be an object");
    if (const auto parameters = session->find("parameters"); parameters != session->end()) {
      context = context_from_parameters(engine, *parameters);
    }
  }

  const Reply reply = answer_platform_turn(engine, turn, context);
  const std::string text = shown_text(reply);
  nlohmann::json messages = nlohmann::json::array();
  messages.push_back({{"text", {{"text", {text}}}}});
  if (!reply.suggestions.empty()) {
    nlohmann::json options = nlohmann::json::array();
    for (const auto& suggestion : reply.suggestions)
      options.push_back({{"text", suggestion}});
    messages.push_back(
        {{"payload", {{"richContent", {{{{"type", "chips"}, {"options", std::move(options)}}}}}}}});
  }
  // null deletes the parameter: a finished conversation starts afresh.
  const nlohmann::json stored =
      reply.end ? nlohmann::json(nullptr) : nlohmann::json(dump_json(to_json(reply.context)));
  nlohmann::json out = {
      {"fulfillmentResponse", {{"messages", std::move(messages)}, {"mergeBehavior", "REPLACE"}}},
      {"sessionInfo", {{"parameters", {{kStoredContextParameter, stored}}}}},
  };
  ChannelOutcome outcome = answered(reply, out);
  outcome.turn.text = turn.text;
  if (session_name) outcome.turn.conversation = *session_name;
  outcome.turn.locale = std::move(locale);
  return outcome;
}

}  // namespace crampbot
