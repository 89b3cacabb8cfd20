// POST /alexa over real HTTP with requests signed by a test PKI made at test time: accepted when every check
// holds, 400 with nothing answered when any fails.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "alexa/alexa_test_support.h"
#include "support/http_client.h"
#include "support/test_pki.h"
#include "test_server.h"

using namespace crampbot;
using namespace crampbot::test;
using namespace std::chrono_literals;
namespace alexa_test = crampbot::alexa::test;

namespace {

struct Signed {
  std::string body;
  std::map<std::string, std::string> headers;
};

Signed sign(const nlohmann::json& envelope, const std::string& url = kTestCertificateUrl) {
  Signed out;
  out.body = envelope.dump();
  out.headers = {{"Signature-256", TestPki::shared().sign_base64(out.body)}, {"SignatureCertChainUrl", url}};
  return out;
}

nlohmann::json intent_envelope(std::chrono::system_clock::time_point when = std::chrono::system_clock::now(),
                               const std::string& skill = kTestSkillId) {
  return alexa_test::envelope(
      alexa_test::intent_request("FoodSourcesIntent",
                                 {{"nutrient", alexa_test::slot("nutrient", "magnesium", "magnesium")}}),
      when, skill);
}

std::optional<HttpReply> post(HttpClient& client, const Signed& request) {
  return client.post_json("/alexa", request.body, request.headers);
}

}  // namespace

TEST_CASE("a correctly signed Alexa request is answered", "[alexa]") {
  TestServer server;
  HttpClient client(server.port());
  auto reply = post(client, sign(intent_envelope()));
  REQUIRE(reply);
  REQUIRE(reply->status == 200);
  const auto body = nlohmann::json::parse(reply->body);
  CHECK(body["version"] == "1.0");
  CHECK(body["response"]["outputSpeech"]["type"] == "SSML");
  CHECK(body["response"]["outputSpeech"]["ssml"].get<std::string>().starts_with("<speak>"));
  CHECK(body["response"]["card"]["type"] == "Simple");
  CHECK(body["response"]["shouldEndSession"] == false);
  CHECK(body["sessionAttributes"]["crampbot"]["slots"]["nutrient"] == "magnesium");
  // A second request reuses the cached certificate chain.
  REQUIRE(post(client, sign(intent_envelope()))->status == 200);
  CHECK(server.fetches() == 1);
}

TEST_CASE("tampered, stale, future, foreign and badly addressed Alexa requests are refused with 400",
          "[alexa]") {
  TestServer server;
  HttpClient client(server.port());
  const auto now = std::chrono::system_clock::now();
  auto expect_refused = [&](const Signed& request, const std::string& why) {
    INFO(why);
    auto reply = post(client, request);
    REQUIRE(reply);
    CHECK(reply->status == 400);
    const auto body = nlohmann::json::parse(reply->body);
    CHECK(body["error"] == "verification_failed");
    CHECK_FALSE(body.contains("response"));
  };

  Signed tampered = sign(intent_envelope());
  tampered.body.replace(tampered.body.find("magnesium"), 9, "potassium");
  expect_refused(tampered, "body changed after signing");

  Signed wrong_key = sign(intent_envelope());
  wrong_key.headers["Signature-256"] = TestPki::shared().sign_base64_with_wrong_key(wrong_key.body);
  expect_refused(wrong_key, "signed with another key");

  Signed no_signature = sign(intent_envelope());
  no_signature.headers.erase("Signature-256");
  expect_refused(no_signature, "no Signature-256");

  Signed no_url = sign(intent_envelope());
  no_url.headers.erase("SignatureCertChainUrl");
  expect_refused(no_url, "no SignatureCertChainUrl");

  expect_refused(sign(intent_envelope(now - 200s)), "timestamp 200 s old");
  expect_refused(sign(intent_envelope(now + 200s)), "timestamp 200 s ahead");
  expect_refused(sign(intent_envelope(now, "amzn1.ask.skill.someone-else")), "skill id not allowed");
  for (const std::string url : {"http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
                                "https://notamazon.com/echo.api/echo-api-cert.pem",
                                "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
                                "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
                                "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem"}) {
    expect_refused(sign(intent_envelope(), url), "certificate URL " + url);
  }
  // A URL that passes the rules but serves nothing.
  expect_refused(sign(intent_envelope(), "https://s3.amazonaws.com/echo.api/missing.pem"),
                 "unfetchable chain");

  // Within the window, both directions, it is accepted.
  CHECK(post(client, sign(intent_envelope(now - 100s)))->status == 200);
  CHECK(post(client, sign(intent_envelope(now + 100s)))->status == 200);
}

TEST_CASE("certificate chains that are expired, for another name or from an untrusted CA are refused",
          "[alexa]") {
  const auto& pki = TestPki::shared();
  const std::map<std::string, std::string> served = {
      {kTestCertificateUrl, pki.chain_pem()},
      {"https://s3.amazonaws.com/echo.api/expired.pem", pki.chain_pem(SigningCertificate::expired)},
      {"https://s3.amazonaws.com/echo.api/future.pem", pki.chain_pem(SigningCertificate::not_yet_valid)},
      {"https://s3.amazonaws.com/echo.api/wrong-san.pem", pki.chain_pem(SigningCertificate::wrong_san)},
      {"https://s3.amazonaws.com/echo.api/untrusted.pem", pki.chain_pem(SigningCertificate::untrusted)},
      {"https://s3.amazonaws.com/echo.api/leaf-only.pem", pki.chain_pem(SigningCertificate::good, false)},
  };
  TestServer server(test_config(), served);
  HttpClient client(server.port());
  for (const auto& [url, pem] : served) {
    INFO(url);
    auto reply = post(client, sign(intent_envelope(), url));
    REQUIRE(reply);
    CHECK(reply->status == (url == kTestCertificateUrl ? 200 : 400));
  }
}

TEST_CASE("with verification off, unsigned requests are answered but the skill id list still applies",
          "[alexa]") {
  app::AppConfig config = test_config();
  config.alexa.verify = false;
  TestServer server(config);
  HttpClient client(server.port());
  auto launch = client.post_json(
      "/alexa",
      alexa_test::envelope(alexa_test::launch_request(), std::chrono::system_clock::now(), kTestSkillId)
          .dump());
  REQUIRE(launch);
  CHECK(launch->status == 200);
  CHECK(launch->body.find("not a substitute for professional medical advice") != std::string::npos);
  auto foreign = client.post_json(
      "/alexa",
      alexa_test::envelope(alexa_test::launch_request(), std::chrono::system_clock::now(), "amzn1.other")
          .dump());
  REQUIRE(foreign);
  CHECK(foreign->status == 400);
  CHECK(server.fetches() == 0);
}
