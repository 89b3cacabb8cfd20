#include "authoring/channel_driver.h"

#include <chrono>
#include <random>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "channels/alexa/alexa_channel.h"
#include "channels/alexa/alexa_names.h"
#include "channels/alexa/text_shortening.h"
#include "channels/chat_channel.h"
#include "channels/dialogflow_cx_channel.h"
#include "channels/dialogflow_es_channel.h"
#include "channels/json_body.h"
#include "channels/platform_turn.h"
#include "channels/rasa_channel.h"
#include "engine/ssml.h"

namespace crampbot::authoring {

namespace {

using nlohmann::json;

// The platforms' documented limits on a response (the older and stricter ones where they changed).
constexpr std::size_t kAlexaSpeechCharacters = 8000;
constexpr std::size_t kAlexaCardCharacters = 8000;
constexpr std::size_t kAlexaResponseBytes = 24 * 1024;
constexpr std::size_t kDialogflowResponseBytes = 64 * 1024;

// The string at `path` in `value`, or "" when it is not there or not a string.
std::string string_at(const json& value, std::initializer_list<const char*> path) {
  const json* at = &value;
  for (const char* key : path) {
    if (!at->is_object()) return {};
    const auto it = at->find(key);
    if (it == at->end()) return {};
    at = &*it;
  }
  return at->is_string() ? at->get<std::string>() : std::string();
}

std::vector<std::string> strings_of(const json& list, const char* member = nullptr) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const auto& item : list) {
    const json& value = member && item.is_object() ? item.value(member, json()) : item;
    if (value.is_string()) out.push_back(value.get<std::string>());
  }
  return out;
}

// An observed turn from the channel's outcome: a refusal (with the platform's message), or the reply's
// meaning as the channel recorded it. `body` receives the parsed 200 body.
ObservedTurn from_outcome(const Engine& engine, const ChannelOutcome& outcome, json& body) {
  ObservedTurn turn;
  const ParsedBody parsed = parse_json_body(outcome.body);
  body = parsed.ok() ? parsed.json : json();
  if (outcome.status != 200) {
    turn.refused = true;
    turn.refusal = "status " + std::to_string(outcome.status) + ": " + string_at(body, {"message"});
    return turn;
  }
  if (!parsed.ok()) turn.platform_problems.push_back("the response is not JSON: " + parsed.error);
  turn.intent = outcome.intent;
  turn.slots = outcome.slots;
  turn.urgent = outcome.urgent;
  turn.candidates = outcome.candidates;
  turn.source_ids = outcome.sources;
  for (const auto& id : outcome.sources)
    if (const Source* source = engine.responses().source(id)) turn.sources.push_back(source->title);
  return turn;
}

// On a platform that shows text only, the sources are named in what is shown or nowhere.
void check_sources_shown(ObservedTurn& turn) {
  for (const auto& title : turn.sources) {
    if (turn.shown.find(title) == std::string::npos)
      turn.platform_problems.push_back("the source \"" + title + "\" is not shown");
  }
}

ObservedTurn from_reply(const Reply& reply) {
  ObservedTurn turn;
  turn.intent = reply.intent;
  turn.slots = reply.slots;
  turn.urgent = reply.urgent;
  for (const auto& candidate : reply.candidates)
    turn.candidates.push_back(candidate.intent);
  for (const auto& source : reply.sources) {
    turn.sources.push_back(source.title);
    turn.source_ids.push_back(source.id);
  }
  turn.shown = reply.text;
  turn.ssml = reply.ssml;
  turn.spoken = spoken_words(reply.ssml);
  turn.title = reply.title;
  turn.end = reply.end;
  turn.suggestions = reply.suggestions;
  return turn;
}

class EngineDriver final : public ChannelDriver {
 public:
  EngineDriver(const EngineSet& engines, std::string locale) : engine_(engines.for_locale(locale)) {}

  bool can_send_intents() const override { return true; }

  ObservedTurn say(const std::string& text) override {
    const auto answer = engine_.respond(text, context_);
    if (const auto* error = std::get_if<InputError>(&answer)) {
      ObservedTurn turn;
      turn.refused = true;
      turn.refusal = std::string(describe(*error));
      return turn;
    }
    return take(std::get<Reply>(answer));
  }

  std::optional<ObservedTurn> send_intent(const std::string& intent,
                                          const std::map<std::string, std::string>& slots) override {
    return take(answer_platform_turn(engine_, PlatformTurn{intent, slots, ""}, context_));
  }

 private:
  ObservedTurn take(const Reply& reply) {
    context_ = reply.context;
    return from_reply(reply);
  }

  const Engine& engine_;
  DialogueContext context_;
};

// A secret for this run's session tokens: they never leave the process.
std::string random_secret() {
  std::random_device device;
  std::string secret;
  for (int i = 0; i < 32; ++i)
    secret += static_cast<char>('a' + device() % 26);
  return secret;
}

class ChatDriver final : public ChannelDriver {
 public:
  ChatDriver(const EngineSet& engines, std::string locale)
      : engines_(engines),
        engine_(engines.for_locale(locale)),
        locale_(std::move(locale)),
        channel_(ChatSettings{random_secret(), std::chrono::hours(1)}) {}

  ObservedTurn say(const std::string& text) override {
    json request = {{"text", text}, {"locale", locale_}};
    if (!session_.empty()) request["session"] = session_;
    const ChannelOutcome outcome =
        channel_.handle(engines_, dump_json(request), std::chrono::system_clock::now());
    json body;
    ObservedTurn turn = from_outcome(engine_, outcome, body);
    if (turn.refused) return turn;
    // Everything from the reply object, as a chat client reads it.
    turn.intent = string_at(body, {"intent"});
    turn.slots.clear();
    if (const auto slots = body.value("slots", json::object()); slots.is_object()) {
      for (const auto& [name, value] : slots.items())
        if (value.is_string()) turn.slots[name] = value.get<std::string>();
    }
    turn.urgent = body.value("urgent", false);
    turn.candidates = strings_of(body.value("candidates", json::array()), "intent");
    turn.sources = strings_of(body.value("sources", json::array()), "title");
    turn.shown = string_at(body, {"text"});
    turn.ssml = string_at(body, {"ssml"});
    turn.spoken = spoken_words(*turn.ssml);
    turn.title = string_at(body, {"title"});
    turn.end = body.value("end", false);
    turn.suggestions = strings_of(body.value("suggestions", json::array()));
    session_ = string_at(body, {"session"});
    return turn;
  }

 private:
  const EngineSet& engines_;
  const Engine& engine_;  // the one engines_ answers locale_ with
  std::string locale_;
  ChatChannel channel_;
  std::string session_;
};

class RasaDriver final : public ChannelDriver {
 public:
  RasaDriver(const EngineSet& engines, std::string locale)
      : engines_(engines),
        engine_(engines.for_locale(locale)),
        locale_(std::move(locale)),
        channel_(RasaSettings{}) {}

  ObservedTurn say(const std::string& text) override {
    const json request = {{"sender", sender_}, {"message", text}, {"metadata", {{"locale", locale_}}}};
    const ChannelOutcome outcome =
        channel_.handle(engines_, dump_json(request), std::chrono::steady_clock::now());
    json body;
    ObservedTurn turn = from_outcome(engine_, outcome, body);
    if (turn.refused) return turn;
    if (!body.is_array() || body.empty() || !body.front().is_object()) {
      turn.platform_problems.push_back("the response is not a list of messages");
      return turn;
    }
    turn.shown = string_at(body.front(), {"text"});
    check_sources_shown(turn);
    std::vector<std::string> buttons;
    for (const auto& message : body) {
      const auto more = strings_of(message.value("buttons", json::array()), "title");
      buttons.insert(buttons.end(), more.begin(), more.end());
    }
    turn.suggestions = buttons;
    return turn;
  }

 private:
  const EngineSet& engines_;
  const Engine& engine_;  // the one engines_ answers locale_ with
  std::string locale_;
  RasaChannel channel_;
  std::string sender_ = "crampbot-test";
};

// Dialogflow speaks its text as written (no SSML from us), so what is spoken is what is shown.
void read_dialogflow_text(ObservedTurn& turn, std::size_t body_bytes) {
  turn.spoken = collapse_spaces(turn.shown);
  if (body_bytes > kDialogflowResponseBytes) {
    turn.platform_problems.push_back("the response is " + std::to_string(body_bytes) +
                                     " bytes, over Dialogflow's 64 KiB");
  }
}

std::string first_message_text(const json& messages) {
  if (!messages.is_array() || messages.empty()) return {};
  const json& lines = messages.front().is_object() ? messages.front().value("text", json::object()) : json();
  if (!lines.is_object()) return {};
  const json& text = lines.value("text", json::array());
  return text.is_array() && !text.empty() && text.front().is_string() ? text.front().get<std::string>() : "";
}

class DialogflowEsDriver final : public ChannelDriver {
 public:
  DialogflowEsDriver(const EngineSet& engines, std::string locale)
      : engines_(engines), engine_(engines.for_locale(locale)), locale_(std::move(locale)) {}

  bool can_send_intents() const override { return true; }

  ObservedTurn say(const std::string& text) override {
    // The agent's own NLU found none of our intents: its fallback hands us the words.
    return send({{"queryText", text}, {"intent", {{"displayName", "Default Fallback Intent"}}}});
  }

  std::optional<ObservedTurn> send_intent(const std::string& intent,
                                          const std::map<std::string, std::string>& slots) override {
    return send({{"queryText", ""}, {"intent", {{"displayName", intent}}}, {"parameters", slots}});
  }

 private:
  ObservedTurn send(json query) {
    query["outputContexts"] = contexts_;
    query["languageCode"] = locale_;
    const json request = {{"session", "projects/crampbot-test/agent/sessions/test"}, {"queryResult", query}};
    const ChannelOutcome outcome = channel_.handle(engines_, dump_json(request));
    json body;
    ObservedTurn turn = from_outcome(engine_, outcome, body);
    turn.can_refuse = false;
    if (turn.refused) return turn;
    turn.shown = string_at(body, {"fulfillmentText"});
    read_dialogflow_text(turn, outcome.body.size());
    check_sources_shown(turn);
    const json messages = body.value("fulfillmentMessages", json::array());
    if (first_message_text(messages) != turn.shown)
      turn.platform_problems.push_back("the first message is not the fulfillment text");
    std::vector<std::string> chips;
    for (const auto& message : messages) {
      if (!message.is_object() || !message.contains("quickReplies")) continue;
      const auto replies = strings_of(message["quickReplies"].value("quickReplies", json::array()));
      chips.insert(chips.end(), replies.begin(), replies.end());
    }
    turn.suggestions = chips;
    contexts_ = body.value("outputContexts", json::array());
    // Lifespan 0 ends the context: the conversation is over.
    turn.end = contexts_.is_array() && !contexts_.empty() && contexts_.front().value("lifespanCount", 1) == 0;
    return turn;
  }

  const EngineSet& engines_;
  const Engine& engine_;  // the one engines_ answers locale_ with
  std::string locale_;
  DialogflowEsChannel channel_;
  json contexts_ = json::array();
};

class DialogflowCxDriver final : public ChannelDriver {
 public:
  DialogflowCxDriver(const EngineSet& engines, std::string locale)
      : engines_(engines), engine_(engines.for_locale(locale)), locale_(std::move(locale)) {}

  bool can_send_intents() const override { return true; }

  ObservedTurn say(const std::string& text) override { return send({{"text", text}}); }

  std::optional<ObservedTurn> send_intent(const std::string& intent,
                                          const std::map<std::string, std::string>& slots) override {
    json parameters = json::object();
    for (const auto& [name, value] : slots)
      parameters[name] = {{"originalValue", value}, {"resolvedValue", value}};
    return send({{"fulfillmentInfo", {{"tag", intent}}},
                 {"intentInfo", {{"displayName", intent}, {"parameters", parameters}}}});
  }

 private:
  ObservedTurn send(json request) {
    request["languageCode"] = locale_;
    request["sessionInfo"] = {{"session", "projects/p/locations/l/agents/a/sessions/test"},
                              {"parameters", parameters_}};
    const ChannelOutcome outcome = channel_.handle(engines_, dump_json(request));
    json body;
    ObservedTurn turn = from_outcome(engine_, outcome, body);
    turn.can_refuse = false;
    if (turn.refused) return turn;
    const json messages = body.value("fulfillmentResponse", json::object()).value("messages", json::array());
    turn.shown = first_message_text(messages);
    read_dialogflow_text(turn, outcome.body.size());
    check_sources_shown(turn);
    std::vector<std::string> chips;
    for (const auto& message : messages) {
      if (!message.is_object() || !message.contains("payload")) continue;
      for (const auto& group : message["payload"].value("richContent", json::array())) {
        for (const auto& item : group.is_array() ? group : json::array())
          if (item.is_object()) {
            const auto options = strings_of(item.value("options", json::array()), "text");
            chips.insert(chips.end(), options.begin(), options.end());
          }
      }
    }
    turn.suggestions = chips;
    // CX merges the parameters it is sent back; null deletes one, and a deleted context ends the
    // conversation.
    const json sent = body.value("sessionInfo", json::object()).value("parameters", json::object());
    turn.end = false;
    for (const auto& [name, value] : sent.items()) {
      if (value.is_null()) {
        parameters_.erase(name);
        if (name == kStoredContextParameter) turn.end = true;
      } else {
        parameters_[name] = value;
      }
    }
    return turn;
  }

  const EngineSet& engines_;
  const Engine& engine_;  // the one engines_ answers locale_ with
  std::string locale_;
  DialogflowCxChannel channel_;
  json parameters_ = json::object();
};

alexa::AlexaChannel unverified_alexa_channel() {
  // Tests run in-process without signatures: nothing is ever fetched.
  alexa::CertificateFetcher never = [](std::string url) -> boost::asio::awaitable<alexa::FetchResult> {
    co_return alexa::FetchResult{"", "crampbot test does not fetch certificates: " + url};
  };
  alexa::AlexaSettings settings;
  settings.verify = false;
  return alexa::AlexaChannel(settings, std::move(never), nullptr);
}

class AlexaDriver final : public ChannelDriver {
 public:
  AlexaDriver(const EngineSet& engines, std::string locale)
      : engines_(engines),
        engine_(engines.for_locale(locale)),
        locale_(std::move(locale)),
        channel_(unverified_alexa_channel()) {}

  bool can_send_intents() const override { return true; }

  ObservedTurn say(const std::string& text) override {
    return send({{"type", "IntentRequest"},
                 {"intent",
                  {{"name", alexa::kCatchAllIntent},
                   {"slots", {{alexa::kCatchAllSlot, {{"name", alexa::kCatchAllSlot}, {"value", text}}}}}}}});
  }

  std::optional<ObservedTurn> send_intent(const std::string& intent,
                                          const std::map<std::string, std::string>& slots) override {
    if (intent == "welcome") return send({{"type", "LaunchRequest"}});
    json alexa_slots = json::object();
    for (const auto& [name, value] : slots)
      alexa_slots[name] = {{"name", name}, {"value", value}};
    // An Alexa name as written ("AMAZON.StopIntent"), else the one Alexa sends for our intent.
    const bool alexa_name = intent.find('.') != std::string::npos || intent.ends_with("Intent");
    return send(
        {{"type", "IntentRequest"},
         {"intent",
          {{"name", alexa_name ? intent : alexa::alexa_request_name(intent)}, {"slots", alexa_slots}}}});
  }

 private:
  ObservedTurn send(json request) {
    request["requestId"] = "amzn1.echo-api.request.crampbot-test";
    request["timestamp"] = "2026-01-01T00:00:00Z";
    request["locale"] = locale_;
    const json application = {{"applicationId", "amzn1.ask.skill.crampbot-test"}};
    const json envelope = {
        {"version", "1.0"},
        {"session",
         {{"new", attributes_.is_null()},
          {"sessionId", "amzn1.echo-api.session.crampbot-test-" + std::to_string(session_)},
          {"application", application},
          {"attributes", attributes_.is_null() ? json::object() : attributes_}}},
        {"context", {{"System", {{"application", application}}}}},
        {"request", std::move(request)}};
    const std::string body_text = dump_json(envelope);
    const alexa::AlexaHttpRequest http{body_text, "", "", std::chrono::system_clock::now()};
    boost::asio::io_context io;
    auto future = boost::asio::co_spawn(io, channel_.handle(engines_, http), boost::asio::use_future);
    io.run();
    const ChannelOutcome outcome = future.get();

    json body;
    ObservedTurn turn = from_outcome(engine_, outcome, body);
    turn.can_refuse = false;
    if (turn.refused) return turn;
    const json response = body.value("response", json::object());
    turn.shown = string_at(response, {"card", "content"});
    check_sources_shown(turn);
    turn.title = string_at(response, {"card", "title"});
    turn.ssml = string_at(response, {"outputSpeech", "ssml"});
    turn.spoken = spoken_words(*turn.ssml);
    turn.end = response.value("shouldEndSession", false);
    if (alexa::count_characters(*turn.ssml) > kAlexaSpeechCharacters)
      turn.platform_problems.push_back("outputSpeech over Alexa's 8,000 characters");
    if (alexa::count_characters(*turn.title) + alexa::count_characters(turn.shown) > kAlexaCardCharacters)
      turn.platform_problems.push_back("the card over Alexa's 8,000 characters");
    if (outcome.body.size() > kAlexaResponseBytes)
      turn.platform_problems.push_back("the response over 24 KB");
    const std::string reprompt = string_at(response, {"reprompt", "outputSpeech", "ssml"});
    if (!reprompt.empty() && !is_well_formed_ssml(reprompt))
      turn.platform_problems.push_back("the reprompt's SSML is not well-formed");
    // A session that ended starts anew with the next turn, as the device would.
    if (*turn.end) {
      attributes_ = json();
      ++session_;
    } else {
      attributes_ = body.value("sessionAttributes", json::object());
    }
    return turn;
  }

  const EngineSet& engines_;
  const Engine& engine_;  // the one engines_ answers locale_ with
  std::string locale_;
  alexa::AlexaChannel channel_;
  json attributes_;  // null: a new session
  int session_ = 0;
};

}  // namespace

std::unique_ptr<ChannelDriver> make_channel_driver(std::string_view channel, const EngineSet& engines,
                                                   std::string locale) {
  if (locale.empty()) locale = engines.default_engine().locale();
  if (channel == "engine") return std::make_unique<EngineDriver>(engines, locale);
  if (channel == "chat") return std::make_unique<ChatDriver>(engines, locale);
  if (channel == "rasa") return std::make_unique<RasaDriver>(engines, locale);
  if (channel == "dialogflow") return std::make_unique<DialogflowEsDriver>(engines, locale);
  if (channel == "dialogflow-cx") return std::make_unique<DialogflowCxDriver>(engines, locale);
  if (channel == "alexa") return std::make_unique<AlexaDriver>(engines, locale);
  return nullptr;
}

}  // namespace crampbot::authoring
