// The Alexa channel on the real catalog: request types, intents, slots, the context in sessionAttributes,
// refusals, and verification in front of it all.
#include <catch2/catch.hpp>

#include "alexa_test_support.h"
#include "channels/alexa/alexa_channel.h"
#include "channels/alexa/alexa_names.h"
#include "engine/ssml.h"
#include "support/test_pki.h"
#include "test_support.h"

using namespace crampbot;
using namespace crampbot::alexa;
using namespace crampbot::alexa::test;
using crampbot::test::real_engine;
using crampbot::test::real_english_engines;
using crampbot::test::TestPki;
using nlohmann::json;
using std::chrono::seconds;

namespace {

AlexaSettings unverified() {
  AlexaSettings settings;
  settings.verify = false;
  return settings;
}

// Answers `body` with headers as given.
ChannelOutcome handle(const AlexaChannel& channel, const std::string& body, const std::string& signature = "",
                      const std::string& url = "") {
  const AlexaHttpRequest request{body, signature, url, now()};
  return run_sync(channel.handle(real_english_engines(), request));
}

// Answers an envelope on a channel without verification; the outcome must be a 200 with JSON.
json answer(const json& envelope, ChannelOutcome* outcome = nullptr) {
  static const AlexaChannel channel(unverified(), nullptr, nullptr);
  const ChannelOutcome result = handle(channel, envelope.dump());
  INFO(result.body);
  REQUIRE(result.status == 200);
  if (outcome) *outcome = result;
  return json::parse(result.body);
}

json context_of(const json& response) {
  return response["sessionAttributes"]["crampbot"];
}

// `e` as the next turn of an ongoing session whose last response was `previous`.
json continue_session(json e, const json& previous) {
  e["session"]["new"] = false;
  e["session"]["attributes"] = previous["sessionAttributes"];
  return e;
}

std::string speech(const json& response) {
  return response["response"]["outputSpeech"]["ssml"];
}

// Every response that speaks must carry well-formed SSML, a Simple card and an explicit end flag.
void check_spoken_response(const json& response) {
  const auto& r = response["response"];
  CHECK(response["version"] == "1.0");
  CHECK(r["outputSpeech"]["type"] == "SSML");
  CHECK(is_well_formed_ssml(speech(response)));
  CHECK(r["card"]["type"] == "Simple");
  CHECK_FALSE(r["card"]["content"].get<std::string>().empty());
  REQUIRE(r.contains("shouldEndSession"));
  if (r.contains("reprompt")) {
    CHECK(is_well_formed_ssml(r["reprompt"]["outputSpeech"]["ssml"].get<std::string>()));
    CHECK(r["shouldEndSession"] == false);
  }
  CHECK(response["sessionAttributes"].contains("crampbot"));
}

}  // namespace

TEST_CASE("channel: LaunchRequest is the welcome with the full disclaimer", "[alexa][channel]") {
  ChannelOutcome outcome;
  const json response = answer(envelope(launch_request(), now()), &outcome);
  check_spoken_response(response);
  CHECK(outcome.intent == "welcome");
  CHECK_FALSE(outcome.urgent);
  CHECK(contains(speech(response), "not a substitute for professional medical advice"));
  CHECK(
      contains(response["response"]["card"]["content"], "not a substitute for professional medical advice"));
  CHECK(response["response"]["shouldEndSession"] == false);
  CHECK(response["response"].contains("reprompt"));
  CHECK(context_of(response)["intent"] == "welcome");
}

TEST_CASE("channel: an intent with an entity-resolution id uses the id", "[alexa][channel][slots]") {
  // "epsom stuff" is no synonym of ours: only the id can say magnesium.
  ChannelOutcome outcome;
  const json response = answer(
      envelope(
          intent_request("FoodSourcesIntent", {{"nutrient", slot("nutrient", "epsom stuff", "magnesium")}}),
          now()),
      &outcome);
  check_spoken_response(response);
  CHECK(outcome.intent == "food_sources");
  CHECK(context_of(response)["slots"] == json{{"nutrient", "magnesium"}});
}

TEST_CASE("channel: an id that is not ours falls back to the spoken value", "[alexa][channel][slots]") {
  const json response =
      answer(envelope(intent_request("NutrientRoleIntent",
                                     {{"nutrient", slot("nutrient", "cobalamin", "NOT_A_NUTRIENT_OF_OURS")}}),
                      now()));
  CHECK(context_of(response)["slots"] == json{{"nutrient", "vitamin_b12"}});
}

TEST_CASE("channel: an unresolved synonym goes through our synonyms", "[alexa][channel][slots]") {
  const json no_match = answer(envelope(
      intent_request("NutrientRoleIntent",
                     {{"nutrient", slot("nutrient", "vitamin b twelve", "", "ER_SUCCESS_NO_MATCH")}}),
      now()));
  CHECK(context_of(no_match)["slots"] == json{{"nutrient", "vitamin_b12"}});
  // A bare value without resolutions, as some devices send.
  const json bare =
      answer(envelope(intent_request("FoodSourcesIntent",
                                     {{"nutrient", {{"name", "nutrient"}, {"value", "Potassium Citrate"}}}}),
                      now()));
  CHECK(context_of(bare)["slots"] == json{{"nutrient", "potassium"}});
}

TEST_CASE("channel: an unknown slot value is dropped, not an error", "[alexa][channel][slots]") {
  ChannelOutcome outcome;
  const json response = answer(
      envelope(intent_request("FoodSourcesIntent",
                              {{"nutrient", slot("nutrient", "kryptonite", "", "ER_SUCCESS_NO_MATCH")}}),
               now()),
      &outcome);
  check_spoken_response(response);
  CHECK(outcome.intent == "food_sources");
  CHECK(context_of(response)["slots"] == json::object());
  // A slot with no value at all (Alexa sends the slot name only) is the same.
  const json empty =
      answer(envelope(intent_request("FoodSourcesIntent", {{"nutrient", {{"name", "nutrient"}}}}), now()));
  CHECK(context_of(empty)["slots"] == json::object());
}

TEST_CASE("channel: the catch-all intent runs our matcher on the raw text", "[alexa][channel][ask]") {
  ChannelOutcome outcome;
  const json response = answer(
      envelope(intent_request(
                   kCatchAllIntent,
                   {{kCatchAllSlot, {{"name", kCatchAllSlot}, {"value", "what foods have potassium"}}}}),
               now()),
      &outcome);
  check_spoken_response(response);
  CHECK(outcome.intent == "food_sources");
  CHECK(context_of(response)["slots"] == json{{"nutrient", "potassium"}});
}

TEST_CASE("channel: the catch-all intent without usable text is a fallback turn", "[alexa][channel][ask]") {
  for (const json& slots : {json::object(), json{{kCatchAllSlot, {{"name", kCatchAllSlot}}}},
                            json{{kCatchAllSlot, {{"name", kCatchAllSlot}, {"value", ""}}}},
                            json{{kCatchAllSlot, {{"name", kCatchAllSlot}, {"value", "   "}}}},
                            json{{kCatchAllSlot, {{"name", kCatchAllSlot}, {"value", "bad\x01text"}}}},
                            json{{kCatchAllSlot, {{"name", kCatchAllSlot}, {"value", 42}}}}}) {
    INFO(slots.dump());
    ChannelOutcome outcome;
    const json response = answer(envelope(intent_request(kCatchAllIntent, slots), now()), &outcome);
    check_spoken_response(response);
    CHECK(outcome.intent == "fallback");
  }
}

TEST_CASE("channel: red flags through the catch-all are urgent", "[alexa][channel][ask]") {
  ChannelOutcome outcome;
  answer(envelope(intent_request(kCatchAllIntent,
                                 {{kCatchAllSlot,
                                   {{"name", kCatchAllSlot}, {"value", "my calf is swollen red and hot"}}}}),
                  now()),
         &outcome);
  CHECK(outcome.intent == "urgent_symptoms");
  CHECK(outcome.urgent);
}

TEST_CASE("channel: built-in intents map to ours", "[alexa][channel][builtins]") {
  struct Case {
    const char* alexa;
    const char* ours;
    bool ends;
  };
  for (const Case& c :
       {Case{"AMAZON.HelpIntent", "help", false}, Case{"AMAZON.StopIntent", "goodbye", true},
        Case{"AMAZON.CancelIntent", "goodbye", true}, Case{"AMAZON.FallbackIntent", "fallback", false},
        Case{"AMAZON.NavigateHomeIntent", "welcome", false}}) {
    INFO(c.alexa);
    ChannelOutcome outcome;
    const json response = answer(envelope(intent_request(c.alexa), now()), &outcome);
    check_spoken_response(response);
    CHECK(outcome.intent == c.ours);
    CHECK(response["response"]["shouldEndSession"] == c.ends);
    CHECK(response["response"].contains("reprompt") == !c.ends);
  }
}

TEST_CASE("channel: intents we do not know are answered as fallback", "[alexa][channel]") {
  for (const char* name : {"WeatherIntent", "AMAZON.YesIntent", "notAnIntent", "Intent", "AskIntentX"}) {
    INFO(name);
    ChannelOutcome outcome;
    check_spoken_response(answer(envelope(intent_request(name), now()), &outcome));
    CHECK(outcome.intent == "fallback");
  }
}

TEST_CASE("channel: every intent of ours answers with well-formed SSML", "[alexa][channel][ssml]") {
  const Engine& engine = real_engine();
  const auto& nutrients = engine.intents().lexicon.lists.at("nutrient");
  for (const auto& intent : engine.intents().intents) {
    const std::string name = alexa_intent_name(intent.name);
    INFO(name);
    check_spoken_response(answer(envelope(intent_request(name), now())));
    if (!intent.slots.count("nutrient")) continue;
    for (const auto& value : nutrients) {
      INFO(value.canonical);
      const json response = answer(envelope(
          intent_request(name, {{"nutrient", slot("nutrient", value.phrases.front(), value.canonical)}}),
          now()));
      check_spoken_response(response);
    }
  }
}

TEST_CASE("channel: SessionEndedRequest and unknown types get the empty response", "[alexa][channel]") {
  for (const char* type :
       {"SessionEndedRequest", "CanFulfillIntentRequest", "System.ExceptionEncounteredRequest",
        "AudioPlayer.PlaybackStarted", "Made.Up.Request"}) {
    INFO(type);
    ChannelOutcome outcome;
    json request = {{"type", type}, {"reason", "USER_INITIATED"}};
    const json response = answer(envelope(request, now()), &outcome);
    CHECK(response == json{{"version", "1.0"}, {"response", json::object()}});
    CHECK(outcome.intent.empty());
    CHECK_FALSE(outcome.urgent);
  }
}

TEST_CASE("channel: unknown properties are tolerated", "[alexa][channel]") {
  json e = envelope(intent_request("AMAZON.HelpIntent"), now());
  e["somethingNew"] = {{"nested", {1, 2, 3}}};
  e["request"]["shouldLinkResultBeReturned"] = false;
  e["request"]["intent"]["slots"]["unexpected"] = {{"name", "unexpected"}, {"value", "x"}};
  ChannelOutcome outcome;
  answer(e, &outcome);
  CHECK(outcome.intent == "help");
}

TEST_CASE("channel: the context round-trips through sessionAttributes", "[alexa][channel][context]") {
  const json first = answer(envelope(
      intent_request("FoodSourcesIntent", {{"nutrient", slot("nutrient", "magnesium", "magnesium")}}),
      now()));
  CHECK(context_of(first)["turn"] == 1);

  SECTION("a follow-up keeps the question with the new nutrient") {
    ChannelOutcome outcome;
    const json second = answer(
        continue_session(
            envelope(intent_request("FollowUpIntent", {{"nutrient", slot("nutrient", "b12", "vitamin_b12")}}),
                     now()),
            first),
        &outcome);
    CHECK(outcome.intent == "food_sources");
    CHECK(context_of(second)["slots"] == json{{"nutrient", "vitamin_b12"}});
    CHECK(context_of(second)["turn"] == 2);
  }
  SECTION("\"what foods have it\" through the catch-all remembers the nutrient") {
    const json second = answer(continue_session(
        envelope(intent_request(kCatchAllIntent,
                                {{kCatchAllSlot, {{"name", kCatchAllSlot}, {"value", "what does it do"}}}}),
                 now()),
        first));
    CHECK(context_of(second)["memory"]["nutrient"] == "magnesium");
  }
  SECTION("repeat says the last answer again") {
    const json again =
        answer(continue_session(envelope(intent_request("AMAZON.RepeatIntent"), now()), first));
    CHECK(speech(again) == speech(first));
  }
  SECTION("a new session starts fresh, whatever attributes it carries") {
    json fresh = continue_session(
        envelope(intent_request("FollowUpIntent", {{"nutrient", slot("nutrient", "b12", "vitamin_b12")}}),
                 now()),
        first);
    fresh["session"]["new"] = true;
    ChannelOutcome outcome;
    answer(fresh, &outcome);
    CHECK(outcome.intent == "nutrient_role");  // the follow-up's default, not the previous question
  }
}

TEST_CASE("channel: forged or garbled session attributes give a fresh context, never an error",
          "[alexa][channel][context]") {
  const json baseline = answer(envelope(intent_request("AMAZON.RepeatIntent"), now()));
  for (const json& forged :
       {json{{"crampbot", {{"turn", "many"}, {"intent", "nutrient_role"}}}},
        json{{"crampbot", {{"turn", 3}, {"intent", "no_such_intent"}, {"slots", json::object()}}}},
        json{
            {"crampbot", {{"turn", 3}, {"intent", "food_sources"}, {"slots", {{"nutrient", "kryptonite"}}}}}},
        json{{"crampbot", "eyJ0dXJuIjoxfQ=="}}, json{{"crampbot", nullptr}},
        json{{"crampbot", json::array()}}, json{{"other", 1}}, json("not an object"), json::array()}) {
    INFO(forged.dump());
    json e = envelope(intent_request("AMAZON.RepeatIntent"), now());
    e["session"]["new"] = false;
    e["session"]["attributes"] = forged;
    const json response = answer(e);
    CHECK(response == baseline);
  }
}

TEST_CASE("channel: malformed requests are 400s that name what is wrong", "[alexa][channel][errors]") {
  const AlexaChannel channel(unverified(), nullptr, nullptr);
  struct Case {
    std::string body;
    const char* code;
    const char* names;
  };
  for (const Case& c :
       {Case{"{not json", "bad_json", "invalid JSON"}, Case{"", "bad_json", "invalid JSON"},
        Case{"[1,2]", "bad_json", "object"}, Case{R"({"version":"1.0"})", "missing_field", "request"},
        Case{R"({"request":{"timestamp":"x"}})", "missing_field", "request.type"},
        Case{R"({"request":{"type":7}})", "missing_field", "request.type"},
        Case{R"({"request":{"type":"IntentRequest"}})", "missing_field", "request.intent.name"},
        Case{R"({"request":{"type":"IntentRequest","intent":{"slots":{}}}})", "missing_field",
             "request.intent.name"},
        Case{std::string(100, '[') + std::string(100, ']'), "bad_json", "nested"}}) {
    INFO(c.body);
    const ChannelOutcome outcome = handle(channel, c.body);
    CHECK(outcome.status == 400);
    CHECK(outcome.intent.empty());
    const json body = json::parse(outcome.body);
    CHECK(body["error"] == c.code);
    CHECK(contains(body["message"], c.names));
  }
}

TEST_CASE("channel: with verification on, only signed requests are answered", "[alexa][channel][verify]") {
  MapFetcher served({{kCertificateUrl, pki().chain_pem()}});
  AlexaSettings settings;
  settings.skill_ids = {kSkillId};
  const AlexaChannel channel(settings, served.fetcher(), TrustStore::from_pem(pki().root_pem()));
  const std::string body = envelope(launch_request(), now()).dump();

  SECTION("signed: answered") {
    const ChannelOutcome outcome = handle(channel, body, pki().sign_base64(body), kCertificateUrl);
    CHECK(outcome.status == 200);
    CHECK(outcome.intent == "welcome");
  }
  SECTION("tampered: 400 verification_failed naming the signature, nothing answered") {
    std::string tampered = body;
    tampered.replace(tampered.find("LaunchRequest"), 13, "LaunchRequesT");
    const ChannelOutcome outcome = handle(channel, tampered, pki().sign_base64(body), kCertificateUrl);
    CHECK(outcome.status == 400);
    CHECK(outcome.intent.empty());
    const json error = json::parse(outcome.body);
    CHECK(error["error"] == "verification_failed");
    CHECK(error["check"] == "signature");
    CHECK_FALSE(error.contains("response"));
  }
  SECTION("unsigned: 400 naming the missing header") {
    const ChannelOutcome outcome = handle(channel, body);
    CHECK(outcome.status == 400);
    CHECK(json::parse(outcome.body)["check"] == "signature_header");
  }
  SECTION("stale: 400 naming the timestamp") {
    const std::string stale = envelope(launch_request(), now() - seconds(151)).dump();
    const ChannelOutcome outcome = handle(channel, stale, pki().sign_base64(stale), kCertificateUrl);
    CHECK(json::parse(outcome.body)["check"] == "timestamp");
  }
  SECTION("another skill: 400 naming the skill id") {
    const std::string other = envelope(launch_request(), now(), "amzn1.ask.skill.other").dump();
    const ChannelOutcome outcome = handle(channel, other, pki().sign_base64(other), kCertificateUrl);
    CHECK(json::parse(outcome.body)["check"] == "skill_id");
  }
  SECTION("a bad certificate URL: 400 naming it") {
    const ChannelOutcome outcome = handle(channel, body, pki().sign_base64(body),
                                          "https://s3.amazonaws.com/invalid.path/echo-api-cert-12.pem");
    CHECK(json::parse(outcome.body)["check"] == "certificate_url");
  }
  SECTION("a signed SessionEndedRequest: the empty response") {
    const std::string ended =
        envelope({{"type", "SessionEndedRequest"}, {"reason", "USER_INITIATED"}}, now()).dump();
    const ChannelOutcome outcome = handle(channel, ended, pki().sign_base64(ended), kCertificateUrl);
    CHECK(outcome.status == 200);
    CHECK(json::parse(outcome.body) == json{{"version", "1.0"}, {"response", json::object()}});
  }
}

TEST_CASE("channel: with verification off, unsigned requests are answered", "[alexa][channel][verify]") {
  const AlexaChannel channel(unverified(), nullptr, nullptr);
  const ChannelOutcome outcome =
      handle(channel, envelope(launch_request(), now() - std::chrono::hours(48)).dump());
  CHECK(outcome.status == 200);
  CHECK(outcome.intent == "welcome");
}

TEST_CASE("channel: verification on needs a trust store", "[alexa][channel][verify]") {
  MapFetcher served({});
  CHECK_THROWS_AS(AlexaChannel(AlexaSettings{}, served.fetcher(), nullptr), std::invalid_argument);
}

TEST_CASE("channel: an answer carries the session id, the locale and the catch-all's words for the records",
          "[alexa][channel][review]") {
  json e = envelope(
      intent_request(kCatchAllIntent, {{kCatchAllSlot, slot(kCatchAllSlot, "how many bananas a day")}}),
      now());
  e["request"]["locale"] = "en-GB";
  ChannelOutcome outcome;
  answer(e, &outcome);
  CHECK(outcome.turn.text == "how many bananas a day");
  CHECK(outcome.turn.conversation == "amzn1.echo-api.session.test");
  CHECK(outcome.turn.locale == "en-GB");
  CHECK(outcome.intent == "fallback");

  // An intent Alexa recognised itself has no words to keep, and a locale that is no language tag is dropped.
  json given =
      envelope(intent_request("FoodSourcesIntent", {{"nutrient", slot("nutrient", "magnesium")}}), now());
  given["request"]["locale"] = "en-US\n<script>";
  answer(given, &outcome);
  CHECK(outcome.turn.text.empty());
  CHECK(outcome.turn.locale.empty());
  CHECK(outcome.turn.confidence == 1.0);
}
