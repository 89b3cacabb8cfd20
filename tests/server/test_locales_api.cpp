// Locales over real HTTP: every platform's locale field picks the catalog locale that answers, urgent replies
// name that locale's emergency number in what is shown and what is spoken, Spanish is answered in Spanish,
// and /readyz and /metrics tell the locales.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "alexa/alexa_test_support.h"
#include "channels/alexa/alexa_names.h"
#include "support/http_client.h"
#include "support/test_pki.h"
#include "test_server.h"

using namespace crampbot;
using namespace crampbot::test;
using nlohmann::json;
namespace alexa_test = crampbot::alexa::test;

namespace {

// A signed Alexa request in `locale` whose words reach us through the catch-all intent.
std::optional<HttpReply> ask_alexa(HttpClient& client, const std::string& locale, const std::string& words) {
  json envelope = alexa_test::envelope(
      alexa_test::intent_request(alexa::kCatchAllIntent,
                                 {{alexa::kCatchAllSlot, alexa_test::slot(alexa::kCatchAllSlot, words)}}),
      std::chrono::system_clock::now(), kTestSkillId);
  envelope["request"]["locale"] = locale;
  const std::string body = envelope.dump();
  return client.post_json("/alexa", body,
                          {{"Signature-256", TestPki::shared().sign_base64(body)},
                           {"SignatureCertChainUrl", kTestCertificateUrl}});
}

struct AlexaAnswer {
  std::string speech;
  std::string card;
};

AlexaAnswer alexa_answer(const std::optional<HttpReply>& reply) {
  REQUIRE(reply);
  REQUIRE(reply->status == 200);
  const json body = json::parse(reply->body);
  return {body["response"]["outputSpeech"]["ssml"], body["response"]["card"]["content"]};
}

json post(HttpClient& client, const std::string& path, const json& body,
          const std::map<std::string, std::string>& headers = {}) {
  auto reply = client.post_json(path, body.dump(), headers);
  REQUIRE(reply);
  REQUIRE(reply->status == 200);
  return json::parse(reply->body);
}

constexpr const char* kSwollenCalf = "my calf is swollen red and hot after a long flight";
constexpr const char* kSwollenCalfEs =
    "tengo la pantorrilla hinchada, roja y caliente después de un vuelo largo";

}  // namespace

TEST_CASE("Alexa: en-GB red flags name 999, en-AU 000, es-US answers in Spanish with 911",
          "[locale][alexa]") {
  TestServer server(every_locale_config());
  HttpClient client(server.port());

  const AlexaAnswer gb = alexa_answer(ask_alexa(client, "en-GB", kSwollenCalf));
  CHECK_THAT(gb.card, Catch::Contains("call 999 now") && Catch::Contains("NHS 111"));
  CHECK_THAT(gb.speech, Catch::Contains("call nine nine nine now"));
  CHECK_THAT(gb.card, !Catch::Contains("911") && !Catch::Contains("your local emergency number"));

  const AlexaAnswer au = alexa_answer(ask_alexa(client, "en-AU", kSwollenCalf));
  CHECK_THAT(au.card, Catch::Contains("call 000 (triple zero) now"));
  CHECK_THAT(au.speech, Catch::Contains("call triple zero now"));

  const AlexaAnswer us = alexa_answer(ask_alexa(client, "en-US", kSwollenCalf));
  CHECK_THAT(us.card, Catch::Contains("call 911 now"));
  CHECK_THAT(us.speech, Catch::Contains("call nine one one now"));

  const AlexaAnswer es = alexa_answer(ask_alexa(client, "es-US", kSwollenCalfEs));
  CHECK_THAT(es.card, Catch::Contains("Esto podría ser grave") && Catch::Contains("llame ahora al 911"));
  CHECK_THAT(es.speech, Catch::Contains("llame ahora al nueve uno uno"));
  CHECK_THAT(es.speech, Catch::Contains("<speak>") && !Catch::Contains("This could be serious"));
}

TEST_CASE("Dialogflow ES and CX: the request's languageCode picks the language", "[locale][dialogflow]") {
  TestServer server(every_locale_config());
  HttpClient client(server.port());
  const json es = post(client, "/dialogflow",
                       {{"session", "projects/p/agent/sessions/locale-test"},
                        {"queryResult",
                         {{"queryText", kSwollenCalfEs},
                          {"languageCode", "es"},
                          {"intent", {{"displayName", "Default Fallback Intent"}}}}}});
  const std::string text = es["fulfillmentText"];
  CHECK_THAT(text, Catch::Contains("Esto podría ser grave"));
  // "es" without a region: the language's own wording of the number.
  CHECK_THAT(text, Catch::Contains("número de emergencias de su zona"));

  const json cx =
      post(client, "/dialogflow-cx",
           {{"text", "¿qué alimentos tienen magnesio?"},
            {"languageCode", "es-ES"},
            {"sessionInfo", {{"session", "projects/p/locations/l/agents/a/sessions/locale-test"}}}});
  const std::string cx_text = cx["fulfillmentResponse"]["messages"][0]["text"]["text"][0];
  CHECK_THAT(cx_text, Catch::Contains("magnesio"));
  CHECK_THAT(cx_text, !Catch::Contains("magnesium"));
}

TEST_CASE("chat: the locale field, then the session's, then Accept-Language, then the default",
          "[locale][chat]") {
  TestServer server(every_locale_config());
  HttpClient client(server.port());

  const json mx = post(client, "/v1/chat", {{"text", kSwollenCalfEs}, {"locale", "es-MX"}});
  CHECK(mx["locale"] == "es-MX");
  CHECK(mx["urgent"] == true);
  CHECK_THAT(mx["text"].get<std::string>(), Catch::Contains("llame ahora al 911"));
  // The next turn names no locale: the conversation goes on in its own.
  const json next = post(client, "/v1/chat", {{"text", "gracias"}, {"session", mx["session"]}});
  CHECK(next["locale"] == "es-MX");
  CHECK(next["intent"] == "thanks");

  const json browser = post(client, "/v1/chat", {{"text", kSwollenCalfEs}},
                            {{"Accept-Language", "fr-FR;q=0.9, es-ES;q=0.95, en;q=0.5"}});
  CHECK(browser["locale"] == "es-ES");
  CHECK_THAT(browser["text"].get<std::string>(), Catch::Contains("llame ahora al 112"));

  const json plain = post(client, "/v1/chat", {{"text", kSwollenCalf}});
  CHECK(plain["locale"] == "en-US");
  CHECK_THAT(plain["text"].get<std::string>(), Catch::Contains("call 911 now"));

  // A language the catalog lacks: the default's language, with the generic wording (the person may be
  // anywhere).
  const json french = post(client, "/v1/chat", {{"text", kSwollenCalf}, {"locale", "fr-FR"}});
  CHECK(french["locale"] == "en");
  CHECK_THAT(french["text"].get<std::string>(), Catch::Contains("call your local emergency number now"));
}

TEST_CASE("Rasa: metadata.locale, remembered for the sender", "[locale][rasa]") {
  TestServer server(every_locale_config());
  HttpClient client(server.port());
  const json first = post(client, "/webhooks/rest/webhook",
                          {{"sender", "locale-sender"},
                           {"message", "¿qué vitamina sirve para los calambres?"},
                           {"metadata", {{"locale", "es-US"}}}});
  CHECK_THAT(first[0]["text"].get<std::string>(), Catch::Contains("calambres"));
  const json second =
      post(client, "/webhooks/rest/webhook", {{"sender", "locale-sender"}, {"message", kSwollenCalfEs}});
  CHECK_THAT(second[0]["text"].get<std::string>(), Catch::Contains("llame ahora al 911"));
}

TEST_CASE("/readyz lists the locales and /metrics counts replies by the locale that answered",
          "[locale][metrics]") {
  TestServer server(every_locale_config());
  HttpClient client(server.port());
  const auto ready = client.get("/readyz");
  REQUIRE(ready);
  const json status = json::parse(ready->body);
  CHECK(status["default_locale"] == "en-US");
  for (const char* locale :
       {"en", "en-AU", "en-CA", "en-GB", "en-IN", "en-US", "es", "es-ES", "es-MX", "es-US"})
    CHECK(std::find(status["locales"].begin(), status["locales"].end(), locale) != status["locales"].end());

  post(client, "/v1/chat", {{"text", "hola"}, {"locale", "es-MX"}});
  post(client, "/v1/chat", {{"text", "hola"}, {"locale", "es-MX"}});
  post(client, "/v1/chat", {{"text", "hello"}, {"locale", "en-GB"}});
  const auto metrics = client.get("/metrics");
  REQUIRE(metrics);
  CHECK_THAT(metrics->body, Catch::Contains("crampbot_replies_by_locale_total{locale=\"es-MX\"} 2") &&
                                Catch::Contains("crampbot_replies_by_locale_total{locale=\"en-GB\"} 1"));
}

TEST_CASE("the Alexa invocation name of a locale: its own, else its language's, else the default",
          "[locale][alexa]") {
  app::AppConfig config;
  config.alexa_invocation_name = "leg cramp helper";
  config.alexa_invocation_names = {{"es", "ayuda con calambres"}, {"es-ES", "ayuda con rampas"}};
  CHECK(app::alexa_invocation_name_for(config, "es-ES") == "ayuda con rampas");
  CHECK(app::alexa_invocation_name_for(config, "es-MX") == "ayuda con calambres");
  CHECK(app::alexa_invocation_name_for(config, "es") == "ayuda con calambres");
  CHECK(app::alexa_invocation_name_for(config, "en-GB") == "leg cramp helper");
  // The shipped configuration names the Spanish one.
  CHECK(app::alexa_invocation_name_for(test_config(), "es-US") == "ayuda con calambres");
}

TEST_CASE("catalog.locales: the server serves the named locales and their languages only", "[locale]") {
  app::AppConfig config = every_locale_config();
  config.engine.locales = {"en-GB", "es-MX"};
  TestServer server(config);
  HttpClient client(server.port());
  const auto ready = client.get("/readyz");
  REQUIRE(ready);
  CHECK(json::parse(ready->body)["locales"] == json({"en", "en-GB", "es", "es-MX"}));
  // en-GB and es-MX answer as themselves; en-AU and es-ES, not served, get their languages' generic wording.
  CHECK(post(client, "/v1/chat", {{"text", kSwollenCalf}, {"locale", "en-GB"}})["locale"] == "en-GB");
  CHECK(post(client, "/v1/chat", {{"text", kSwollenCalf}, {"locale", "en-AU"}})["locale"] == "en");
  CHECK(post(client, "/v1/chat", {{"text", kSwollenCalfEs}, {"locale", "es-ES"}})["locale"] == "es");
  // What names no locale gets the default's language, en-US itself not being served.
  CHECK(post(client, "/v1/chat", {{"text", "hello"}})["locale"] == "en");
}

TEST_CASE("catalog.locales: a locale without a folder, or none in the default's language, stops the start",
          "[locale]") {
  app::AppConfig config = test_config();
  config.engine.locales = {"en-US", "fr-FR"};
  CHECK_THROWS_WITH(TestServer(config),
                    Catch::Contains("catalog.locales names \"fr-FR\", which has no folder"));
  config.engine.locales = {"es-MX"};
  CHECK_THROWS_WITH(TestServer(config), Catch::Contains("catalog.locales: serves nothing in the default "
                                                        "locale's language (catalog.default_locale en-US)"));
}
