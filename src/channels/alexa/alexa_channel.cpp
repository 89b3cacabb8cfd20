#include "channels/alexa/alexa_channel.h"

#include <exception>
#include <optional>
#include <stdexcept>
#include <variant>

#include "channels/alexa/alexa_envelope.h"
#include "channels/alexa/alexa_names.h"
#include "channels/alexa/alexa_response.h"
#include "channels/json_body.h"

namespace crampbot::alexa {

namespace {

using nlohmann::json;

// The member `key` of `node` when `node` is an object that has it, else nullptr.
const json* member(const json* node, const char* key) {
  if (!node || !node->is_object()) return nullptr;
  const auto it = node->find(key);
  return it == node->end() ? nullptr : &*it;
}

const std::string* string_member(const json* node, const char* key) {
  const json* value = member(node, key);
  return value && value->is_string() ? value->get_ptr<const std::string*>() : nullptr;
}

// The context of the conversation so far: sessionAttributes.crampbot of an ongoing session, read against the
// catalog. A new session, an out-of-session request, or an attribute that is not a valid context (forged,
// stale after a catalog change) starts fresh.
DialogueContext read_context(const Engine& engine, const json& envelope) {
  const json* session = member(&envelope, "session");
  const json* is_new = member(session, "new");
  if (!session || (is_new && is_new->is_boolean() && is_new->get<bool>())) return {};
  const json* stored = member(member(session, "attributes"), kContextAttribute);
  if (!stored) return {};
  bool valid = false;
  DialogueContext context = engine.context_from_json(*stored, &valid);
  return valid ? context : DialogueContext{};
}

bool is_canonical_value(const Engine& engine, const std::string& list, const std::string& value) {
  const auto& lists = engine.intents().lexicon.lists;
  const auto it = lists.find(list);
  if (it == lists.end()) return false;
  for (const auto& candidate : it->second) {
    if (candidate.canonical == value) return true;
  }
  return false;
}

// One Alexa slot as our canonical value: the id of the first successful entity resolution when it is one of
// our values (the interaction model gives our canonical values as ids), else the spoken value through our
// own synonyms. nullopt when neither names a value of `list`.
std::optional<std::string> resolve_slot(const Engine& engine, const std::string& list, const json& slot) {
  const json* authorities = member(member(&slot, "resolutions"), "resolutionsPerAuthority");
  if (authorities && authorities->is_array()) {
    for (const json& authority : *authorities) {
      const std::string* status = string_member(member(&authority, "status"), "code");
      const json* values = member(&authority, "values");
      if (!status || *status != "ER_SUCCESS_MATCH" || !values || !values->is_array() || values->empty())
        continue;
      const std::string* id = string_member(member(&values->front(), "value"), "id");
      if (id && is_canonical_value(engine, list, *id)) return *id;
    }
  }
  const std::string* spoken = string_member(&slot, "value");
  if (!spoken || spoken->empty()) return std::nullopt;
  return engine.slot_value(list, *spoken);
}

// The slots our `intent` takes, read from the Alexa intent's slots.
SlotMap read_slots(const Engine& engine, const std::string& intent, const json& alexa_intent) {
  SlotMap slots;
  const IntentDefinition* definition = engine.intents().find(intent);
  const json* alexa_slots = member(&alexa_intent, "slots");
  if (!definition || !alexa_slots) return slots;
  for (const auto& [slot, list] : definition->slots) {
    const json* alexa_slot = member(alexa_slots, slot.c_str());
    if (!alexa_slot) continue;
    if (auto value = resolve_slot(engine, list, *alexa_slot)) slots[slot] = std::move(*value);
  }
  return slots;
}

// The raw text of the catch-all intent's query slot, or nullptr.
const std::string* catch_all_text(const json& alexa_intent) {
  return string_member(member(member(&alexa_intent, "slots"), kCatchAllSlot), "value");
}

// The catch-all intent: our own matcher on the raw text; no usable text is a fallback turn, not an error.
Reply answer_raw_text(const Engine& engine, const json& alexa_intent, const DialogueContext& context) {
  const std::string* text = catch_all_text(alexa_intent);
  if (text && !text->empty()) {
    auto answer = engine.respond(*text, context);
    if (Reply* reply = std::get_if<Reply>(&answer)) return std::move(*reply);
  }
  return engine.respond_to_intent(kFallbackIntent, {}, context);
}

// The reply rendered, with the session and locale the envelope names and `text` (the user's words, when
// Alexa sent them) for the records.
ChannelOutcome answered_to(const Reply& reply, const json& envelope, const std::string* text = nullptr) {
  ChannelOutcome outcome = crampbot::answered_with_text(reply, render_reply(reply));
  if (text) outcome.turn.text = *text;
  if (const std::string* session = string_member(member(&envelope, "session"), "sessionId"))
    outcome.turn.conversation = *session;
  if (const std::string* locale = string_member(member(&envelope, "request"), "locale"))
    outcome.turn.locale = locale_tag(*locale);
  return outcome;
}

ChannelOutcome nothing_to_say() {
  ChannelOutcome outcome;
  outcome.body = empty_response();
  return outcome;
}

ChannelOutcome refused_verification(const VerificationVerdict& verdict) {
  ChannelOutcome outcome;
  outcome.status = 400;
  const std::string check(check_name(verdict.failed));
  outcome.body = dump_json(
      {{"error", "verification_failed"}, {"check", check}, {"message", check + ": " + verdict.reason}});
  return outcome;
}

// Everything after verification: the envelope is trusted (or verification is off).
ChannelOutcome answer(const Engine& engine, const json& envelope) {
  const json* request = member(&envelope, "request");
  if (!request || !request->is_object()) return error_outcome(400, "missing_field", "request is missing");
  const std::string* type = string_member(request, "type");
  if (!type) return error_outcome(400, "missing_field", "request.type is missing or not a string");

  if (*type == "LaunchRequest")
    return answered_to(engine.respond_to_intent("welcome", {}, read_context(engine, envelope)), envelope);
  if (*type != "IntentRequest")
    return nothing_to_say();  // SessionEndedRequest, and the types we do not handle

  const json* alexa_intent = member(request, "intent");
  const std::string* name = string_member(alexa_intent, "name");
  if (!name) return error_outcome(400, "missing_field", "request.intent.name is missing or not a string");
  const DialogueContext context = read_context(engine, envelope);
  if (*name == kCatchAllIntent) {
    return answered_to(answer_raw_text(engine, *alexa_intent, context), envelope,
                       catch_all_text(*alexa_intent));
  }
  const std::string intent = intent_from_alexa_name(*name).value_or(kFallbackIntent);
  return answered_to(engine.respond_to_intent(intent, read_slots(engine, intent, *alexa_intent), context),
                     envelope);
}

}  // namespace

AlexaChannel::AlexaChannel(AlexaSettings settings, CertificateFetcher fetcher,
                           std::shared_ptr<const TrustStore> trust)
    : settings_(std::move(settings)) {
  if (!settings_.verify) return;
  if (!trust) throw std::invalid_argument("Alexa channel: verification is on but there is no trust store");
  auto cache = std::make_shared<CertificateCache>(std::move(fetcher), std::move(trust),
                                                  settings_.certificate_cache_ttl);
  verifier_ = std::make_unique<AlexaRequestVerifier>(
      AlexaRequestVerifier::Options{settings_.skill_ids, settings_.timestamp_tolerance}, std::move(cache));
}

boost::asio::awaitable<ChannelOutcome> AlexaChannel::handle(const EngineSet& engines,
                                                            const AlexaHttpRequest& request) const {
  try {
    ParsedBody parsed = parse_alexa_envelope(request.body);
    if (!parsed.ok()) co_return error_outcome(400, "bad_json", parsed.error);
    if (!parsed.json.is_object()) co_return error_outcome(400, "bad_json", "the body is not a JSON object");
    if (verifier_) {
      const SignedRequest signed_request{request.body, &parsed.json, request.signature_256,
                                         request.cert_chain_url, request.client};
      const VerificationVerdict verdict = co_await verifier_->verify(signed_request, request.now);
      if (!verdict.ok()) co_return refused_verification(verdict);
    } else if (const VerificationVerdict verdict = check_skill_id(parsed.json, settings_.skill_ids);
               !verdict.ok()) {
      // Local testing without signatures still answers only our own skills.
      co_return refused_verification(verdict);
    }
    // Every Alexa request names the user's locale (request.locale: "en-GB", "es-US"); it picks the engine.
    const std::string* locale = string_member(member(&parsed.json, "request"), "locale");
    co_return answer(engines.for_locale(locale ? locale_tag(*locale) : std::string()), parsed.json);
  } catch (const std::exception& e) {
    co_return error_outcome(500, "internal_error",
                            std::string("the Alexa request could not be answered: ") + e.what());
  }
}

}  // namespace crampbot::alexa
