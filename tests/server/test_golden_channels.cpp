// Golden request/response pairs per platform, over real HTTP:
// tests/fixtures/golden/<channel>/<name>.request.json is posted to the channel's path and the reply must
// equal <name>.response.json ({"status", "body"}). After a deliberate change of content or format, regenerate
// with CRAMPBOT_UPDATE_GOLDEN=1 and review the diff.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/http_client.h"
#include "test_server.h"
#include "test_support.h"

using namespace crampbot;
using namespace crampbot::test;

namespace {

std::string path_for(const std::string& channel) {
  if (channel == "chat") return "/v1/chat";
  if (channel == "rasa") return "/webhooks/rest/webhook";
  return "/" + channel;
}

nlohmann::json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("every channel answers its golden requests exactly", "[golden]") {
  TestServer server;
  HttpClient client(server.port());
  const bool update = std::getenv("CRAMPBOT_UPDATE_GOLDEN") != nullptr;
  const auto root = fixture("golden");
  int pairs = 0;
  for (const auto& channel_dir : std::filesystem::directory_iterator(root)) {
    const std::string channel = channel_dir.path().filename();
    for (const auto& entry : std::filesystem::directory_iterator(channel_dir)) {
      const std::string name = entry.path().filename();
      if (!name.ends_with(".request.json")) continue;
      const auto stem = name.substr(0, name.size() - std::string(".request.json").size());
      const auto expected_file = channel_dir.path() / (stem + ".response.json");
      INFO(channel + "/" + stem);
      const nlohmann::json request = read_json(entry.path());
      auto reply = client.post_json(path_for(channel), request.dump());
      REQUIRE(reply);
      nlohmann::json body = nlohmann::json::parse(reply->body);
      if (channel == "chat") body.erase("session");  // sealed with the time: never the same twice
      const nlohmann::json actual = {{"status", reply->status}, {"body", body}};
      if (update) {
        std::ofstream(expected_file) << actual.dump(2) << "\n";
      } else {
        REQUIRE(std::filesystem::exists(expected_file));
        const nlohmann::json expected = read_json(expected_file);
        CHECK(actual.dump(2) == expected.dump(2));
      }
      ++pairs;
    }
  }
  CHECK(pairs >= 9);
}

// The Alexa channel's golden envelopes (tests/fixtures/alexa, shared with the channel's own tests) over HTTP,
// with verification off as a developer runs it locally: the server must answer exactly what the channel does.
TEST_CASE("the Alexa golden envelopes are answered the same over HTTP", "[golden]") {
  auto config = test_config();
  config.alexa.verify = false;
  config.alexa.skill_ids = {"amzn1.ask.skill.00000000-0000-0000-0000-000000000001"};
  TestServer server(config);
  HttpClient client(server.port());
  int pairs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(fixture("alexa"))) {
    const std::string name = entry.path().filename();
    if (!name.ends_with(".request.json")) continue;
    const auto stem = name.substr(0, name.size() - std::string(".request.json").size());
    INFO("alexa/" + stem);
    auto reply = client.post_json("/alexa", read_json(entry.path()).dump());
    REQUIRE(reply);
    CHECK(reply->status == 200);
    const nlohmann::json expected = read_json(entry.path().parent_path() / (stem + ".response.json"));
    CHECK(nlohmann::json::parse(reply->body).dump(2) == expected.dump(2));
    ++pairs;
  }
  CHECK(pairs >= 8);
}
