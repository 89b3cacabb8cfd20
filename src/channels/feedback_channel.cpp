#include "channels/feedback_channel.h"

#include "channels/json_body.h"

namespace crampbot {

FeedbackChannel::FeedbackChannel(const ChatSettings& settings, std::size_t max_votes)
    : sealer_(settings.session_secret, settings.session_max_age), votes_(max_votes) {}

FeedbackOutcome FeedbackChannel::handle(const EngineSet& engines, std::string_view body,
                                        std::chrono::system_clock::time_point now) {
  FeedbackOutcome out;
  const auto refuse = [&](int status, std::string_view code, std::string_view message) {
    out.outcome = error_outcome(status, code, message);
    return out;
  };
  const ParsedBody request = parse_json_body(body);
  if (!request.ok()) return refuse(400, "bad_json", request.error);
  if (!request.json.is_object()) return refuse(400, "bad_request", "the body must be a JSON object");
  const auto session = request.json.find("session");
  if (session == request.json.end()) return refuse(400, "missing_field", "\"session\" is missing");
  if (!session->is_string()) return refuse(400, "bad_field", "\"session\" must be a string");
  const auto helpful = request.json.find("helpful");
  if (helpful == request.json.end()) return refuse(400, "missing_field", "\"helpful\" is missing");
  if (!helpful->is_boolean()) return refuse(400, "bad_field", "\"helpful\" must be true or false");

  const std::string& token = session->get_ref<const std::string&>();
  const auto opened = sealer_.open_session(token, now);
  if (!opened) {
    return refuse(400, "bad_session", "\"session\" is not a session token of this server, or it has expired");
  }
  // The answer was given by the conversation's locale, whose catalog names its intents and slots.
  const Engine& engine = engines.for_locale(opened->locale);
  bool valid = false;
  const DialogueContext context = engine.context_from_json(opened->context, &valid);
  const IntentDefinition* intent =
      valid && !context.intent.empty() ? engine.intents().find(context.intent) : nullptr;
  if (!intent) return refuse(400, "no_answer", "the session token names no answer to rate");
  if (intent->urgent) return refuse(400, "urgent_reply", "urgent answers take no feedback");

  // A token from before conversation ids: the token itself names the turn.
  const std::string key = opened->conversation.empty()
                              ? "token:" + token
                              : opened->conversation + "/" + std::to_string(context.turn);
  if (!votes_.first_vote(key, opened->issued + sealer_.max_age(), now)) {
    return refuse(409, "already_voted", "this answer has been rated already");
  }
  out.outcome.body = R"({"status":"counted"})";
  out.counted = true;
  out.intent = public_name(*intent);
  out.helpful = helpful->get<bool>();
  return out;
}

}  // namespace crampbot
