#include "channels/rasa_channel.h"

#include "channels/json_body.h"

namespace crampbot {

namespace {

constexpr std::size_t kMaxSenderBytes = 256;

// Rasa's REST channel passes what the widget sends in "metadata"; a locale there is recorded.
std::string metadata_locale(const nlohmann::json& request) {
  const auto metadata = request.find("metadata");
  if (metadata == request.end() || !metadata->is_object()) return {};
  const auto locale = metadata->find("locale");
  if (locale == metadata->end() || !locale->is_string()) return {};
  return locale_tag(locale->get_ref<const std::string&>());
}

}  // namespace

RasaChannel::RasaChannel(const RasaSettings& settings)
    : contexts_(settings.max_senders, settings.sender_ttl) {}

ChannelOutcome RasaChannel::handle(const EngineSet& engines, std::string_view body,
                                   std::chrono::steady_clock::time_point now) {
  const ParsedBody request = parse_json_body(body);
  if (!request.ok()) return error_outcome(400, "bad_json", request.error);
  if (!request.json.is_object()) return error_outcome(400, "bad_request", "the body must be a JSON object");
  const auto sender = request.json.find("sender");
  const auto message = request.json.find("message");
  if (sender == request.json.end()) return error_outcome(400, "missing_field", "\"sender\" is missing");
  if (!sender->is_string() || sender->get_ref<const std::string&>().empty() ||
      sender->get_ref<const std::string&>().size() > kMaxSenderBytes) {
    return error_outcome(400, "bad_field", "\"sender\" must be a non-empty string of at most 256 bytes");
  }
  if (message == request.json.end()) return error_outcome(400, "missing_field", "\"message\" is missing");
  if (!message->is_string()) return error_outcome(400, "bad_field", "\"message\" must be a string");

  const std::string& sender_id = sender->get_ref<const std::string&>();
  // The sender's conversation is kept as {"context", "locale"}: a later message without a locale goes on in
  // the conversation's.
  std::string locale = metadata_locale(request.json);
  const auto stored = contexts_.find(sender_id, now);
  if (locale.empty() && stored && stored->contains("locale") && (*stored)["locale"].is_string())
    locale = locale_tag((*stored)["locale"].get_ref<const std::string&>());
  const Engine& engine = engines.for_locale(locale);
  DialogueContext context;
  if (stored && stored->contains("context")) context = engine.context_from_json((*stored)["context"]);

  const auto answer = engine.respond(message->get_ref<const std::string&>(), context);
  if (const auto* error = std::get_if<InputError>(&answer)) {
    return error_outcome(400, "bad_message", "\"message\": " + std::string(describe(*error)));
  }
  const Reply& reply = std::get<Reply>(answer);
  contexts_.store(sender_id, {{"context", to_json(reply.context)}, {"locale", locale}}, now);

  nlohmann::json buttons = nlohmann::json::array();
  for (const auto& suggestion : reply.suggestions) {
    buttons.push_back({{"title", suggestion}, {"payload", suggestion}});
  }
  nlohmann::json message_out = {{"recipient_id", sender_id}, {"text", shown_text(reply)}};
  // Rasa leaves empty fields out.
  if (!buttons.empty()) message_out["buttons"] = std::move(buttons);
  ChannelOutcome outcome = answered(reply, nlohmann::json::array({std::move(message_out)}));
  outcome.turn.text = message->get<std::string>();
  outcome.turn.conversation = sender_id;
  outcome.turn.locale = std::move(locale);
  return outcome;
}

}  // namespace crampbot
