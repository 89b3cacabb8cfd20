// Golden fixtures: tests/fixtures/alexa/NAME.request.json answered on the real catalog (verification off)
// must equal NAME.response.json, compared as JSON values. After a deliberate catalog or mapping change,
// regenerate with CRAMPBOT_UPDATE_GOLDEN=1 and review the diff.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "alexa_test_support.h"
#include "channels/alexa/alexa_channel.h"
#include "engine/ssml.h"
#include "test_support.h"

using namespace crampbot;
using namespace crampbot::alexa;
using nlohmann::json;

namespace {

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  INFO(file.string());
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("golden: Alexa request/response fixtures", "[alexa][golden]") {
  const char* names[] = {
      "launch",        "intent_resolved_slot", "intent_unresolved_synonym", "catch_all_ask", "stop",
      "session_ended", "unknown_type",         "follow_up_in_session"};
  AlexaSettings settings;
  settings.verify = false;
  const AlexaChannel channel(settings, nullptr, nullptr);
  const bool update = std::getenv("CRAMPBOT_UPDATE_GOLDEN") != nullptr;
  const auto dir = crampbot::test::fixture("alexa");

  for (const char* name : names) {
    INFO(name);
    const std::string body = read_file(dir / (std::string(name) + ".request.json"));
    const AlexaHttpRequest request{body, "", "", std::chrono::system_clock::now()};
    const ChannelOutcome outcome =
        crampbot::alexa::test::run_sync(channel.handle(crampbot::test::real_english_engines(), request));
    REQUIRE(outcome.status == 200);
    const json actual = json::parse(outcome.body);
    const auto expected_file = dir / (std::string(name) + ".response.json");
    if (update) {
      std::ofstream(expected_file) << actual.dump(2) << "\n";
      continue;
    }
    const json expected = json::parse(read_file(expected_file));
    INFO("diff (expected → actual): " << json::diff(expected, actual).dump());
    CHECK(actual == expected);
    if (actual["response"].contains("outputSpeech")) {
      CHECK(is_well_formed_ssml(actual["response"]["outputSpeech"]["ssml"].get<std::string>()));
    }
  }
}
