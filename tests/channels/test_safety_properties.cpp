// Safety invariants as properties, on the real catalog and through every channel's own request path (chat,
// Rasa, Dialogflow ES and CX, Alexa). For every intent, slot value and variant, for "tell me more" and "say
// that again" after each, for every catalog example and for seeded random conversations (hostile fragments
// included):
// - the reply carries a caveat of the catalog, at the end of what is shown and of what is spoken;
// - SSML is one well-formed <speak>, and what it says stays within our voice limit (kMaxVoiceChars);
// - each platform's limits hold (Alexa: 8,000 characters of speech and of card text, 24 KB of response, the
//   older and stricter of its documented limits; Dialogflow: 64 KiB);
// - no string anywhere in a response (SSML read as its words) gives a dose or names quinine or tonic water
//   outside a warning (safety_problem);
// - a request is refused (400 with a JSON error) exactly when its body is not JSON or, on chat and Rasa, the
//   engine refuses the utterance; never a 5xx.
// CRAMPBOT_PROPERTY_SEED and CRAMPBOT_PROPERTY_CONVERSATIONS change the random part (the seed is printed on a
// failure).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "authoring/reply_invariants.h"
#include "channels/alexa/alexa_channel.h"
#include "channels/alexa/alexa_names.h"
#include "channels/alexa/alexa_response.h"
#include "channels/alexa/text_shortening.h"
#include "channels/chat_channel.h"
#include "channels/dialogflow_cx_channel.h"
#include "channels/dialogflow_es_channel.h"
#include "channels/json_body.h"
#include "channels/json_writer.h"
#include "channels/rasa_channel.h"
#include "channels/reply_json.h"
#include "engine/catalog_check.h"
#include "engine/response_catalog.h"
#include "engine/ssml.h"
#include "support/run_sync.h"
#include "test_support.h"

using namespace crampbot;
using nlohmann::json;

// Two of our intents claim it about equally (hydration, and magnesium's role): a clarifying question.
// A question two intents claim about equally, in each language: answered with a clarifying question.
std::string tied_question(const std::string& language) {
  return language == "es" ? "alimentos y suplementos de magnesio" : "water or magnesium for cramps?";
}

namespace {

// Every language's screens on every text, so that a dose or an English word for quinine in a reply of
// another language is still caught.
std::string safety_problem(std::string_view text) {
  for (const auto& language : crampbot::test::real_engines().languages()) {
    const SafetyScreens* screens = crampbot::test::real_engines().find(language)->responses().screens();
    if (!screens) return "no safety screens for " + language;
    if (std::string problem = screens->problem(text); !problem.empty()) return problem;
  }
  return {};
}

// The emergency number each locale's urgent replies must name, as written and as spoken
// (../shared/docs/health-safety.md; the table), and the wording of a language without a region.
struct EmergencyNumber {
  std::string text;
  std::string voice;
};
const EmergencyNumber& emergency_number(const std::string& locale) {
  static const std::map<std::string, EmergencyNumber> numbers = {
      {"en", {"your local emergency number", "your local emergency number"}},
      {"en-US", {"911", "nine one one"}},
      {"en-CA", {"911", "nine one one"}},
      {"en-GB", {"999", "nine nine nine"}},
      {"en-AU", {"000", "triple zero"}},
      {"en-IN", {"112", "one one two"}},
      {"es", {"número de emergencias de su zona", "número de emergencias de su zona"}},
      {"es-US", {"911", "nueve uno uno"}},
      {"es-MX", {"911", "nueve uno uno"}},
      {"es-ES", {"112", "uno uno dos"}}};
  static const EmergencyNumber none{"(no number known for this locale)", "(none)"};
  auto it = numbers.find(locale);
  return it == numbers.end() ? none : it->second;
}

constexpr std::size_t kAlexaSpeechCharacters = 8000;
constexpr std::size_t kAlexaCardCharacters = 8000;
constexpr std::size_t kAlexaResponseBytes = 24 * 1024;
constexpr std::size_t kDialogflowResponseBytes = 64 * 1024;

// ---- Reading what a response says ----------------------------------------------------------------------

// Every caveat the catalog can put under a reply, as shown and as spoken.
using Caveats = authoring::CaveatSet;

// Collects what broke, with where, so that one failure report lists them all (capped).
class Findings {
 public:
  void add(const std::string& where, const std::string& what) {
    ++count_;
    if (notes_.size() < 30) notes_.push_back(where + ": " + what);
  }
  std::size_t count() const { return count_; }
  std::string notes() const {
    std::string out;
    for (const auto& note : notes_)
      out += note + "\n";
    return out;
  }

 private:
  std::size_t count_ = 0;
  std::vector<std::string> notes_;
};

// Checks SSML: one well-formed <speak> within Alexa's limit, its words within our voice limit and ending
// with a spoken caveat.
void check_ssml(const std::string& where, const std::string& ssml, const Caveats& caveats, Findings& findings,
                bool needs_caveat = true) {
  if (!is_well_formed_ssml(ssml)) return findings.add(where, "SSML is not well-formed: " + ssml);
  if (alexa::count_characters(ssml) > kAlexaSpeechCharacters)
    findings.add(where, "SSML over Alexa's 8,000 characters");
  const std::string words = spoken_words(ssml);
  if (alexa::count_characters(words) > kMaxVoiceChars)
    findings.add(where, "speaks " + std::to_string(alexa::count_characters(words)) + " characters: " + words);
  if (needs_caveat && !caveats.spoken_at_end(words))
    findings.add(where, "speech ends without a caveat: " + words);
}

// State handed back for the next turn, read by no one: the session token (opaque bytes) and the dialogue
// context (internal intent names such as "quinine", the helper that answers with a warning).
bool is_state(const std::string& key) {
  return key == "session" || key == "context" || key == "crampbot" || key == "crampbot_context";
}

// Every string of a response, keys included, screened by safety_problem; SSML is screened as its words.
void check_strings_safe(const std::string& where, const json& value, Findings& findings) {
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      if (is_state(key)) continue;
      if (const std::string problem = safety_problem(key); !problem.empty()) findings.add(where, problem);
      check_strings_safe(where, member, findings);
    }
  } else if (value.is_array()) {
    for (const auto& item : value)
      check_strings_safe(where, item, findings);
  } else if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    const std::string problem = safety_problem(text.rfind("<speak>", 0) == 0 ? spoken_words(text) : text);
    if (!problem.empty()) findings.add(where, problem);
  }
}

const std::string* string_at(const json& value, std::initializer_list<json::object_t::key_type> path) {
  const json* at = &value;
  for (const auto& key : path) {
    if (!at->is_object()) return nullptr;
    const auto it = at->find(key);
    if (it == at->end()) return nullptr;
    at = &*it;
  }
  return at->is_string() ? &at->get_ref<const std::string&>() : nullptr;
}

// ---- What each channel's response must hold --------------------------------------------------------------

void check_chat_reply(const std::string& where, const json& body, const Caveats& caveats,
                      Findings& findings) {
  const std::string* text = string_at(body, {"text"});
  const std::string* caveat = string_at(body, {"caveat"});
  const std::string* ssml = string_at(body, {"ssml"});
  if (!text || !caveat || !ssml) return findings.add(where, "text, caveat or ssml missing: " + body.dump());
  if (caveat->empty() || !caveats.shown().count(*caveat)) findings.add(where, "no caveat of the catalog");
  if (!text->ends_with("\n\n" + *caveat))
    findings.add(where, "the text does not end with its caveat: " + *text);
  check_ssml(where + " ssml", *ssml, caveats, findings);
  check_strings_safe(where, body, findings);
}

void check_alexa_response(const std::string& where, const std::string& text, const Caveats& caveats,
                          Findings& findings) {
  if (text.size() > kAlexaResponseBytes)
    findings.add(where, "response of " + std::to_string(text.size()) + " bytes");
  const ParsedBody parsed = parse_json_body(text);
  if (!parsed.ok()) return findings.add(where, "not JSON: " + parsed.error);
  const json& body = parsed.json;
  const std::string* ssml = string_at(body, {"response", "outputSpeech", "ssml"});
  const std::string* title = string_at(body, {"response", "card", "title"});
  const std::string* content = string_at(body, {"response", "card", "content"});
  if (!ssml || !title || !content) return findings.add(where, "speech or card missing: " + text);
  check_ssml(where + " outputSpeech", *ssml, caveats, findings);
  if (alexa::count_characters(*title) + alexa::count_characters(*content) > kAlexaCardCharacters)
    findings.add(where, "card over Alexa's 8,000 characters");
  if (!caveats.shown_at_end(*content)) findings.add(where, "the card ends without a caveat: " + *content);
  if (const std::string* reprompt = string_at(body, {"response", "reprompt", "outputSpeech", "ssml"}))
    check_ssml(where + " reprompt", *reprompt, caveats, findings, false);
  check_strings_safe(where, body, findings);
}

// An engine reply written as the chat and Alexa channels write it, each checked as that channel's response.
void check_reply(const std::string& where, const Reply& reply, const Caveats& caveats, Findings& findings) {
  std::string chat;
  JsonWriter writer(chat);
  write_reply(writer, reply, context_json(reply.context));
  const ParsedBody parsed = parse_json_body(chat);
  if (!parsed.ok()) return findings.add(where, "the chat reply is not JSON: " + parsed.error);
  check_chat_reply(where + " (chat)", parsed.json, caveats, findings);
  check_alexa_response(where + " (alexa)", alexa::render_reply(reply), caveats, findings);
}

// messages[0].text.text[0], where Dialogflow puts a text message; null when it is not there. It points into
// `messages`, which must outlive it.
const std::string* first_message_text(const json& messages) {
  if (!messages.is_array() || messages.empty() || !messages.front().is_object()) return nullptr;
  const auto text = messages.front().find("text");
  if (text == messages.front().end() || !text->is_object()) return nullptr;
  const auto lines = text->find("text");
  if (lines == text->end() || !lines->is_array() || lines->empty() || !lines->front().is_string())
    return nullptr;
  return &lines->front().get_ref<const std::string&>();
}

void check_shown_text(const std::string& where, const std::string* text, const Caveats& caveats,
                      Findings& findings) {
  if (!text) return findings.add(where, "no text");
  if (!caveats.shown_at_end(*text)) findings.add(where, "the text ends without a caveat: " + *text);
}

enum class Channel { chat, rasa, dialogflow_es, dialogflow_cx, alexa };

const char* name_of(Channel channel) {
  switch (channel) {
    case Channel::chat:
      return "chat";
    case Channel::rasa:
      return "rasa";
    case Channel::dialogflow_es:
      return "dialogflow-es";
    case Channel::dialogflow_cx:
      return "dialogflow-cx";
    case Channel::alexa:
      return "alexa";
  }
  return "?";
}

// Checks one request's outcome on a channel: a 400 with a JSON error when `refused`, otherwise a 200 that
// passes the platform's checks. Returns the parsed body of a 200 (null otherwise).
json check_outcome(const std::string& where, Channel channel, const ChannelOutcome& outcome, bool refused,
                   const Caveats& caveats, Findings& findings) {
  const ParsedBody parsed = parse_json_body(outcome.body);
  if (!parsed.ok()) {
    findings.add(where, "status " + std::to_string(outcome.status) + " with a body that is not JSON");
    return nullptr;
  }
  const json& body = parsed.json;
  if (refused) {
    if (outcome.status != 400 || !string_at(body, {"error"}) || !string_at(body, {"message"}))
      findings.add(where,
                   "expected 400 with an error, got " + std::to_string(outcome.status) + " " + outcome.body);
    return nullptr;
  }
  if (outcome.status != 200) {
    findings.add(where, "status " + std::to_string(outcome.status) + ": " + outcome.body);
    return nullptr;
  }
  switch (channel) {
    case Channel::chat:
      check_chat_reply(where, body, caveats, findings);
      break;
    case Channel::rasa:
      if (!body.is_array() || body.empty()) {
        findings.add(where, "not a list of messages: " + outcome.body);
        return nullptr;
      }
      check_shown_text(where, string_at(body[0], {"text"}), caveats, findings);
      check_strings_safe(where, body, findings);
      break;
    case Channel::dialogflow_es: {
      if (outcome.body.size() > kDialogflowResponseBytes) findings.add(where, "response over 64 KiB");
      const std::string* text = string_at(body, {"fulfillmentText"});
      check_shown_text(where, text, caveats, findings);
      const json messages = body.value("fulfillmentMessages", json::array());
      const std::string* first = first_message_text(messages);
      if (!text || !first || *first != *text)
        findings.add(where, "the first message is not the fulfillment text");
      check_strings_safe(where, body, findings);
      break;
    }
    case Channel::dialogflow_cx: {
      if (outcome.body.size() > kDialogflowResponseBytes) findings.add(where, "response over 64 KiB");
      const json messages =
          body.value("fulfillmentResponse", json::object()).value("messages", json::array());
      check_shown_text(where, first_message_text(messages), caveats, findings);
      check_strings_safe(where, body, findings);
      break;
    }
    case Channel::alexa:
      check_alexa_response(where, outcome.body, caveats, findings);
      break;
  }
  return body;
}

// ---- Request bodies, written by hand so that any bytes (invalid UTF-8 too) can be sent ---------------

// `text` as a JSON string: quotes, backslashes and control characters escaped, every other byte as it is.
std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", byte);
      out += escape;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

alexa::AlexaChannel unverified_alexa() {
  alexa::CertificateFetcher never = [](std::string url) -> boost::asio::awaitable<alexa::FetchResult> {
    co_return alexa::FetchResult{"", "no fetching in these tests: " + url};
  };
  alexa::AlexaSettings settings;
  settings.verify = false;
  return alexa::AlexaChannel(settings, never, nullptr);
}

// One conversation on every channel at once, each carrying its own context the way its platform does.
class Conversations {
 public:
  // Every platform sends `locale` (each its own way), and `engines` answers as that locale.
  Conversations(const EngineSet& engines, const std::string& locale, const Caveats& caveats,
                Findings& findings, std::string id)
      : engines_(engines),
        engine_(engines.for_locale(locale)),
        locale_(locale),
        caveats_(caveats),
        findings_(findings),
        id_(locale + " " + std::move(id)) {}

  // The same words on every channel (Alexa through its catch-all intent).
  void say(const std::string& text) {
    // nlohmann's own parser decides, not parse_json_body, which the channels use.
    const bool is_json = json::accept(json_string(text));
    const bool engine_refuses = std::holds_alternative<InputError>(engine_.respond(text, {}));
    const std::string where = id_ + " turn " + std::to_string(turn_) + " \"" + printable(text) + "\"";

    std::string chat = "{\"text\":" + json_string(text);
    if (!session_.empty()) chat += ",\"session\":" + json_string(session_);
    chat += ",\"locale\":" + json_string(locale_) + "}";
    json reply = check(where, Channel::chat, chat_.handle(engines_, chat, now()), !is_json || engine_refuses);
    if (reply.is_object()) session_ = reply.value("session", "");

    check(where, Channel::rasa,
          rasa_.handle(engines_,
                       "{\"sender\":" + json_string(id_) + ",\"message\":" + json_string(text) +
                           ",\"metadata\":{\"locale\":" + json_string(locale_) + "}}",
                       std::chrono::steady_clock::now()),
          !is_json || engine_refuses);

    ask_dialogflow(
        where,
        "\"queryText\":" + json_string(text) + ",\"intent\":{\"displayName\":\"Default Fallback Intent\"}",
        "\"text\":" + json_string(text), !is_json);

    ask_alexa(where,
              "{\"type\":\"IntentRequest\",\"intent\":{\"name\":\"AskIntent\",\"slots\":{\"query\":"
              "{\"name\":\"query\",\"value\":" +
                  json_string(text) + "}}}}",
              !is_json);
    ++turn_;
  }

  // An intent picked by the platform's own NLU, with `slots` canonical values, on the platforms that have
  // one (Dialogflow ES, CX and Alexa).
  void platform_intent(const std::string& intent, const SlotMap& slots) {
    const std::string where = id_ + " turn " + std::to_string(turn_) + " intent " + intent;
    json es_parameters = json::object();
    json cx_parameters = json::object();
    json alexa_slots = json::object();
    for (const auto& [slot, value] : slots) {
      es_parameters[slot] = value;
      cx_parameters[slot] = {{"originalValue", value}, {"resolvedValue", value}};
      alexa_slots[slot] = {{"name", slot},
                           {"value", value},
                           {"resolutions",
                            {{"resolutionsPerAuthority",
                              {{{"authority", "amzn1.er-authority.echo-sdk.test.NUTRIENT"},
                                {"status", {{"code", "ER_SUCCESS_MATCH"}}},
                                {"values", {{{"value", {{"name", value}, {"id", value}}}}}}}}}}}};
    }
    ask_dialogflow(where,
                   "\"queryText\":\"\",\"intent\":{\"displayName\":" + json_string(intent) +
                       "},\"parameters\":" + es_parameters.dump(),
                   "\"fulfillmentInfo\":{\"tag\":" + json_string(intent) +
                       "},\"intentInfo\":{\"displayName\":" + json_string(intent) +
                       ",\"parameters\":" + cx_parameters.dump() + "}",
                   false);
    const std::string alexa_request = intent == "welcome"
                                          ? std::string("{\"type\":\"LaunchRequest\"}")
                                          : "{\"type\":\"IntentRequest\",\"intent\":{\"name\":" +
                                                json_string(alexa::alexa_intent_name(intent)) +
                                                ",\"slots\":" + alexa_slots.dump() + "}}";
    ask_alexa(where, alexa_request, false);
    ++turn_;
  }

  // The intents each channel answered (as its records name them), for coverage.
  const std::map<Channel, std::set<std::string>>& answered() const { return answered_; }
  // Requests answered with 200, and refused with 400, over every channel.
  std::size_t answers() const { return answers_; }
  std::size_t refusals() const { return refusals_; }

 private:
  static std::string printable(const std::string& text) {
    std::string out;
    for (const char c : text.substr(0, 80))
      out += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
    return out;
  }
  static std::chrono::system_clock::time_point now() { return std::chrono::system_clock::now(); }

  json check(const std::string& where, Channel channel, const ChannelOutcome& outcome, bool refused) {
    json body =
        check_outcome(where + " on " + name_of(channel), channel, outcome, refused, caveats_, findings_);
    // An urgent answer names this locale's emergency number, whatever the platform shows or says.
    if (outcome.status == 200 && outcome.urgent &&
        outcome.body.find(emergency_number(locale_).text) == std::string::npos &&
        outcome.body.find(emergency_number(locale_).voice) == std::string::npos) {
      findings_.add(where + " on " + name_of(channel), "urgent, without " + emergency_number(locale_).text);
    }
    if (!outcome.intent.empty() && outcome.status == 200) answered_[channel].insert(outcome.intent);
    ++(outcome.status == 200 ? answers_ : refusals_);
    return body;
  }

  void ask_dialogflow(const std::string& where, const std::string& es_query, const std::string& cx_fields,
                      bool refused) {
    const std::string es = "{\"session\":\"projects/p/agent/sessions/" + id_ + "\",\"queryResult\":{" +
                           es_query + ",\"languageCode\":" + json_string(locale_) +
                           ",\"outputContexts\":" + es_contexts_.dump() + "}}";
    json reply = check(where, Channel::dialogflow_es, es_.handle(engines_, es), refused);
    if (reply.is_object()) es_contexts_ = reply.value("outputContexts", json::array());

    const std::string cx = "{" + cx_fields + ",\"languageCode\":" + json_string(locale_) +
                           ",\"sessionInfo\":{\"session\":\"projects/p/locations/l/agents/a/sessions/" + id_ +
                           "\",\"parameters\":" + cx_parameters_.dump() + "}}";
    reply = check(where, Channel::dialogflow_cx, cx_.handle(engines_, cx), refused);
    if (reply.is_object() && reply.contains("sessionInfo"))
      cx_parameters_ = reply["sessionInfo"].value("parameters", json::object());
  }

  void ask_alexa(const std::string& where, const std::string& request, bool refused) {
    // `request` is a JSON object: its closing brace is replaced to add the members every request has.
    const std::string body =
        "{\"version\":\"1.0\",\"session\":{\"new\":" +
        std::string(alexa_attributes_.empty() ? "true" : "false") +
        ",\"sessionId\":\"amzn1.echo-api.session." + id_ +
        "\",\"application\":{\"applicationId\":\"amzn1.ask.skill.test\"},\"attributes\":" +
        (alexa_attributes_.empty() ? json::object() : alexa_attributes_).dump() +
        "},\"context\":{\"System\":{\"application\":{\"applicationId\":\"amzn1.ask.skill.test\"}}},"
        "\"request\":" +
        request.substr(0, request.size() - 1) +
        ",\"requestId\":\"amzn1.echo-api.request.test\",\"timestamp\":\"2026-12-01T00:00:00Z\",\"locale\":" +
        json_string(locale_) + "}}";
    const alexa::AlexaHttpRequest http_request{body, "", "", now()};
    const ChannelOutcome outcome = test::run_sync(alexa_.handle(engines_, http_request));
    json reply = check(where, Channel::alexa, outcome, refused);
    if (reply.is_object()) alexa_attributes_ = reply.value("sessionAttributes", json::object());
  }

  const EngineSet& engines_;
  const Engine& engine_;
  std::string locale_;
  const Caveats& caveats_;
  Findings& findings_;
  std::string id_;
  int turn_ = 0;
  std::map<Channel, std::set<std::string>> answered_;
  std::size_t answers_ = 0;
  std::size_t refusals_ = 0;

  ChatChannel chat_{ChatSettings{"property-test-secret", std::chrono::hours(1)}};
  RasaChannel rasa_{RasaSettings{}};
  DialogflowEsChannel es_;
  DialogflowCxChannel cx_;
  alexa::AlexaChannel alexa_ = unverified_alexa();
  std::string session_;
  json es_contexts_ = json::array();
  json cx_parameters_ = json::object();
  json alexa_attributes_;
};

// ---- Random utterances ----------------------------------------------------------------------------------

std::uint64_t property_seed() {
  if (const char* seed = std::getenv("CRAMPBOT_PROPERTY_SEED")) return std::strtoull(seed, nullptr, 10);
  return 20261201;
}

int property_conversations() {
  if (const char* count = std::getenv("CRAMPBOT_PROPERTY_CONVERSATIONS"))
    return std::max(1, std::atoi(count));
  return 250;
}

// Fragments that try to make a reply unsafe or malformed if anything were echoed: doses, quinine, markup,
// entities, quotes, odd Unicode.
const std::vector<std::string> kHostileFragments = {
    "400 mg",
    "take 500mg of magnesium",
    "quinine",
    "tonic water helps",
    "is quinine safe",
    "2 tablets",
    "1000 IU vitamin d",
    "<speak>",
    "</speak><audio src=\"x\"/>",
    "&amp;",
    "& <b> \"quoted\" 'single'",
    "]]>",
    "<![CDATA[x]]>",
    "&#0;",
    "🦵💥",
    "crampé",
    "\u202eright-to-left",
    "zero\u200bwidth",
    "ＦＵＬＬＷＩＤＴＨ",
    "caffè latte",
    "\\u0000",
    "{\"text\":\"nested\"}",
};

// Follow-ups whose answer depends on the conversation so far.
const std::vector<std::string> kFollowUps = {"tell me more", "say that again", "what foods have it",
                                             "why",          "and vitamin d?", "yes",
                                             "no",           "thanks",         "what else"};

class UtteranceMaker {
 public:
  UtteranceMaker(const Engine& engine, std::uint64_t seed) : random_(seed) {
    for (const auto& intent : engine.intents().intents) {
      for (const auto& example : intent.examples) {
        examples_.push_back(example.text);
        std::string word;
        for (const char c : example.text + " ") {
          if (c == ' ') {
            if (!word.empty()) words_.push_back(word);
            word.clear();
          } else {
            word += c;
          }
        }
      }
    }
  }

  std::string next() {
    switch (pick(10)) {
      case 0:
      case 1:
      case 2:
        return mutate(any(examples_));
      case 3:
      case 4: {
        std::string out;
        for (std::size_t n = 1 + pick(8); n > 0; --n)
          out += (out.empty() ? "" : " ") + any(words_);
        return out;
      }
      case 5:
      case 6:
        return insert(any(examples_), any(kHostileFragments));
      case 7:
        return any(kFollowUps);
      case 8:
        return any(kHostileFragments) + " " + any(kHostileFragments);
      default:
        return noise();
    }
  }

  std::string follow_up() { return any(kFollowUps); }
  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_); }

 private:
  const std::string& any(const std::vector<std::string>& list) { return list[pick(list.size())]; }

  std::string insert(std::string text, const std::string& fragment) {
    std::size_t at = pick(text.size() + 1);
    while (at < text.size() && text[at] != ' ')
      ++at;
    return text.insert(at, " " + fragment + " ");
  }

  std::string mutate(std::string text) {
    for (std::size_t n = pick(4); n > 0 && !text.empty(); --n) {
      const std::size_t at = pick(text.size());
      switch (pick(5)) {
        case 0:
          text.erase(at, 1);
          break;  // a letter dropped
        case 1:
          if (at + 1 < text.size()) std::swap(text[at], text[at + 1]);
          break;  // transposed
        case 2:
          text.insert(at, 1, static_cast<char>('a' + pick(26)));
          break;  // one too many
        case 3:
          text[at] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[at])));
          break;
        default:
          text = insert(text, any(words_));
          break;
      }
    }
    return text;
  }

  // Bytes: printable ASCII, multi-byte characters, and now and then an invalid byte or a control character.
  std::string noise() {
    static const std::vector<std::string> pieces = {
        "é",    "ß",    "中", "🙂", "\u0301", "\xef\xbb\xbf", "\xff",
        "\xc3", "\x01", "\t", "\n",   "\x7f",   "\xed\xa0\x80"};
    std::string out;
    for (std::size_t n = 1 + pick(30); n > 0; --n) {
      if (pick(4) == 0)
        out += any(pieces);
      else
        out += static_cast<char>(0x20 + pick(95));
    }
    return out;
  }

  std::mt19937_64 random_;
  std::vector<std::string> examples_;
  std::vector<std::string> words_;
};

// The slot sets an intent's replies are keyed by: none, and each canonical value of its slot.
std::vector<SlotMap> slot_sets(const Engine& engine, const IntentDefinition& intent) {
  std::vector<SlotMap> sets = {{}};
  for (const auto& [slot, list] : intent.slots) {
    for (const auto& value : engine.intents().lexicon.lists.at(list))
      sets.push_back({{slot, value.canonical}});
  }
  return sets;
}

}  // namespace

TEST_CASE(
    "every reply variant, its more part and its repeat carry a caveat, well-formed SSML within limits "
    "and nothing unsafe",
    "[safety][property]") {
  for (const auto& [locale, shared_engine] : test::real_engines().engines()) {
    INFO("locale " << locale);
    const Engine& engine = *shared_engine;
    const Caveats caveats(engine.responses());
    Findings findings;
    std::size_t variants = 0;
    std::size_t replies = 0;
    for (const auto& [intent, responses] : engine.responses().all()) {
      const IntentDefinition* definition = engine.intents().find(intent);
      REQUIRE(definition);
      for (const auto& [key, list] : responses.replies) {
        SlotMap slots;
        if (key != kDefaultReplyKey && !definition->slots.empty())
          slots[definition->slots.begin()->first] = key;
        for (std::size_t v = 0; v < list.size(); ++v) {
          ++variants;
          const std::string where = intent + " " + key + " variant " + std::to_string(v);
          DialogueContext context;
          context.turn = static_cast<int>(v);
          const Reply reply = engine.respond_to_intent(intent, slots, context);
          check_reply(where, reply, caveats, findings);
          if (reply.urgent && (reply.text.find(emergency_number(locale).text) == std::string::npos ||
                               reply.ssml.find(emergency_number(locale).voice) == std::string::npos)) {
            findings.add(where, "urgent, without " + emergency_number(locale).text + " in text and speech");
          }
          CHECK(reply.locale == locale);
          ++replies;
          for (const char* follow_up : {"tell me more", "say that again"}) {
            const auto next = engine.respond(follow_up, reply.context);
            const auto* answer = std::get_if<Reply>(&next);
            if (!answer) {
              findings.add(where, std::string("\"") + follow_up + "\" refused");
              continue;
            }
            check_reply(where + " then \"" + follow_up + "\"", *answer, caveats, findings);
            ++replies;
          }
        }
      }
    }
    INFO(findings.notes());
    CHECK(findings.count() == 0);
    CHECK(variants >= 65);  // as many as `crampbot check` counts on the real catalog
    CHECK(replies == 3 * variants);
  }
}

TEST_CASE("every intent and slot value through each platform's own intent, turn after turn, stays safe",
          "[safety][property]") {
  for (const auto& [locale, shared_engine] : test::real_engines().engines()) {
    INFO("locale " << locale);
    const Engine& engine = *shared_engine;
    const Caveats caveats(engine.responses());
    Findings findings;
    std::map<Channel, std::set<std::string>> answered;
    for (const auto& intent : engine.intents().intents) {
      if (!intent.answer_as.empty()) continue;  // helpers are not platform intents
      if (intent.name == kClarifyIntent) {
        // No platform sends a clarifying question; words do (Alexa's catch-all, Dialogflow's fallback, chat,
        // Rasa), and then each of its suggestions, sent back, is answered.
        Conversations conversation(test::real_engines(), locale, caveats, findings, "clarify");
        conversation.say(tied_question(engine.language()));
        const auto reply = engine.respond(tied_question(engine.language()), {});
        REQUIRE(std::holds_alternative<Reply>(reply));
        REQUIRE(std::get<Reply>(reply).intent == kClarifyIntent);
        for (const auto& suggestion : std::get<Reply>(reply).suggestions) {
          conversation.say(tied_question(engine.language()));
          conversation.say(suggestion);
        }
        for (const auto& [channel, intents] : conversation.answered())
          answered[channel].insert(intents.begin(), intents.end());
        continue;
      }
      for (const auto& slots : slot_sets(engine, intent)) {
        std::string id = intent.name;
        for (const auto& [slot, value] : slots)
          id += "-" + value;
        Conversations conversation(test::real_engines(), locale, caveats, findings, id);
        // Enough turns to go round every variant, then the follow-ups, as platform intents and as words.
        for (int turn = 0; turn < 4; ++turn)
          conversation.platform_intent(intent.name, slots);
        conversation.platform_intent("more", {});
        conversation.platform_intent("repeat", {});
        conversation.say("tell me more");
        for (const auto& [channel, intents] : conversation.answered())
          answered[channel].insert(intents.begin(), intents.end());
      }
    }
    INFO(findings.notes());
    CHECK(findings.count() == 0);
    // On each platform, each intent with replies was answered as itself (a follow-up intent answers as the
    // one it follows, so it is not among them).
    for (const Channel channel : {Channel::dialogflow_es, Channel::dialogflow_cx, Channel::alexa}) {
      for (const auto& intent : engine.responses().all()) {
        const IntentDefinition* definition = engine.intents().find(intent.first);
        REQUIRE(definition);
        if (!definition->answer_as.empty()) continue;
        INFO(intent.first << " on " << name_of(channel));
        CHECK(answered[channel].count(intent.first) == 1);
      }
    }
  }
}

TEST_CASE("every catalog example and seeded random conversations stay safe on every channel",
          "[safety][property]") {
  for (const auto& [locale, shared_engine] : test::real_engines().engines()) {
    INFO("locale " << locale);
    const Engine& engine = *shared_engine;
    const Caveats caveats(engine.responses());
    const std::uint64_t seed = property_seed();
    INFO("CRAMPBOT_PROPERTY_SEED=" << seed);
    Findings findings;

    // A locale overlay changes replies only, which the tests above cover reply by reply: its language's pass
    // says every example; an overlay's says a tenth of the random conversations (the suite's time budget).
    const bool overlay = locale != engine.language();
    std::size_t examples = 0;
    if (!overlay) {
      Conversations conversation(test::real_engines(), locale, caveats, findings, "examples");
      for (const auto& intent : engine.intents().intents) {
        for (const auto& example : intent.examples) {
          conversation.say(example.text);
          ++examples;
        }
      }
    }

    // Refusals, for certain: invalid UTF-8 is no JSON for any channel; a control character is an unusable
    // utterance for chat and Rasa, and the fallback's cue for the platforms that have their own NLU.
    {
      Conversations conversation(test::real_engines(), locale, caveats, findings, "refused");
      conversation.say("\xff leg cramps");
      conversation.say("leg\x01cramps");
      CHECK(conversation.refusals() == 5 + 2);
      CHECK(conversation.answers() == 3);
    }

    UtteranceMaker maker(engine, seed);
    std::size_t answers = 0;
    std::size_t refusals = 0;
    const int count = overlay ? std::max(1, property_conversations() / 10) : property_conversations();
    for (int c = 0; c < count; ++c) {
      Conversations conversation(test::real_engines(), locale, caveats, findings,
                                 "random-" + std::to_string(c));
      for (std::size_t n = 1 + maker.pick(6); n > 0; --n) {
        conversation.say(maker.pick(4) == 0 ? maker.follow_up() : maker.next());
      }
      answers += conversation.answers();
      refusals += conversation.refusals();
    }
    INFO(findings.notes());
    CHECK(findings.count() == 0);
    CHECK((overlay || examples >= 463));
    // The random part is mostly usable words; some of its bytes no channel takes.
    INFO(answers << " answers and " << refusals << " refusals over five channels");
    CHECK(answers > 10 * refusals);
  }
}
