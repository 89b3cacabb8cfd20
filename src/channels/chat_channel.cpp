#include "channels/chat_channel.h"

#include "channels/json_body.h"
#include "channels/reply_json.h"

namespace crampbot {

ChatChannel::ChatChannel(const ChatSettings& settings)
    : sealer_(settings.session_secret, settings.session_max_age) {}

ChannelOutcome ChatChannel::handle(const Engine& engine, std::string_view body,
                                   std::chrono::system_clock::time_point now) const {
  const ParsedBody request = parse_json_body(body);
  if (!request.ok()) return error_outcome(400, "bad_json", request.error);
  if (!request.json.is_object()) return error_outcome(400, "bad_request", "the body must be a JSON object");
  const auto text = request.json.find("text");
  if (text == request.json.end()) return error_outcome(400, "missing_field", "\"text\" is missing");
  if (!text->is_string()) return error_outcome(400, "bad_field", "\"text\" must be a string");

  std::string locale;
  if (const auto sent = request.json.find("locale"); sent != request.json.end() && !sent->is_null()) {
    if (!sent->is_string()) return error_outcome(400, "bad_field", "\"locale\" must be a string");
    locale = locale_tag(sent->get_ref<const std::string&>());
  }

  DialogueContext context;
  std::string conversation;
  if (const auto session = request.json.find("session");
      session != request.json.end() && !session->is_null()) {
    if (!session->is_string()) return error_outcome(400, "bad_field", "\"session\" must be a string");
    // A token that does not open (forged, stale, from another deployment) starts a fresh conversation.
    if (const auto sealed = sealer_.open_session(session->get_ref<const std::string&>(), now)) {
      context = engine.context_from_json(sealed->context);
      conversation = std::move(sealed->conversation);
    }
  }
  // A request without a usable token starts a conversation; a token from before conversation ids gets one.
  if (conversation.empty()) conversation = random_conversation_id();

  const auto answer = engine.respond(text->get_ref<const std::string&>(), context);
  if (const auto* error = std::get_if<InputError>(&answer)) {
    return error_outcome(400, "bad_text", "\"text\": " + std::string(describe(*error)));
  }
  const Reply& reply = std::get<Reply>(answer);
  // The context is written once and used twice: in the reply and sealed in the session token.
  const std::string written_context = context_json(reply.context);
  const std::string session = sealer_.seal(written_context, now, conversation);
  std::string out;
  out.reserve(written_context.size() + session.size() + reply.text.size() + reply.ssml.size() + 512);
  JsonWriter writer(out);
  write_reply(writer, reply, written_context, session);
  ChannelOutcome outcome = answered_with_text(reply, std::move(out));
  outcome.turn.text = text->get<std::string>();
  outcome.turn.conversation = std::move(conversation);
  outcome.turn.locale = std::move(locale);
  return outcome;
}

}  // namespace crampbot
