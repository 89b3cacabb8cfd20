// Many clients at once on both worker threads, on every channel, with catalog reloads in between. Each
// conversation must get its own right answers (no cross-talk between senders, sessions or threads). The
// ThreadSanitizer run of the server tests leans on this one (docs/RELIABILITY.md).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "alexa/alexa_test_support.h"
#include "support/http_client.h"
#include "support/test_pki.h"
#include "test_server.h"

using namespace crampbot::test;
namespace alexa_test = crampbot::alexa::test;

namespace {

struct Nutrient {
  std::string id;    // canonical value
  std::string name;  // as asked
  std::string stem;  // found in any reply about it, whatever its capitalisation
};

const std::vector<Nutrient> kNutrients = {{"potassium", "potassium", "otassium"},
                                          {"magnesium", "magnesium", "agnesium"},
                                          {"calcium", "calcium", "alcium"}};

bool mentions(const std::string& text, const Nutrient& nutrient) {
  return text.find(nutrient.stem) != std::string::npos;
}

// Failures seen by the client threads: counted, and the first few kept for the report.
class Failures {
 public:
  void add(std::string what) {
    std::lock_guard lock(mutex_);
    ++count_;
    if (notes_.size() < 5) notes_.push_back(std::move(what));
  }
  int count() const {
    std::lock_guard lock(mutex_);
    return count_;
  }
  std::string notes() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& note : notes_)
      out += note + "\n";
    return out;
  }

 private:
  mutable std::mutex mutex_;
  int count_ = 0;
  std::vector<std::string> notes_;
};

std::string signed_alexa_body(const Nutrient& nutrient) {
  return alexa_test::envelope(alexa_test::intent_request(
                                  "FoodSourcesIntent",
                                  {{"nutrient", alexa_test::slot("nutrient", nutrient.name, nutrient.id)}}),
                              std::chrono::system_clock::now(), kTestSkillId)
      .dump();
}

}  // namespace

TEST_CASE("clients on every channel at once, with reloads, each get their own right answers",
          "[concurrency]") {
  // Off: four clients asking as fast as they can from one address are the point of this test, and the
  // per-client rate limit would answer most of them 429.
  crampbot::app::AppConfig config = test_config();
  config.server.rate_limit_rps = 0;
  TestServer server(config);
  constexpr int kClients = 4;
  constexpr int kRounds = 25;
  constexpr int kRequestsPerRound = 6;

  // Signed up front: the test PKI is not shared between threads.
  std::vector<std::pair<std::string, std::string>> alexa_bodies;  // body, signature
  for (const auto& nutrient : kNutrients) {
    const std::string body = signed_alexa_body(nutrient);
    alexa_bodies.emplace_back(body, TestPki::shared().sign_base64(body));
  }

  Failures failures;
  std::atomic<int> answered{0};
  std::atomic<int> finished{0};  // clients done
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      HttpClient client(server.port());
      const Nutrient& own = kNutrients[c % kNutrients.size()];
      const std::string who = "client " + std::to_string(c) + ": ";
      const std::string sender = "sender-" + std::to_string(c);
      std::string session;  // this client's chat conversation
      auto expect = [&](bool holds, const std::string& what) {
        if (holds)
          ++answered;
        else
          failures.add(who + what);
      };
      for (int round = 0; round < kRounds; ++round) {
        // A throw here (a body that is not JSON, a member of another type) would end the test binary from
        // this thread; it is a failure like any other.
        try {
          // Chat: a follow-up that only the session token can resolve to this client's nutrient.
          nlohmann::json chat = {
              {"text", round % 2 == 0 ? "what does " + own.name + " do" : "what foods have it"}};
          if (!session.empty()) chat["session"] = session;
          auto reply = client.post_json("/v1/chat", chat.dump());
          if (reply && reply->status == 200) {
            const auto body = nlohmann::json::parse(reply->body);
            session = body.value("session", "");
            expect(mentions(body["text"].get<std::string>(), own) && body["slots"]["nutrient"] == own.id,
                   "chat answered about another nutrient: " + reply->body.substr(0, 200));
          } else {
            expect(false, "chat failed");
          }

          // Rasa: the same, with the context kept per sender in the server's table.
          reply = client.post_json("/webhooks/rest/webhook",
                                   nlohmann::json{{"sender", sender}, {"message", chat["text"]}}.dump());
          if (reply && reply->status == 200) {
            const auto body = nlohmann::json::parse(reply->body);
            expect(body.is_array() && body.size() == 1 && body[0]["recipient_id"] == sender &&
                       mentions(body[0]["text"].get<std::string>(), own),
                   "rasa answered another sender: " + reply->body.substr(0, 200));
          } else {
            expect(false, "rasa failed");
          }

          // Dialogflow ES, our matcher on the text.
          const nlohmann::json es = {{"session", "projects/p/agent/sessions/" + sender},
                                     {"queryResult",
                                      {{"queryText", "what foods have " + own.name},
                                       {"parameters", nlohmann::json::object()},
                                       {"outputContexts", nlohmann::json::array()},
                                       {"intent", {{"displayName", "Default Fallback Intent"}}}}}};
          reply = client.post_json("/dialogflow", es.dump());
          if (reply && reply->status == 200) {
            const auto body = nlohmann::json::parse(reply->body);
            const auto context = nlohmann::json::parse(
                body["outputContexts"][0]["parameters"]["crampbot_context"].get<std::string>());
            expect(mentions(body["fulfillmentText"].get<std::string>(), own) &&
                       context["slots"]["nutrient"] == own.id,
                   "dialogflow answered about another nutrient: " + reply->body.substr(0, 200));
          } else {
            expect(false, "dialogflow failed");
          }

          // Alexa, signed and verified (the certificate chain comes from the shared cache).
          const auto& [alexa_body, signature] = alexa_bodies[c % kNutrients.size()];
          reply = client.post_json(
              "/alexa", alexa_body,
              {{"Signature-256", signature}, {"SignatureCertChainUrl", kTestCertificateUrl}});
          if (reply && reply->status == 200) {
            const auto body = nlohmann::json::parse(reply->body);
            expect(mentions(body["response"]["outputSpeech"]["ssml"].get<std::string>(), own) &&
                       body["sessionAttributes"]["crampbot"]["slots"]["nutrient"] == own.id,
                   "alexa answered about another nutrient: " + reply->body.substr(0, 200));
          } else {
            expect(false, "alexa failed");
          }

          reply = client.get("/healthz");
          expect(reply && reply->status == 200, "healthz failed");
          reply = client.get("/metrics");
          expect(reply && reply->status == 200, "metrics failed");
        } catch (const std::exception& e) {
          failures.add(who + "threw: " + e.what());
        }
      }
      ++finished;
    });
  }

  // Reloads for as long as the clients run: each one starts while they do.
  HttpClient admin(server.port());
  int reloads = 0;
  int refused_reloads = 0;
  while (finished < kClients) {
    auto reply = admin.post_json("/admin/reload", "{}");
    (reply && reply->status == 200 ? reloads : refused_reloads) += 1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (auto& client : clients)
    client.join();

  INFO(failures.notes());
  CHECK(failures.count() == 0);
  CHECK(answered == kClients * kRounds * kRequestsPerRound);
  INFO(reloads << " reloads while the clients ran");
  CHECK(reloads >= 1);
  CHECK(refused_reloads == 0);
}
