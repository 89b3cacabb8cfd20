// engine/engine.h: the whole pipeline. The first part runs on the REAL catalog (config/crampbot.json) and
// checks invariants that must hold whatever the content: every reply carries its caveat, red flags win, bad
// input is an InputError and never an exception, replies are deterministic. The second part pins the context
// mechanics (follow-up, more, repeat, memory, variants) on the small test catalog in tests/fixtures/mini, so
// that a failure there is about the engine and not about catalog tuning.
#include <catch2/catch.hpp>

#include <tuple>

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "engine/ssml.h"
#include "test_support.h"

using namespace crampbot;
using crampbot::test::contains;
using crampbot::test::mini_engine;
using crampbot::test::real_engine;

namespace {

Reply ask(const Engine& engine, std::string_view text, const DialogueContext& context = {}) {
  std::variant<Reply, InputError> outcome;
  REQUIRE_NOTHROW(outcome = engine.respond(text, context));
  if (const auto* error = std::get_if<InputError>(&outcome)) {
    FAIL("\"" << text << "\" was refused: " << describe(*error));
  }
  return std::get<Reply>(outcome);
}

InputError refused(const Engine& engine, std::string_view text) {
  std::variant<Reply, InputError> outcome;
  REQUIRE_NOTHROW(outcome = engine.respond(text, {}));
  REQUIRE(std::holds_alternative<InputError>(outcome));
  return std::get<InputError>(outcome);
}

// What every reply must satisfy, whatever the intent.
void check_reply_invariants(const Engine& engine, const Reply& reply) {
  CAPTURE(reply.intent, reply.text);
  CHECK_FALSE(reply.caveat.empty());
  CHECK(contains(reply.text, reply.caveat));
  CHECK(reply.text.size() > reply.caveat.size());  // there is an answer besides the caveat
  CHECK(is_well_formed_ssml(reply.ssml));
  CHECK(reply.ssml.size() <= 8000);
  const IntentDefinition* definition = engine.intents().find(reply.context.intent);
  REQUIRE(definition != nullptr);
  // The SSML speaks the caveat; for welcome, help and about, the spoken form of the full disclaimer.
  CHECK(contains(reply.ssml, escape_xml(definition->full_disclaimer ? engine.responses().spoken_disclaimer()
                                                                    : reply.caveat)));
  CHECK_FALSE(reply.title.empty());
  CHECK(engine.intents().find(reply.intent) != nullptr);
  if (reply.end) CHECK(reply.reprompt.empty());
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// The real catalog

TEST_CASE("caveat invariant: every intent, every reply key, every variant", "[engine][real]") {
  const Engine& engine = real_engine();
  std::size_t checked = 0;
  for (const auto& [name, responses] : engine.responses().all()) {
    const IntentDefinition* intent = engine.intents().find(name);
    REQUIRE(intent != nullptr);
    for (const auto& [key, variants] : responses.replies) {
      SlotMap slots;
      if (key != kDefaultReplyKey) {
        REQUIRE_FALSE(intent->slots.empty());
        slots[intent->slots.begin()->first] = key;
      }
      for (std::size_t v = 0; v < variants.size(); ++v) {
        CAPTURE(name, key, v);
        DialogueContext context;
        context.turn = static_cast<int>(v);
        if (name == kClarifyIntent) {
          // No platform can ask for a clarifying question: it is the matcher's, composed with its offers.
          CHECK(engine.respond_to_intent(name, slots, context).intent == kFallbackIntent);
          const std::vector<IntentChoice> offers = {
              {static_cast<std::size_t>(engine.intents().find("causes") - engine.intents().intents.data()),
               "causes",
               {}},
              {static_cast<std::size_t>(engine.intents().find("night_cramps") -
                                        engine.intents().intents.data()),
               "night_cramps",
               {}}};
          const Reply reply = engine.clarify(offers, context);
          ++checked;
          const std::string& text = variants[v].text;
          CHECK(reply.intent == kClarifyIntent);
          CHECK(reply.title == variants[v].title);
          CHECK(reply.text.rfind(text.substr(0, text.find(kChoicesPlaceholder)), 0) == 0);
          CHECK(reply.text.find(kChoicesPlaceholder) == std::string::npos);
          CHECK(reply.ssml.find(kChoicesPlaceholder) == std::string::npos);
          CHECK(reply.reprompt.find(kChoicesPlaceholder) == std::string::npos);
          REQUIRE(reply.candidates.size() == 2);
          CHECK(reply.candidates[0].intent == "causes");
          CHECK(reply.suggestions.size() == 2);
          CHECK(reply.caveat == engine.responses().caveat_for(responses, variants[v]));
          check_reply_invariants(engine, reply);
          continue;
        }
        const Reply reply = engine.respond_to_intent(name, slots, context);
        ++checked;
        CHECK(reply.intent == public_name(*intent));  // a helper answers under its public intent's name
        CHECK(reply.context.intent == name);
        CHECK(reply.slots == slots);
        CHECK(reply.context.variant == static_cast<int>(v));
        CHECK(reply.text.rfind(variants[v].text, 0) == 0);  // the variant the turn selects
        CHECK(reply.title == variants[v].title);
        check_reply_invariants(engine, reply);
        if (intent->full_disclaimer) {
          CHECK(reply.caveat == engine.responses().disclaimer());
        } else {
          CHECK(reply.caveat == engine.responses().caveat_for(responses, variants[v]));
        }
        CHECK(reply.urgent == intent->urgent);
        CHECK(reply.end == intent->ends_conversation);
      }
    }
  }
  CHECK(checked >= engine.responses().all().size());
}

TEST_CASE("welcome, help and about carry the full disclaimer", "[engine][real]") {
  const Engine& engine = real_engine();
  REQUIRE_FALSE(engine.responses().disclaimer().empty());
  for (const char* name : {"welcome", "help", "about"}) {
    CAPTURE(name);
    REQUIRE(engine.intents().find(name) != nullptr);
    const auto& variants = engine.responses().of(name).replies.at(kDefaultReplyKey);
    for (std::size_t v = 0; v < variants.size(); ++v) {
      DialogueContext context;
      context.turn = static_cast<int>(v);
      const Reply reply = engine.respond_to_intent(name, {}, context);
      CHECK(reply.caveat == engine.responses().disclaimer());
      CHECK(contains(reply.text, engine.responses().disclaimer()));
    }
  }
  // And through matching, not only respond_to_intent.
  const Reply hello = ask(engine, "hello");
  CHECK(hello.intent == "welcome");
  CHECK(contains(hello.text, engine.responses().disclaimer()));
}

TEST_CASE("a red flag wins over the question around it", "[engine][real]") {
  const Engine& engine = real_engine();
  for (const char* text : {"what causes leg cramps and my calf is swollen and red",
                           "magnesium for cramps? also my leg is swollen and hot",
                           "which foods have potassium, my calf is red and swollen"}) {
    CAPTURE(text);
    const Reply reply = ask(engine, text);
    CHECK(reply.intent == "urgent_symptoms");
    CHECK(reply.urgent);
    CHECK(is_urgent_decision(reply.match.decision));
    check_reply_invariants(engine, reply);
  }
  // The same question without the red flag is not urgent.
  const Reply calm = ask(engine, "what causes leg cramps");
  CHECK(calm.intent == "causes");
  CHECK_FALSE(calm.urgent);
}

TEST_CASE("voice replies of welcome, help and about stay short and keep the certification line",
          "[engine][real]") {
  const Engine& engine = real_engine();
  // Alexa certification: the launch prompt says it is not a substitute for professional medical advice.
  CHECK(contains(engine.responses().spoken_disclaimer(), "not a substitute for professional medical advice"));
  CHECK(contains(engine.responses().disclaimer(), "not a substitute for professional medical advice"));
  CHECK(engine.responses().spoken_disclaimer().size() < engine.responses().disclaimer().size());
  for (const char* name : {"welcome", "help", "about"}) {
    const auto& variants = engine.responses().of(name).replies.at(kDefaultReplyKey);
    for (std::size_t v = 0; v < variants.size(); ++v) {
      CAPTURE(name, v);
      DialogueContext context;
      context.turn = static_cast<int>(v);
      const Reply reply = engine.respond_to_intent(name, {}, context);
      CHECK(contains(reply.ssml, "not a substitute for professional medical advice"));
      CHECK_FALSE(
          contains(reply.ssml, escape_xml(engine.responses().disclaimer())));  // the full one is for text
      CHECK(contains(reply.text, engine.responses().disclaimer()));
      // Words spoken: the answer and the disclaimer together, well under the 93-102 words said before.
      const std::string spoken = variants[v].speech() + " " + engine.responses().spoken_disclaimer();
      const auto words = std::count(spoken.begin(), spoken.end(), ' ') + 1;
      CHECK(words <= 60);
    }
  }
}

TEST_CASE("quinine, tonic water and salt substitutes get a warning, never encouragement", "[engine][real]") {
  const Engine& engine = real_engine();
  for (const char* text :
       {"is quinine good for cramps", "should i take quinine for my leg cramps", "can I take quinine",
        "does tonic water help cramps", "can I drink tonic water for leg cramps"}) {
    CAPTURE(text);
    const Reply reply = ask(engine, text);
    CHECK(reply.intent == "supplements");
    CHECK(reply.context.intent == "quinine");
    CHECK(contains(reply.text, "not recommended"));
    CHECK_FALSE(reply.urgent);
  }
  for (const char* text :
       {"is salt substitute ok for cramps", "should I use a salt substitute for my cramps"}) {
    CAPTURE(text);
    const Reply reply = ask(engine, text);
    CHECK(reply.intent == "supplements");
    CHECK(reply.context.intent == "salt_substitute");
    CHECK(contains(reply.text, "ACE inhibitors"));
    CHECK(contains(reply.text, "potassium"));
  }
  // A red flag while taking quinine is still urgent.
  CHECK(ask(engine, "I take quinine and have purple spots").intent == "urgent_symptoms");
}

TEST_CASE("\"do I have X?\" is never answered as if diagnosed", "[engine][real]") {
  const Engine& engine = real_engine();
  for (const char* text : {"do i have peripheral artery disease", "do i have poor circulation",
                           "could i have pad", "is my circulation bad"}) {
    CAPTURE(text);
    const Reply reply = ask(engine, text);
    CHECK(reply.intent == "circulation");
    CHECK(reply.text.rfind("I can't tell", 0) == 0);
    CHECK(contains(reply.text, "only a doctor can check"));
  }
  // No circulation reply opens with a "Yes" that could read as a diagnosis.
  for (const auto& [key, variants] : engine.responses().of("circulation").replies) {
    for (const auto& variant : variants) {
      CHECK(variant.text.rfind("Yes", 0) != 0);
      CHECK(variant.speech().rfind("Yes", 0) != 0);
    }
  }
}

TEST_CASE("dose questions are answered by supplements, which gives no dose", "[engine][real]") {
  const Engine& engine = real_engine();
  const std::pair<const char*, const char*> cases[] = {
      {"how much magnesium should i take for cramps", "magnesium"},
      {"what dose of magnesium for cramps", "magnesium"},
      {"how much vitamin d should I take for cramps", "vitamin_d"},
      {"how much k2 for night cramps", "vitamin_k2"}};
  for (const auto& [text, nutrient] : cases) {
    CAPTURE(text);
    const Reply reply = ask(engine, text);
    CHECK(reply.intent == "supplements");
    CHECK(reply.slots == SlotMap{{"nutrient", nutrient}});
    CHECK(contains(reply.caveat, "I can't suggest a dose"));
  }
  const Reply role = ask(engine, "what does magnesium do");
  const Reply follow = ask(engine, "how much should i take", role.context);
  CHECK(follow.intent == "supplements");
  CHECK(follow.slots == SlotMap{{"nutrient", "magnesium"}});
}

TEST_CASE("questions about a topic are not red flags - the symptoms themselves are", "[engine][real]") {
  const Engine& engine = real_engine();
  for (const char* text :
       {"should I put something warm on my calf when it cramps", "can low b12 cause numbness",
        "can b6 cause numbness", "can you get cramps from a long flight", "can surgery cause leg cramps"}) {
    CAPTURE(text);
    const Reply reply = ask(engine, text);
    CHECK(reply.intent != "urgent_symptoms");
    CHECK_FALSE(reply.urgent);
  }
  // The same topics with a symptom said alongside: extra words void the exception.
  for (const char* text :
       {"can b6 cause numbness, my leg is numb", "can you get cramps from a long flight? my calf is swollen",
        "can surgery cause leg cramps, I had surgery last week and my calf is throbbing"}) {
    CAPTURE(text);
    CHECK(ask(engine, text).intent == "urgent_symptoms");
  }
  const Reply excluded = ask(engine, "can b6 cause numbness");
  CHECK(std::find(excluded.match.excluded.begin(), excluded.match.excluded.end(), "urgent_symptoms") !=
        excluded.match.excluded.end());
}

TEST_CASE(
    "the confusions measured on real text: forms and brands of a nutrient, what a nutrient does, "
    "medicines as causes, staying cramp-free",
    "[engine][real]") {
  const Engine& engine = real_engine();
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"is magnesium citrate better than the oxide one for cramps", "supplements", "magnesium"},
      {"best brand of potassium for leg cramps", "supplements", "potassium"},
      {"how calcium helps relax tight muscles", "nutrient_role", "calcium"},
      {"which drugs cause leg cramps", "causes", ""},
      {"what should I eat during the day so my calves don't cramp at the gym", "prevention", ""},
      {"fastest way to get my calf to release", "quick_relief", ""},
  };
  for (const auto& [text, intent, nutrient] : cases) {
    const Reply reply = ask(engine, text);
    INFO(text << " -> " << reply.intent << " (" << reply.match.reason << ")");
    CHECK(reply.intent == intent);
    if (!nutrient.empty()) CHECK(reply.slots == SlotMap{{"nutrient", nutrient}});
  }
}

TEST_CASE("bad input is an InputError, never an exception", "[engine][real]") {
  const Engine& engine = real_engine();
  CHECK(refused(engine, "") == InputError::empty);
  CHECK(refused(engine, "   \t\n ") == InputError::empty);
  CHECK(refused(engine, std::string(100 * 1024, 'a')) == InputError::too_long);
  CHECK(refused(engine, std::string(100 * 1024, '\xFF')) == InputError::too_long);
  CHECK(refused(engine, "magnesium \xFF\xFE cramps") == InputError::invalid_utf8);
  CHECK(refused(engine, "\xC0\xAF") == InputError::invalid_utf8);
  CHECK(refused(engine, "\xED\xA0\x80") == InputError::invalid_utf8);
  CHECK(refused(engine, std::string("magnesium\0cramps", 16)) == InputError::control_character);
  CHECK(refused(engine, std::string(64, '\0')) == InputError::control_character);
  CHECK(refused(engine, "\x01\x02\x03\x7F") == InputError::control_character);
}

TEST_CASE("the utterance size limit is the configured one", "[engine][real]") {
  const Engine& engine = real_engine();
  const std::size_t limit = engine.config().max_utterance_bytes;
  REQUIRE(limit >= 16);
  std::string at_limit;
  while (at_limit.size() + 4 <= limit)
    at_limit += "leg ";
  at_limit.resize(limit, ' ');
  CHECK(std::holds_alternative<Reply>(engine.respond(at_limit, {})));
  CHECK(refused(engine, at_limit + "x") == InputError::too_long);
}

TEST_CASE("respond never throws on arbitrary bytes, and every reply keeps the invariants", "[engine][real]") {
  const Engine& engine = real_engine();
  std::uint32_t state = 2024;
  const std::string alphabet = "abcdefghijklmnopqrstuvwxyz magnesium cramp leg ?!'<>&\"";
  for (int i = 0; i < 400; ++i) {
    std::string text;
    const int length = 1 + i % 60;
    for (int j = 0; j < length; ++j) {
      state = state * 1103515245u + 12345u;
      const auto r = (state >> 16) & 0xFF;
      // Mostly plausible words, sometimes any byte at all.
      text += i % 3 == 0 ? static_cast<char>(r) : alphabet[r % alphabet.size()];
    }
    CAPTURE(i, text);
    std::variant<Reply, InputError> outcome;
    REQUIRE_NOTHROW(outcome = engine.respond(text, {}));
    if (const auto* reply = std::get_if<Reply>(&outcome)) check_reply_invariants(engine, *reply);
  }
}

TEST_CASE("characters that mean something in SSML do not break the SSML", "[engine][real]") {
  const Engine& engine = real_engine();
  DialogueContext context;
  for (const char* text :
       {"what foods have <magnesium>?", "magnesium & potassium", "\"vitamin d\" 'please'", "</speak><speak>",
        "&amp; &lt; <break time=\"10s\"/>", "tell me more &", "<![CDATA[ x ]]>"}) {
    CAPTURE(text);
    const Reply reply = ask(engine, text, context);
    check_reply_invariants(engine, reply);
    context = reply.context;
  }
}

TEST_CASE("the same conversation gives the same replies", "[engine][real]") {
  const Engine& engine = real_engine();
  const std::vector<std::string> conversation = {"hi",
                                                 "what vitamin helps leg cramps",
                                                 "tell me about magnesium",
                                                 "what foods have it",
                                                 "and potassium?",
                                                 "tell me more",
                                                 "say that again",
                                                 "what time is it",
                                                 "how can I prevent leg cramps",
                                                 "thanks",
                                                 "bye"};
  const auto run = [&] {
    std::vector<std::string> out;
    DialogueContext context;
    for (const auto& text : conversation) {
      const Reply reply = ask(engine, text, context);
      out.push_back(to_json(reply).dump() + to_json(reply.match).dump());
      context = reply.context;
    }
    return out;
  };
  const auto first = run();
  const auto second = run();
  REQUIRE(first.size() == conversation.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    CAPTURE(conversation[i]);
    CHECK(first[i] == second[i]);
  }
}

TEST_CASE("a reply with more to tell offers it as its first chip, and the chip tells it", "[engine][real]") {
  const Engine& engine = real_engine();
  DialogueContext context;
  const Reply first = ask(engine, "what vitamin stops leg cramps", context);
  REQUIRE(first.intent == "best_vitamin");
  REQUIRE_FALSE(first.suggestions.empty());
  CHECK(first.suggestions.front() == "Tell me more");  // _common.json "more_suggestion"
  CHECK(std::count(first.suggestions.begin(), first.suggestions.end(),
                   engine.responses().more_suggestion()) == 1);

  const Reply more = ask(engine, engine.responses().more_suggestion(), first.context);
  CHECK(more.intent == "more");
  CHECK(more.context.intent == "best_vitamin");
  CHECK(more.context.more);
  CHECK(more.text != first.text);
  CHECK(more.text.find("Magnesium") != std::string::npos);
  // Told: no second offer of the same thing.
  CHECK(std::find(more.suggestions.begin(), more.suggestions.end(), engine.responses().more_suggestion()) ==
        more.suggestions.end());

  // Urgent replies keep their (empty) chips: nothing to click instead of getting help.
  const Reply urgent = ask(engine, "my calf is swollen red and hot", context);
  REQUIRE(urgent.urgent);
  CHECK(urgent.suggestions.empty());
}

TEST_CASE("the reply object has every documented key", "[engine][real]") {
  const Reply reply = ask(real_engine(), "what foods have magnesium");
  const auto j = to_json(reply);
  for (const char* key : {"intent", "slots", "confidence", "text", "ssml", "caveat", "title", "reprompt",
                          "suggestions", "sources", "urgent", "end", "context"}) {
    CAPTURE(key);
    CHECK(j.contains(key));
  }
  CHECK(j.size() == 13);
  CHECK(j.at("intent") == "food_sources");
  CHECK(j.at("slots") == nlohmann::json{{"nutrient", "magnesium"}});
  CHECK(j.at("context") == to_json(reply.context));
}

TEST_CASE("respond_to_intent: unknown intents and slot values", "[engine][real]") {
  const Engine& engine = real_engine();
  const Reply unknown = engine.respond_to_intent("book_flight", {}, {});
  CHECK(unknown.intent == kFallbackIntent);
  check_reply_invariants(engine, unknown);

  const Reply zinc = engine.respond_to_intent("food_sources", {{"nutrient", "zinc"}}, {});
  CHECK(zinc.intent == "food_sources");
  CHECK(zinc.slots.empty());
  const Reply stray = engine.respond_to_intent("causes", {{"nutrient", "magnesium"}}, {});
  CHECK(stray.slots.empty());  // causes takes no slot
  const Reply good = engine.respond_to_intent("food_sources", {{"nutrient", "magnesium"}}, {});
  CHECK(good.slots == SlotMap{{"nutrient", "magnesium"}});
}

TEST_CASE("one engine answers many threads at once exactly as it answers one", "[engine][real]") {
  const Engine& engine = real_engine();
  const std::vector<std::string> utterances = {"what foods have magnesium",
                                               "what does magnesuim do",
                                               "my calf is swollen and red",
                                               "hello",
                                               "qwerty",
                                               "and b12?",
                                               "how can I prevent leg cramps",
                                               "what vitamin helps leg cramps",
                                               "tell me more",
                                               "bye"};
  const auto answer_all = [&] {
    std::string out;
    DialogueContext context;
    for (int round = 0; round < 20; ++round) {
      for (const auto& text : utterances) {
        const auto outcome = engine.respond(text, context);
        if (const auto* reply = std::get_if<Reply>(&outcome)) {
          out += to_json(*reply).dump() + "\n";
          context = reply->context;
        }
      }
    }
    return out;
  };
  const std::string expected = answer_all();
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < results.size(); ++t)
    threads.emplace_back([&, t] { results[t] = answer_all(); });
  for (auto& thread : threads)
    thread.join();
  for (const auto& result : results)
    CHECK(result == expected);
}

// ---------------------------------------------------------------------------------------------------------
// Context mechanics, on tests/fixtures/mini

TEST_CASE("mini: the turn number picks the variant", "[engine][mini]") {
  const Engine& engine = mini_engine();
  DialogueContext context;
  const Reply first = ask(engine, "what causes leg cramps", context);
  CHECK(contains(first.text, "CAUSES ZERO"));
  CHECK(contains(first.text, "CAUSES CAVEAT"));
  CHECK(first.context.turn == 1);
  CHECK(first.context.variant == 0);
  const Reply second = ask(engine, "what causes leg cramps", first.context);
  CHECK(contains(second.text, "CAUSES ONE"));
  CHECK(second.caveat == "CAUSES VARIANT CAVEAT.");
  CHECK(second.context.variant == 1);
  const Reply third = ask(engine, "what causes leg cramps", second.context);
  CHECK(contains(third.text, "CAUSES ZERO"));
}

TEST_CASE("mini: the caveat follows the text and ends up in the SSML", "[engine][mini]") {
  const Reply reply = ask(mini_engine(), "what foods have magnesium");
  CHECK(reply.text ==
        "FOOD Magnesium: leafy greens and nuts & seeds <crunchy>.\n\nFOOD CAVEAT: diets differ.");
  CHECK(reply.caveat == "FOOD CAVEAT: diets differ.");
  CHECK(reply.ssml == build_ssml("FOOD Magnesium: leafy greens and nuts & seeds <crunchy>.", reply.caveat));
  CHECK(is_well_formed_ssml(reply.ssml));
  // The spoken form uses "voice" when there is one.
  const Reply voice = mini_engine().respond_to_intent("food_sources", {}, {});
  CHECK(contains(voice.ssml, "Ask about a nutrient."));
  CHECK_FALSE(contains(voice.ssml, "Many foods help"));
  CHECK(contains(voice.text, "Many foods help"));
}

TEST_CASE("mini: full disclaimer, urgent and end flags come from the intent", "[engine][mini]") {
  const Engine& engine = mini_engine();
  const Reply hello = ask(engine, "hello");
  CHECK(hello.caveat == engine.responses().disclaimer());
  const Reply red = ask(engine, "my calf is swollen, red leg too");
  CHECK(red.intent == "red_flag");
  CHECK(red.urgent);
  CHECK_FALSE(red.end);
  const Reply bye = ask(engine, "bye");
  CHECK(bye.end);
  CHECK_FALSE(bye.urgent);
  CHECK(bye.reprompt.empty());  // a reply that ends the session does not re-prompt
  CHECK(bye.caveat == engine.responses().default_caveat());
}

TEST_CASE("mini: a follow-up keeps the previous intent with the new slot value", "[engine][mini]") {
  const Engine& engine = mini_engine();
  const Reply first = ask(engine, "what foods have magnesium");
  const Reply next = ask(engine, "and potassium", first.context);
  CHECK(next.intent == "food_sources");
  CHECK(next.slots == SlotMap{{"nutrient", "potassium"}});
  CHECK(contains(next.text, "FOOD Potassium"));
  CHECK(next.context.memory == SlotMap{{"nutrient", "potassium"}});
}

TEST_CASE("mini: a follow-up without a usable previous intent uses follow_up_default", "[engine][mini]") {
  const Engine& engine = mini_engine();
  SECTION("no previous turn") {
    const Reply reply = ask(engine, "what about potassium");
    CHECK(reply.intent == "nutrient_role");
    CHECK(reply.slots == SlotMap{{"nutrient", "potassium"}});
  }
  SECTION("the previous intent takes no such slot") {
    const Reply causes = ask(engine, "what causes leg cramps");
    const Reply reply = ask(engine, "and potassium", causes.context);
    CHECK(reply.intent == "nutrient_role");
    CHECK(reply.slots == SlotMap{{"nutrient", "potassium"}});
  }
  SECTION("the previous intent was a red flag") {
    const Reply red = ask(engine, "chest pain");
    const Reply reply = ask(engine, "and potassium", red.context);
    CHECK(reply.intent == "nutrient_role");
    CHECK_FALSE(reply.urgent);
  }
}

TEST_CASE("mini: slot values are remembered and carried into later turns", "[engine][mini]") {
  const Engine& engine = mini_engine();
  const Reply first = ask(engine, "tell me about potassium");
  CHECK(first.context.memory == SlotMap{{"nutrient", "potassium"}});
  const Reply noise = ask(engine, "qwerty uiop", first.context);  // fallback
  CHECK(noise.intent == kFallbackIntent);
  CHECK(noise.context.memory == SlotMap{{"nutrient", "potassium"}});
  const Reply red = ask(engine, "chest pain", noise.context);
  CHECK(red.context.memory == SlotMap{{"nutrient", "potassium"}});
  const Reply foods = ask(engine, "what foods have it", red.context);
  CHECK(foods.intent == "food_sources");
  CHECK(foods.slots == SlotMap{{"nutrient", "potassium"}});
  CHECK(contains(foods.text, "FOOD Potassium"));
  // A new value replaces the remembered one.
  const Reply other = ask(engine, "tell me about b12", foods.context);
  CHECK(other.context.memory == SlotMap{{"nutrient", "vitamin_b12"}});
}

TEST_CASE("mini: tell me more, once, then the more intent's own reply", "[engine][mini]") {
  const Engine& engine = mini_engine();
  const Reply causes = ask(engine, "what causes leg cramps");
  const Reply more = ask(engine, "tell me more", causes.context);
  CHECK(more.intent == "more");
  CHECK(more.slots.empty());
  CHECK(contains(more.text, "CAUSES MORE: sweating."));
  CHECK(more.caveat == causes.caveat);
  CHECK(more.context.intent == "causes");
  CHECK(more.context.more);
  const Reply again = ask(engine, "more", more.context);
  CHECK(again.intent == "more");
  CHECK(contains(again.text, "MORE ABOUT WHAT?"));
}

TEST_CASE("mini: tell me more with nothing before, or nothing more to say", "[engine][mini]") {
  const Engine& engine = mini_engine();
  const Reply cold = ask(engine, "tell me more");
  CHECK(cold.intent == "more");
  CHECK(contains(cold.text, "MORE ABOUT WHAT?"));
  const Reply potassium = ask(engine, "tell me about potassium");  // its variant has no "more" text
  const Reply more = ask(engine, "tell me more", potassium.context);
  CHECK(contains(more.text, "MORE ABOUT WHAT?"));
}

TEST_CASE("mini: say that again repeats the last reply, including a more part", "[engine][mini]") {
  const Engine& engine = mini_engine();
  const Reply nothing = ask(engine, "say that again");
  CHECK(nothing.intent == "repeat");
  CHECK(contains(nothing.text, "NOTHING TO REPEAT"));

  const Reply foods = ask(engine, "what foods have magnesium");
  const Reply repeat = ask(engine, "say that again", foods.context);
  CHECK(repeat.intent == "repeat");
  CHECK(repeat.text == foods.text);
  CHECK(repeat.ssml == foods.ssml);

  const Reply more = ask(engine, "tell me more", foods.context);
  const Reply repeat_more = ask(engine, "say that again", more.context);
  CHECK(repeat_more.text == more.text);
  CHECK(contains(repeat_more.text, "FOOD MORE Magnesium"));
  const Reply twice = ask(engine, "say that again", repeat_more.context);
  CHECK(twice.text == more.text);
}

TEST_CASE("mini: say that again after \"tell me more\" had nothing more repeats what was said",
          "[engine][mini]") {
  const Engine& engine = mini_engine();
  const Reply foods = ask(engine, "what foods have magnesium");
  const Reply more = ask(engine, "tell me more", foods.context);
  const Reply nothing_more = ask(engine, "tell me more", more.context);
  CHECK(contains(nothing_more.text, "MORE ABOUT WHAT?"));
  const Reply repeat = ask(engine, "say that again", nothing_more.context);
  CHECK(repeat.intent == "repeat");
  CHECK(repeat.text == nothing_more.text);  // not "nothing to repeat": something was said
  CHECK_FALSE(contains(repeat.text, "NOTHING TO REPEAT"));
  // And "nothing to repeat", said again, is still the truth.
  const Reply cold = ask(engine, "say that again");
  CHECK(ask(engine, "say that again", cold.context).text == cold.text);
}

TEST_CASE("mini: a helper with its own replies answers under its public intent", "[engine][mini]") {
  const Engine& engine = mini_engine();
  const Reply tonic = ask(engine, "is tonic water good");
  CHECK(tonic.intent == "nutrient_role");  // the public name
  CHECK(tonic.context.intent == "tonic");  // the conversation remembers which reply was said
  CHECK(contains(tonic.text, "TONIC: avoid tonic water"));
  CHECK(tonic.caveat == "TONIC CAVEAT: a warning.");
  const Reply more = ask(engine, "tell me more", tonic.context);
  CHECK(contains(more.text, "TONIC MORE"));
  const Reply again = ask(engine, "say that again", more.context);
  CHECK(again.text == more.text);
  // A follow-up asks the public intent's question about the new value.
  const Reply follow = ask(engine, "and potassium", tonic.context);
  CHECK(follow.intent == "nutrient_role");
  CHECK(follow.slots == SlotMap{{"nutrient", "potassium"}});
  CHECK(follow.context.intent == "nutrient_role");
}

TEST_CASE("mini: welcome speaks the short disclaimer and shows the full one", "[engine][mini]") {
  const Engine& engine = mini_engine();
  const Reply hello = ask(engine, "hello");
  CHECK(hello.caveat == engine.responses().disclaimer());
  CHECK(contains(hello.text, "MINI DISCLAIMER"));
  CHECK(contains(hello.ssml, "MINI SPOKEN DISCLAIMER"));
  CHECK_FALSE(contains(hello.ssml, "MINI DISCLAIMER"));
}

TEST_CASE("mini: a context naming an intent without replies is answered, never thrown on", "[engine][mini]") {
  const Engine& engine = mini_engine();
  DialogueContext context;
  context.intent = "follow_up";
  CHECK(ask(engine, "say that again", context).intent == "repeat");
  CHECK(ask(engine, "tell me more", context).intent == "more");
}

TEST_CASE("mini: repeat says the variant that was said, not the one the turn would pick", "[engine][mini]") {
  const Engine& engine = mini_engine();
  const Reply first = ask(engine, "what causes leg cramps");          // turn 0: variant 0
  const Reply repeat = ask(engine, "say that again", first.context);  // turn 1 would pick variant 1
  CHECK(contains(repeat.text, "CAUSES ZERO"));
  CHECK(repeat.caveat == first.caveat);
}

TEST_CASE("mini: the turn counter grows and stops at its maximum", "[engine][mini]") {
  DialogueContext context;
  context.turn = 1'000'000;
  const Reply reply = ask(mini_engine(), "hello", context);
  CHECK(reply.context.turn == 1'000'000);
  bool valid = false;
  CHECK(mini_engine().context_from_json(to_json(reply.context), &valid) == reply.context);
  CHECK(valid);
}

TEST_CASE("slot_value maps a platform's raw slot text to a canonical value", "[engine]") {
  const Engine& engine = test::real_engine();
  CHECK(engine.slot_value("nutrient", "vitamin b twelve") == std::optional<std::string>("vitamin_b12"));
  CHECK(engine.slot_value("nutrient", "Magnesium") == std::optional<std::string>("magnesium"));
  CHECK(engine.slot_value("nutrient", "k 2") == std::optional<std::string>("vitamin_k2"));
  CHECK(engine.slot_value("nutrient", "bananas") == std::nullopt);
  CHECK(engine.slot_value("no_such_list", "magnesium") == std::nullopt);
  CHECK(engine.slot_value("nutrient", "\xff\xfe") == std::nullopt);
}

TEST_CASE("engine: a medical reply names its sources; the note goes before the caveat on text platforms",
          "[engine][sources]") {
  const Engine& engine = crampbot::test::real_engine();
  const Reply food = std::get<Reply>(engine.respond("what foods have magnesium", {}));
  REQUIRE(food.sources.size() == 2);
  CHECK(food.sources[0].id == "article");
  CHECK(food.sources[0].url.rfind("https://", 0) == 0);
  CHECK(food.source_note == "Sources: " + food.sources[0].title + "; " + food.sources[1].title);
  const std::string shown = shown_text(food);
  CHECK(shown.ends_with("\n\n" + food.source_note + "\n\n" + food.caveat));
  const std::string body = food.text.substr(0, food.text.size() - food.caveat.size());  // ends "\n\n"
  CHECK(shown == body + food.source_note + "\n\n" + food.caveat);
  // The spoken reply reads no source and no URL.
  CHECK(food.ssml.find("https") == std::string::npos);
  const nlohmann::json object = to_json(food);
  REQUIRE(object["sources"].size() == 2);
  CHECK(object["sources"][0] ==
        nlohmann::json({{"title", food.sources[0].title}, {"url", food.sources[0].url}}));

  // One source: "Source:"; "tell me more" keeps the sources of the reply it continues.
  const Reply quinine = std::get<Reply>(engine.respond("does quinine help cramps", {}));
  REQUIRE(quinine.sources.size() == 1);
  CHECK(quinine.source_note == "Source: " + quinine.sources[0].title);
  const Reply more = std::get<Reply>(engine.respond("tell me more", food.context));
  CHECK(more.sources.size() == food.sources.size());

  // A greeting gives no health information and names no source.
  const Reply hello = std::get<Reply>(engine.respond("hello", {}));
  CHECK(hello.sources.empty());
  CHECK(hello.source_note.empty());
  CHECK(shown_text(hello) == hello.text);
  CHECK(to_json(hello)["sources"] == nlohmann::json::array());
}
