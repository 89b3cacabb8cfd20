// engine/response_catalog.h: loading responses/ against the intents, variant selection and caveats, on the
// test catalog in tests/fixtures/mini.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <string>

#include "engine/catalog_error.h"
#include "engine/intent_catalog.h"
#include "engine/response_catalog.h"
#include "test_support.h"

using namespace crampbot;
using crampbot::test::contains;
using crampbot::test::fixture;

namespace {

struct Catalogs {
  IntentCatalog intents = IntentCatalog::load(fixture("mini") / "intents");
  ResponseCatalog responses = ResponseCatalog::load(fixture("mini") / "responses", intents);
};

const Catalogs& mini() {
  static const Catalogs c;
  return c;
}

}  // namespace

TEST_CASE("every answering intent has responses - follow-up intents have none", "[responses]") {
  const auto& all = mini().responses.all();
  for (const auto& intent : mini().intents.intents) {
    CAPTURE(intent.name);
    if (intent.context_action == ContextAction::follow_up) {
      CHECK(all.count(intent.name) == 0);
    } else {
      REQUIRE(all.count(intent.name) == 1);
      CHECK(mini().responses.of(intent.name).intent == intent.name);
      CHECK(mini().responses.of(intent.name).replies.count(kDefaultReplyKey) == 1);
    }
  }
  CHECK(all.count(kFallbackIntent) == 1);
  CHECK(all.size() == mini().intents.intents.size() - 1);  // all but follow_up
}

TEST_CASE("the common disclaimer and caveat are loaded", "[responses]") {
  CHECK(mini().responses.disclaimer() == "MINI DISCLAIMER: general information only, not medical advice.");
  CHECK(mini().responses.spoken_disclaimer() == "MINI SPOKEN DISCLAIMER: not medical advice.");
  CHECK(mini().responses.default_caveat() == "MINI COMMON CAVEAT: ask a doctor.");
}

TEST_CASE("variants: the slot value's replies, else default", "[responses]") {
  const auto& r = mini().responses;
  const auto& potassium = r.variants("food_sources", {{"nutrient", "potassium"}});
  REQUIRE(potassium.size() == 1);
  CHECK(contains(potassium[0].text, "FOOD Potassium"));
  CHECK(potassium[0].title == "Potassium foods");

  const auto& fallback_to_default = r.variants("food_sources", {});
  REQUIRE(fallback_to_default.size() == 1);
  CHECK(fallback_to_default[0].text == "Many foods help; ask about a nutrient.");
  CHECK(r.variants("food_sources", {{"nutrient", "zinc"}})[0].text == fallback_to_default[0].text);
  CHECK(r.variants("causes", {}).size() == 2);
  CHECK(r.variants("nutrient_role", {{"nutrient", "magnesium"}}).size() == 2);
}

TEST_CASE("variant fields are loaded - voice defaults to text", "[responses]") {
  const auto& r = mini().responses;
  const auto& food_default = r.variants("food_sources", {})[0];
  CHECK(food_default.voice == "Ask about a nutrient.");
  CHECK(food_default.speech() == "Ask about a nutrient.");
  CHECK(food_default.reprompt == "Which nutrient?");
  CHECK(food_default.suggestions == std::vector<std::string>{"what foods have magnesium"});

  const auto& magnesium = r.variants("food_sources", {{"nutrient", "magnesium"}})[0];
  CHECK(magnesium.voice.empty());
  CHECK(magnesium.speech() == magnesium.text);
  CHECK(magnesium.more == "FOOD MORE Magnesium: variety matters.");
  CHECK(magnesium.suggestions.size() == 2);
}

TEST_CASE("a voice of exactly the maximum length, with its caveat, is accepted", "[responses]") {
  const auto& role = mini().responses.of("nutrient_role");
  const auto& role_default = role.replies.at(kDefaultReplyKey)[0];
  CHECK(role_default.voice.size() + 1 + mini().responses.caveat_for(role, role_default).size() ==
        kMaxVoiceChars);
}

TEST_CASE("without a spoken disclaimer, the full one is spoken", "[responses]") {
  const IntentCatalog intents = IntentCatalog::load(fixture("tiny") / "intents");
  const ResponseCatalog tiny = ResponseCatalog::load(fixture("tiny") / "responses", intents);
  CHECK(tiny.spoken_disclaimer() == tiny.disclaimer());
}

TEST_CASE("a helper intent answered as another may have replies of its own", "[responses]") {
  const auto* tonic = mini().intents.find("tonic");
  REQUIRE(tonic != nullptr);
  CHECK(tonic->answer_as == "nutrient_role");
  CHECK(public_name(*tonic) == "nutrient_role");
  REQUIRE(mini().responses.all().count("tonic") == 1);
  CHECK(mini().responses.of("tonic").caveat == "TONIC CAVEAT: a warning.");
}

TEST_CASE("caveat_for: the variant's own, else the intent's, else the common one", "[responses]") {
  const auto& r = mini().responses;
  const auto& causes = r.of("causes");
  CHECK(causes.caveat == "CAUSES CAVEAT: a doctor can look for a cause.");
  CHECK(r.caveat_for(causes, causes.replies.at("default")[0]) ==
        "CAUSES CAVEAT: a doctor can look for a cause.");
  CHECK(r.caveat_for(causes, causes.replies.at("default")[1]) == "CAUSES VARIANT CAVEAT.");
  const auto& bye = r.of("bye");
  CHECK(bye.caveat.empty());
  CHECK(r.caveat_for(bye, bye.replies.at("default")[0]) == "MINI COMMON CAVEAT: ask a doctor.");
}

TEST_CASE("each response records the file it came from", "[responses]") {
  const auto& causes = mini().responses.of("causes");
  CHECK(causes.file.filename() == "causes.json");
}

TEST_CASE("loading from a directory that does not exist throws CatalogError naming it", "[responses]") {
  try {
    ResponseCatalog::load(fixture("mini") / "no_such_dir", mini().intents);
    FAIL("no exception");
  } catch (const CatalogError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("no_such_dir"));
  }
}

// The header and docs state the voice limit in characters ("at most 600 characters"): a reply in a
// language with accents must not be refused for its byte count. 400 × "é" is 400 characters, 800 bytes.
TEST_CASE("the voice limit counts characters, not UTF-8 bytes", "[responses]") {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("crampbot_tests_voice_chars_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy(fixture("tiny") / "responses", dir);
  std::string voice;
  for (int i = 0; i < 400; ++i)
    voice += "\xC3\xA9";
  nlohmann::json hello = load_json_file(dir / "hello.json");
  hello["replies"]["default"][0]["voice"] = voice;
  std::ofstream(dir / "hello.json") << hello.dump(2);
  const IntentCatalog intents = IntentCatalog::load(fixture("tiny") / "intents");
  CHECK_NOTHROW(ResponseCatalog::load(dir, intents));
  fs::remove_all(dir);
}
