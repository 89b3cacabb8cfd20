#include "channels/chat_channel.h"

#include <algorithm>

#include "channels/json_body.h"
#include "channels/reply_json.h"
#include "engine/locale_tag.h"

namespace crampbot {

std::string preferred_locale(std::string_view accept_language, const EngineSet& engines) {
  struct Choice {
    std::string tag;
    double q;
  };
  std::vector<Choice> choices;
  std::size_t start = 0;
  while (start < accept_language.size() && choices.size() < 16) {
    std::size_t end = accept_language.find(',', start);
    if (end == std::string_view::npos) end = accept_language.size();
    std::string_view item = accept_language.substr(start, end - start);
    start = end + 1;
    double q = 1.0;
    if (const std::size_t semicolon = item.find(';'); semicolon != std::string_view::npos) {
      std::string_view parameter = item.substr(semicolon + 1);
      item = item.substr(0, semicolon);
      while (!parameter.empty() && parameter.front() == ' ')
        parameter.remove_prefix(1);
      if (parameter.starts_with("q=")) {
        // q is 0, 1 or up to three decimals (RFC 9110 §12.4.2); anything else is ignored as q=1.
        const std::string value(parameter.substr(2, 5));
        char* rest = nullptr;
        const double parsed = std::strtod(value.c_str(), &rest);
        if (rest != value.c_str() && parsed >= 0 && parsed <= 1) q = parsed;
      }
    }
    while (!item.empty() && item.front() == ' ')
      item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ')
      item.remove_suffix(1);
    const auto tag = parse_locale(item);
    if (tag && q > 0 && engines.find(tag->language)) choices.push_back({tag->str(), q});
  }
  std::stable_sort(choices.begin(), choices.end(),
                   [](const Choice& a, const Choice& b) { return a.q > b.q; });
  return choices.empty() ? std::string() : choices.front().tag;
}

ChatChannel::ChatChannel(const ChatSettings& settings)
    : sealer_(settings.session_secret, settings.session_max_age) {}

ChannelOutcome ChatChannel::handle(const EngineSet& engines, std::string_view body,
                                   std::chrono::system_clock::time_point now,
                                   std::string_view accept_language) const {
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

  std::optional<OpenedSession> sealed;
  if (const auto session = request.json.find("session");
      session != request.json.end() && !session->is_null()) {
    if (!session->is_string()) return error_outcome(400, "bad_field", "\"session\" must be a string");
    // A token that does not open (forged, stale, from another deployment) starts a fresh conversation.
    sealed = sealer_.open_session(session->get_ref<const std::string&>(), now);
  }
  // The locale: the request's, else the conversation's so far, else the browser's, else the default.
  if (locale.empty() && sealed) locale = locale_tag(sealed->locale);
  if (locale.empty()) locale = preferred_locale(accept_language, engines);
  const Engine& engine = engines.for_locale(locale);
  DialogueContext context;
  std::string conversation;
  if (sealed) {
    context = engine.context_from_json(sealed->context);
    conversation = std::move(sealed->conversation);
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
  const std::string session = sealer_.seal(written_context, now, conversation, locale);
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
