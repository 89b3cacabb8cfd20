// What each channel tells the server about an answered turn for the review and the per-locale counts: the
// user's words, the platform's conversation id and the locale it sent (channels/channel_outcome.h).
#include <catch2/catch.hpp>

#include "channels/chat_channel.h"
#include "channels/dialogflow_cx_channel.h"
#include "channels/dialogflow_es_channel.h"
#include "channels/rasa_channel.h"
#include "channels/session_token.h"
#include "test_support.h"

using namespace crampbot;
using crampbot::test::real_engine;
using crampbot::test::real_english_engines;
using nlohmann::json;

namespace {

const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));

ChatSettings chat_settings() {
  ChatSettings settings;
  settings.session_secret = "turn-facts-test-secret-0123456789";
  return settings;
}

}  // namespace

TEST_CASE("locale_tag keeps language tags and nothing else", "[turn_facts]") {
  for (const char* tag : {"en", "en-GB", "en_US", "es-419", "zh-Hant-TW", "EN-gb"})
    CHECK(locale_tag(tag) == tag);
  for (const char* bad :
       {"", "-en", "1en", "en GB", "en-GB\n", "en\"}", "ab-cdefghijklmnopq", "fr;q=0.9", "é"})
    CHECK(locale_tag(bad).empty());
}

TEST_CASE("chat: a conversation gets a random id at its first turn and keeps it through its tokens",
          "[turn_facts][chat]") {
  const ChatChannel channel(chat_settings());
  const ChannelOutcome first = channel.handle(
      real_english_engines(), R"({"text": "what does magnesium do", "locale": "en-GB"})", kNow);
  REQUIRE(first.status == 200);
  CHECK(first.turn.text == "what does magnesium do");
  CHECK(first.turn.locale == "en-GB");
  CHECK(first.turn.conversation.size() == 22);
  CHECK(first.turn.confidence > 0.5);
  const std::string token = json::parse(first.body)["session"];
  // The id is sealed in the token, which opens with the same secret.
  const SessionTokenSealer sealer(chat_settings().session_secret, chat_settings().session_max_age);
  REQUIRE(sealer.open_session(token, kNow));
  CHECK(sealer.open_session(token, kNow)->conversation == first.turn.conversation);

  const ChannelOutcome second = channel.handle(
      real_english_engines(), json({{"text", "what foods have it"}, {"session", token}}).dump(),
      kNow + std::chrono::seconds(5));
  CHECK(second.turn.conversation == first.turn.conversation);
  // The token remembers the conversation's locale: the second turn, naming none, is answered in en-GB.
  CHECK(sealer.open_session(token, kNow)->locale == "en-GB");
  CHECK(second.turn.locale == "en-GB");
  CHECK(json::parse(second.body)["locale"] == "en-GB");

  // No token, or one that does not open: another conversation.
  const ChannelOutcome fresh =
      channel.handle(real_english_engines(), R"({"text": "what does magnesium do"})", kNow);
  const ChannelOutcome forged =
      channel.handle(real_english_engines(), json({{"text", "hi"}, {"session", "x" + token}}).dump(), kNow);
  CHECK(fresh.turn.conversation != first.turn.conversation);
  CHECK(forged.turn.conversation != first.turn.conversation);
  CHECK(forged.turn.conversation != fresh.turn.conversation);

  // A locale that is not a string is refused; one that is no language tag is ignored.
  CHECK(channel.handle(real_english_engines(), R"({"text": "hi", "locale": 7})", kNow).status == 400);
  CHECK(channel.handle(real_english_engines(), R"({"text": "hi", "locale": "en GB"})", kNow)
            .turn.locale.empty());
}

TEST_CASE("rasa, Dialogflow ES and CX name the conversation and locale from their own fields",
          "[turn_facts]") {
  RasaChannel rasa{RasaSettings{}};
  const ChannelOutcome r = rasa.handle(
      real_english_engines(),
      R"({"sender": "visitor-7", "message": "how many bananas a day", "metadata": {"locale": "en-AU"}})",
      std::chrono::steady_clock::now());
  CHECK(r.turn.conversation == "visitor-7");
  CHECK(r.turn.text == "how many bananas a day");
  CHECK(r.turn.locale == "en-AU");
  CHECK(r.intent == "fallback");

  const DialogflowEsChannel es;
  const ChannelOutcome e = es.handle(real_english_engines(), R"({"session": "projects/p/agent/sessions/s1",
      "queryResult": {"queryText": "will a banana help", "languageCode": "en-us",
                      "intent": {"displayName": "Default Fallback Intent"}}})");
  CHECK(e.turn.conversation == "projects/p/agent/sessions/s1");
  CHECK(e.turn.text == "will a banana help");
  CHECK(e.turn.locale == "en-us");

  const DialogflowCxChannel cx;
  const ChannelOutcome c =
      cx.handle(real_english_engines(), R"({"text": "what causes leg cramps", "languageCode": "en",
      "sessionInfo": {"session": "projects/p/locations/l/agents/a/sessions/s2"}})");
  CHECK(c.turn.conversation == "projects/p/locations/l/agents/a/sessions/s2");
  CHECK(c.turn.text == "what causes leg cramps");
  CHECK(c.turn.locale == "en");
  // Without a session there is nothing to count the conversation by.
  CHECK(cx.handle(real_english_engines(), R"({"text": "what causes leg cramps"})").turn.conversation.empty());
}
