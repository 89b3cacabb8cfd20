// Conversation tests (crampbot test) on the real catalog: reading YAML files and refusing malformed ones with
// file, line and key; every expectation key passing and failing with its diff; what each channel shows and
// says; the invariants every turn keeps; the report and its JUnit form.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "authoring/channel_driver.h"
#include "authoring/conversation_runner.h"
#include "authoring/conversation_spec.h"
#include "authoring/junit_report.h"
#include "authoring/reply_invariants.h"
#include "test_support.h"

using namespace crampbot;
using namespace crampbot::authoring;
namespace fs = std::filesystem;

namespace {

// A file of its own for each YAML text, removed at the end of the test.
class YamlFile {
 public:
  explicit YamlFile(const std::string& text) {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() / ("crampbot-conversation-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(counter++) + ".yaml");
    std::ofstream(path_) << text;
  }
  ~YamlFile() { fs::remove(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

const std::vector<std::string> kPlatformChannels = {"chat", "alexa", "dialogflow", "dialogflow-cx", "rasa"};

const CaveatSet& caveats() {
  static const CaveatSet set(test::real_engine().responses());
  return set;
}

// Runs the one conversation of `yaml` on `channels`.
ConversationResult run_yaml(const std::string& yaml, const std::vector<std::string>& channels = {"engine"}) {
  const YamlFile file(yaml);
  const auto conversations = load_conversation_file(file.path());
  REQUIRE(conversations.size() == 1);
  return run_conversation(test::real_english_engines(), "", conversations.front(), channels, caveats());
}

// One turn saying `say`, expecting `expect` (a YAML flow mapping).
std::string one_turn(const std::string& say, const std::string& expect) {
  return "- name: one turn\n  turns:\n    - say: \"" + say + "\"\n      expect: " + expect + "\n";
}

std::string load_error(const std::string& yaml) {
  const YamlFile file(yaml);
  try {
    load_conversation_file(file.path());
  } catch (const ConversationFileError& e) {
    const std::string what = e.what();
    // The message starts with the file's path; tests compare what follows it.
    REQUIRE(what.rfind(file.path().string(), 0) == 0);
    return what.substr(file.path().string().size());
  }
  FAIL("the file was accepted");
  return {};
}

}  // namespace

TEST_CASE("conversation files: turns, expectations and channels are read", "[authoring]") {
  const YamlFile file(R"(# a comment
- name: first
  turns:
    - say: tell me about magnesium
      expect:
        intent: nutrient_role
        slots: {nutrient: magnesium}
        urgent: false
        text_contains: nuts
        text_excludes: [mg, quinine]
        suggestions_include: ["What foods have magnesium?"]
        candidates: [hydration, nutrient_role]
        source: article
- name: second
  channels: [alexa, dialogflow]
  turns:
    - intent: food_sources
      slots: {nutrient: "b twelve"}
      expect: {end: false, title: "Food", refused: false}
)");
  const auto conversations = load_conversation_file(file.path());
  REQUIRE(conversations.size() == 2);
  const ConversationSpec& first = conversations[0];
  CHECK(first.name == "first");
  CHECK(first.line == 2);
  REQUIRE(first.turns.size() == 1);
  const TurnSpec& turn = first.turns[0];
  CHECK(turn.line == 4);
  CHECK(turn.say == "tell me about magnesium");
  CHECK(turn.expect.intent == "nutrient_role");
  CHECK(turn.expect.slots == SlotMap{{"nutrient", "magnesium"}});
  CHECK(turn.expect.urgent == false);
  CHECK(turn.expect.text_contains == std::vector<std::string>{"nuts"});
  CHECK(turn.expect.text_excludes == std::vector<std::string>{"mg", "quinine"});
  CHECK(turn.expect.suggestions_include == std::vector<std::string>{"What foods have magnesium?"});
  CHECK(turn.expect.candidates == std::vector<std::string>{"hydration", "nutrient_role"});
  CHECK(turn.expect.sources == std::vector<std::string>{"article"});
  const ConversationSpec& second = conversations[1];
  CHECK(second.channels == std::vector<std::string>{"alexa", "dialogflow"});
  CHECK(second.turns[0].intent == "food_sources");
  CHECK(second.turns[0].slots.at("nutrient") == "b twelve");
  CHECK(second.turns[0].expect.title == "Food");
  CHECK(second.turns[0].expect.refused == false);
}

TEST_CASE("conversation files: a malformed file names its line and key", "[authoring]") {
  const std::string turn = "- name: x\n  turns:\n    - say: hi\n";
  CHECK(load_error(turn + "      expect: {intent: welcome, urgnt: false}\n")
            .starts_with(":4: unknown key 'urgnt'"));
  CHECK(load_error(turn + "      expect: {urgent: maybe}\n") == ":4: 'urgent' must be true or false");
  CHECK(load_error(turn + "      expect: {text_contains: {a: b}}\n") ==
        ":4: 'text_contains' must be a string or a list of strings");
  CHECK(load_error(turn + "      expect: {slots: [a]}\n") ==
        ":4: 'slots' must be a mapping of names to values");
  CHECK(load_error(turn + "      expect: {intent: [a]}\n") == ":4: 'intent' must be a string");
  CHECK(load_error(turn + "      expect: {intent: a, intent: b}\n") ==
        ":4: 'intent' appears twice in expect");
  CHECK(load_error(turn) == ":3: a turn needs 'expect'");
  CHECK(load_error(turn + "      intent: welcome\n      expect: {}\n")
            .starts_with(":3: a turn needs exactly one of 'say'"));
  CHECK(load_error("- name: x\n  turns:\n    - say: hi\n      slots: {a: b}\n      expect: {}\n") ==
        ":3: 'slots' goes with 'intent', not with 'say'");
  CHECK(load_error("- name: x\n  turns:\n    - say: [hi\n").starts_with(":4: not valid YAML"));
  CHECK(load_error("name: x\n") == ":1: the file must be a list of conversations (\"- name: ...\")");
  CHECK(load_error("") == ": is empty: it must be a list of conversations");
  CHECK(load_error("- turns:\n    - say: hi\n      expect: {}\n") == ":1: a conversation needs a 'name'");
  CHECK(load_error("- name: x\n") == ":1: a conversation needs 'turns'");
  CHECK(load_error("- name: x\n  turns: []\n") == ":2: 'turns' must be a list of one or more turns");
  CHECK(load_error("- name: x\n  channels: [fax]\n  turns:\n    - say: hi\n      expect: {}\n") ==
        ":2: unknown channel 'fax' in 'channels'");
  CHECK(load_error(turn + "      expect: {}\n" + turn + "      expect: {}\n") ==
        ":5: a second conversation named 'x'");
  CHECK(load_error("- name: x\n  colour: red\n").starts_with(":2: unknown key 'colour' in a conversation"));
}

TEST_CASE("conversation files: folders are searched for YAML files in order", "[authoring]") {
  const fs::path folder =
      fs::temp_directory_path() / ("crampbot-conversations-" + std::to_string(::getpid()));
  fs::create_directories(folder / "sub");
  std::ofstream(folder / "b.yaml") << "";
  std::ofstream(folder / "a.yml") << "";
  std::ofstream(folder / "sub" / "c.yaml") << "";
  std::ofstream(folder / "notes.txt") << "";
  const auto files = find_conversation_files({folder});
  fs::remove_all(folder);
  REQUIRE(files.size() == 3);
  CHECK(files[0].filename() == "a.yml");
  CHECK(files[1].filename() == "b.yaml");
  CHECK(files[2].filename() == "c.yaml");
  CHECK_THROWS_AS(find_conversation_files({folder / "gone"}), ConversationFileError);
}

TEST_CASE("expectations: every key passes when met and fails with its diff when not", "[authoring]") {
  struct Case {
    std::string key;
    std::string say;
    std::string met;
    std::string unmet;
    std::string expected;  // in the diff
    std::string actual;    // a part of the diff's actual
  };
  const std::vector<Case> cases = {
      {"intent", "what foods have magnesium", "{intent: food_sources}", "{intent: causes}", "causes",
       "food_sources"},
      {"slots", "what foods have magnesium", "{slots: {nutrient: magnesium}}", "{slots: {nutrient: calcium}}",
       "{nutrient: calcium}", "{nutrient: magnesium}"},
      {"slots", "what causes leg cramps", "{slots: {}}", "{slots: {nutrient: calcium}}",
       "{nutrient: calcium}", "{}"},
      {"urgent", "my calf is swollen red and hot", "{urgent: true}", "{urgent: false}", "false", "true"},
      {"end", "bye", "{end: true}", "{end: false}", "false", "true"},
      {"refused", "what foods have magnesium", "{refused: false}", "{refused: true}", "refused",
       "answered as food_sources"},
      {"text_contains", "what foods have magnesium", "{text_contains: [nuts]}",
       "{text_contains: [nuts, chocolate cake]}", "contains \"chocolate cake\"", "nuts"},
      {"text_excludes", "what foods have magnesium", "{text_excludes: [quinine]}", "{text_excludes: [nuts]}",
       "does not contain \"nuts\"", "nuts"},
      {"speech_contains", "what foods have magnesium", "{speech_contains: [nuts]}",
       "{speech_contains: [\"<speak>\"]}", "contains \"<speak>\"", "nuts"},
      {"speech_excludes", "what foods have magnesium", "{speech_excludes: [\"<speak>\"]}",
       "{speech_excludes: [nuts]}", "does not contain \"nuts\"", "nuts"},
      {"title", "what foods have magnesium", "", "{title: \"Not the title\"}", "\"Not the title\"",
       "\"Foods with magnesium\""},
      {"suggestions_include", "what foods have magnesium", "", "{suggestions_include: [\"Sing me a song\"]}",
       "\"Sing me a song\"", "What does magnesium do?"},
      {"source", "what foods have magnesium",
       "{source: [article, \"NIH Office of Dietary Supplements: fact sheets\"]}",
       "{source: [article, fda_quinine]}", "\"fda_quinine\"", "NIH Office of Dietary Supplements"},
      {"candidates", "water or magnesium for cramps?", "{candidates: [hydration, nutrient_role]}",
       "{candidates: [nutrient_role, hydration]}", "[nutrient_role, hydration]",
       "[hydration, nutrient_role]"},
  };
  for (const auto& c : cases) {
    INFO(c.key << " on \"" << c.say << "\"");
    if (!c.met.empty()) {
      const ConversationResult met = run_yaml(one_turn(c.say, c.met));
      INFO(format_result(met));
      CHECK(met.passed());
    }
    const ConversationResult unmet = run_yaml(one_turn(c.say, c.unmet));
    INFO(format_result(unmet));
    REQUIRE_FALSE(unmet.passed());
    REQUIRE(unmet.failures.size() == 1);
    const TurnFailure& failure = unmet.failures.front();
    CHECK(failure.line == 3);
    CHECK(failure.turn == 1);
    CHECK(failure.channel == "engine");
    REQUIRE_FALSE(failure.unmet.empty());
    CHECK(failure.unmet.back().key == c.key);
    CHECK(failure.unmet.back().expected == c.expected);
    CHECK(test::contains(failure.unmet.back().actual, c.actual));
  }
}

TEST_CASE("expectations: the title and suggestions of a reply pass when named exactly", "[authoring]") {
  const auto& engine = test::real_engine();
  const auto reply = std::get<Reply>(engine.respond("what foods have magnesium", {}));
  REQUIRE_FALSE(reply.title.empty());
  REQUIRE_FALSE(reply.suggestions.empty());
  const ConversationResult result = run_yaml(one_turn(
      "what foods have magnesium",
      "{title: \"" + reply.title + "\", suggestions_include: [\"" + reply.suggestions.front() + "\"]}"));
  INFO(format_result(result));
  CHECK(result.passed());
}

TEST_CASE("expectations: a refused utterance is a refusal on chat and Rasa, an answer on voice platforms",
          "[authoring]") {
  const std::string yaml = one_turn("   ", "{refused: true}");
  for (const auto& channel : std::vector<std::string>{"engine", "chat", "rasa"}) {
    const ConversationResult result = run_yaml(yaml, {channel});
    INFO(channel << "\n" << format_result(result));
    CHECK(result.passed());
  }
  // Alexa and Dialogflow always send words and get an answer; a refusal cannot be asked of them.
  for (const auto& channel : std::vector<std::string>{"alexa", "dialogflow", "dialogflow-cx"}) {
    const ConversationResult result =
        run_yaml(one_turn("   ", "{refused: true, intent: fallback}"), {channel});
    INFO(channel << "\n" << format_result(result));
    CHECK(result.passed());
  }
  // Expecting an answer where the turn is refused fails on `refused` alone.
  const ConversationResult refused =
      run_yaml(one_turn("   ", "{intent: fallback, text_contains: x}"), {"chat"});
  REQUIRE(refused.failures.size() == 1);
  REQUIRE(refused.failures[0].unmet.size() == 1);
  CHECK(refused.failures[0].unmet[0].key == "refused");
  CHECK(test::contains(refused.failures[0].unmet[0].actual, "refused (status 400"));
}

TEST_CASE("channels: each platform's rendering is what the expectations see", "[authoring]") {
  const auto& engine = test::real_engine();
  const Reply reply = std::get<Reply>(engine.respond("what foods have magnesium", {}));
  for (const auto& channel : kPlatformChannels) {
    INFO(channel);
    auto driver = make_channel_driver(channel, test::real_english_engines());
    REQUIRE(driver);
    const ObservedTurn turn = driver->say("what foods have magnesium");
    CHECK_FALSE(turn.refused);
    CHECK(turn.intent == "food_sources");
    CHECK(turn.slots == SlotMap{{"nutrient", "magnesium"}});
    CHECK(broken_invariants(turn, caveats()).empty());
    // Every channel knows the sources; the chat API sends them as links, the others show them as text.
    REQUIRE(turn.sources.size() == reply.sources.size());
    CHECK(turn.sources[0] == reply.sources[0].title);
    if (channel != "chat") CHECK(test::contains(turn.shown, "Sources: " + reply.sources[0].title));
    if (channel == "alexa") {
      // Alexa shows a card and speaks SSML; it has no quick replies.
      CHECK(turn.title == reply.title);
      CHECK(turn.ssml == reply.ssml);
      CHECK_FALSE(turn.suggestions.has_value());
      CHECK(turn.shown == shown_text(reply));
    } else if (channel == "chat") {
      CHECK(turn.shown == reply.text);
      CHECK(turn.ssml == reply.ssml);
      CHECK(turn.title == reply.title);
      CHECK(turn.suggestions == reply.suggestions);
    } else if (channel == "rasa") {
      // A chat widget: text (the sources named in it) and buttons, nothing spoken, no card.
      CHECK(turn.shown == shown_text(reply));
      CHECK(turn.suggestions == reply.suggestions);
      CHECK_FALSE(turn.spoken.has_value());
      CHECK_FALSE(turn.title.has_value());
    } else {
      // Dialogflow speaks its text as written (the sources named in it) and shows quick replies or chips.
      CHECK(turn.shown == shown_text(reply));
      CHECK(turn.spoken.has_value());
      CHECK_FALSE(turn.ssml.has_value());
      CHECK(turn.suggestions == reply.suggestions);
    }
    // The channel's own state carries the nutrient to the next turn.
    const ObservedTurn next = driver->say("which foods have it");
    CHECK(next.slots == SlotMap{{"nutrient", "magnesium"}});
    // Goodbye ends the conversation where a platform can say so.
    const ObservedTurn bye = driver->say("goodbye");
    CHECK(bye.intent == "goodbye");
    if (channel == "rasa") {
      CHECK_FALSE(bye.end.has_value());
    } else {
      CHECK(bye.end == true);
    }
  }
}

TEST_CASE("channels: a platform's intent and slots, as Alexa and Dialogflow send them", "[authoring]") {
  const std::string yaml = R"(- name: platform intents
  turns:
    - intent: food_sources
      slots: {nutrient: "b twelve"}
      expect: {intent: food_sources, slots: {nutrient: vitamin_b12}}
    - intent: more
      expect: {intent: more}
    - intent: goodbye
      expect: {intent: goodbye, end: true}
)";
  for (const auto& channel : std::vector<std::string>{"engine", "alexa", "dialogflow", "dialogflow-cx"}) {
    const ConversationResult result = run_yaml(yaml, {channel});
    INFO(channel << "\n" << format_result(result));
    CHECK(result.passed());
  }
  // Chat and Rasa have no NLU of their own to send an intent: the conversation does not run there.
  const ConversationResult result = run_yaml(yaml, {"chat", "rasa"});
  CHECK_FALSE(result.ran());
  CHECK(result.skipped.size() == 2);
  CHECK(test::contains(format_result(result), "skip  platform intents"));
}

TEST_CASE("runner: a failure stops that channel's conversation and is reported once for all channels",
          "[authoring]") {
  const std::string yaml = R"(- name: stops at the first failing turn
  turns:
    - say: what foods have magnesium
      expect: {intent: causes}
    - say: goodbye
      expect: {intent: welcome}
)";
  const ConversationResult result = run_yaml(yaml, kPlatformChannels);
  REQUIRE(result.failures.size() == kPlatformChannels.size());
  for (const auto& failure : result.failures)
    CHECK(failure.turn == 1);
  const std::string report = format_result(result);
  INFO(report);
  CHECK(report.starts_with("FAIL  stops at the first failing turn  ("));
  CHECK(test::contains(report,
                       ":3: turn 1 on [chat, alexa, dialogflow, dialogflow-cx, rasa]: say: \"what foods "
                       "have magnesium\"\n"));
  CHECK(test::contains(report,
                       "        intent\n          expected: causes\n          actual:   food_sources\n"));
  // Once, not once per channel.
  CHECK(report.find("expected: causes") == report.rfind("expected: causes"));
}

TEST_CASE("invariants: a reply without its caveat, broken SSML or too long a speech is reported",
          "[authoring]") {
  const Reply reply = std::get<Reply>(test::real_engine().respond("what foods have magnesium", {}));
  auto driver = make_channel_driver("engine", test::real_english_engines());
  ObservedTurn turn = driver->say("what foods have magnesium");
  REQUIRE(broken_invariants(turn, caveats()).empty());

  ObservedTurn no_caveat = turn;
  no_caveat.shown = "Nuts and seeds.";
  CHECK(broken_invariants(no_caveat, caveats()) ==
        std::vector<std::string>{"what is shown does not end with a caveat"});

  ObservedTurn caveat_not_last = turn;
  caveat_not_last.spoken = *turn.spoken + " And one more thing.";
  CHECK(broken_invariants(caveat_not_last, caveats()) ==
        std::vector<std::string>{"what is spoken does not end with a caveat"});

  ObservedTurn bad_ssml = turn;
  bad_ssml.ssml = "<speak>nuts <break></speak>";
  CHECK(broken_invariants(bad_ssml, caveats()) == std::vector<std::string>{"the SSML is not well-formed"});

  ObservedTurn long_speech = turn;
  long_speech.spoken = std::string(kMaxVoiceChars, 'a') + " " + *turn.spoken;
  const auto broken = broken_invariants(long_speech, caveats());
  REQUIRE(broken.size() == 1);
  CHECK(broken[0].starts_with("speaks "));

  ObservedTurn platform = turn;
  platform.platform_problems = {"the card over Alexa's 8,000 characters"};
  CHECK(broken_invariants(platform, caveats()) == platform.platform_problems);

  ObservedTurn refused;
  refused.refused = true;
  CHECK(broken_invariants(refused, caveats()).empty());
}

TEST_CASE("JUnit: one testcase per conversation, failures with their diff, skips, XML-safe text",
          "[authoring]") {
  const YamlFile file(R"(- name: passes
  turns:
    - say: what foods have magnesium
      expect: {intent: food_sources}
- name: "fails <&> \u0001"
  turns:
    - say: what foods have magnesium
      expect: {intent: causes}
- name: platform only
  channels: [alexa]
  turns:
    - intent: help
      expect: {intent: help}
)");
  std::vector<ConversationResult> results;
  for (const auto& conversation : load_conversation_file(file.path()))
    results.push_back(
        run_conversation(test::real_english_engines(), "", conversation, {"engine"}, caveats()));
  const std::string xml = junit_xml(results);
  INFO(xml);
  CHECK(
      xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"crampbot test\" "
                      "tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""));
  CHECK(test::contains(xml, "<testcase name=\"passes\" classname=\"" + file.path().string() + "\""));
  CHECK(test::contains(xml, "name=\"fails &lt;&amp;&gt; ?\""));
  CHECK(test::contains(
      xml, "<failure type=\"expectation\" message=\"turn 1 on engine: intent not as expected\">"));
  CHECK(test::contains(xml, "expected: causes"));
  CHECK(test::contains(xml, "<skipped message=\"not run: engine (not in its channels)\"/>"));
  CHECK(xml.find('\x01') == std::string::npos);
}

TEST_CASE("conversation files: an intent the catalog does not have is a file error, not a failing test",
          "[authoring]") {
  const auto names_error = [](const std::string& yaml) -> std::string {
    const YamlFile file(yaml);
    const auto conversations = load_conversation_file(file.path());
    try {
      for (const auto& conversation : conversations)
        check_intent_names(conversation, test::real_engine().intents());
    } catch (const ConversationFileError& e) {
      return std::string(e.what()).substr(file.path().string().size());
    }
    return "accepted";
  };
  CHECK(names_error(one_turn("hi", "{intent: food_source}")) ==
        ":3: 'expect.intent': no intent named 'food_source'");
  CHECK(names_error(one_turn("hi", "{candidates: [hydration, nutrients]}")) ==
        ":3: 'expect.candidates': no intent named 'nutrients'");
  CHECK(names_error("- name: x\n  turns:\n    - intent: food\n      expect: {}\n") ==
        ":3: 'intent': no intent named 'food'");
  // Alexa's own names are sent as they are.
  CHECK(names_error(
            "- name: x\n  turns:\n    - intent: AMAZON.StopIntent\n      expect: {intent: goodbye}\n") ==
        "accepted");
}
