// Scope (intents/_scope.json), clarifying questions, refinements and long messages on the real catalog.
#include <catch2/catch.hpp>

#include "test_support.h"

using namespace crampbot;
using crampbot::test::real_engine;

namespace {

Reply ask(const std::string& text, const DialogueContext& context = {}) {
  const auto outcome = real_engine().respond(text, context);
  REQUIRE(std::holds_alternative<Reply>(outcome));
  return std::get<Reply>(outcome);
}

void answered_as(const std::string& text, const std::string& intent, const SlotMap& slots = {}) {
  const Reply reply = ask(text);
  INFO(text << " -> " << reply.intent << " (" << reply.match.reason << ")");
  CHECK(reply.intent == intent);
  CHECK(reply.slots == slots);
}

// Each text is out of scope by the named rule of intents/_scope.json (rules are tried in order).
void out_of_scope(const std::vector<std::string>& texts, const std::string& rule) {
  for (const auto& text : texts) {
    const Reply reply = ask(text);
    INFO(text << " -> " << reply.intent << " (" << reply.match.reason << ")");
    CHECK(reply.intent == kFallbackIntent);
    CHECK(reply.match.decision == MatchDecision::out_of_scope);
    CHECK_THAT(reply.match.reason, Catch::StartsWith("out of scope: " + rule + ","));
  }
}

// Each text is answered by one of our own intents.
void in_scope(const std::vector<std::string>& texts) {
  for (const auto& text : texts) {
    const Reply reply = ask(text);
    INFO(text << " -> " << reply.intent << " (" << reply.match.reason << ")");
    CHECK(reply.intent != kFallbackIntent);
    CHECK_FALSE(reply.urgent);
  }
}

}  // namespace

TEST_CASE("another condition or symptom, with no cramp, is out of scope however our words are used",
          "[scope][real]") {
  out_of_scope({"does magnesium stop my migraines", "can vitamin d supplements help asthma",
                "can potassium raise the risk of diabetes", "potassium and high blood pressure"},
               "other_condition");
  // Without a word of our topic, the first rule already says so.
  // A remedy word is no topic of its own: bananas, a stretch or a supplement are asked about for many things.
  out_of_scope({"what causes high blood pressure", "do bananas raise the risk of diabetes",
                "how to stretch jeans that are too tight", "zinc supplement dosage for colds"},
               "no_topic");
  // The symptoms of a deficiency of ours are that deficiency's.
  answered_as("signs of low b12: tingling hands, tiredness?", "deficiency_signs",
              {{"nutrient", "vitamin_b12"}});
  // With a cramp named, or a condition our content covers, it is ours again.
  in_scope({"I'm pregnant and get leg cramps", "can diabetes cause leg cramps"});
  answered_as("is magnesium safe if I have kidney disease", "supplements", {{"nutrient", "magnesium"}});
}

TEST_CASE("a medicine with nothing of our topic is out of scope; with a nutrient it is a safety question",
          "[scope][real]") {
  // On its own no word of it is ours (no_topic); in a conversation about cramps, the medicine says it.
  out_of_scope({"what is the maximum daily dose of metformin"}, "no_topic");
  const Reply cramps = ask("what causes leg cramps");
  for (const char* text :
       {"what is the maximum daily dose of metformin", "is it safe to stop taking premarin"}) {
    const Reply reply = ask(text, cramps.context);
    INFO(text << " (" << reply.match.reason << ")");
    CHECK(reply.intent == kFallbackIntent);
    CHECK_THAT(reply.match.reason, Catch::StartsWith("out of scope: other_medicine,"));
  }
  answered_as("can i take potassium with lisinopril", "supplements", {{"nutrient", "potassium"}});
  in_scope({"can atorvastatin cause leg cramps"});
}

TEST_CASE("cramps somewhere other than the legs are not ours", "[scope][real]") {
  for (const char* text : {"what helps stomach cramps", "what can get rid of uterine cramps fast",
                           "stretches for lower back pain", "I'm 17 weeks pregnant and getting cramps"}) {
    const Reply reply = ask(text);
    INFO(text << " (" << reply.match.reason << ")");
    CHECK(reply.intent == kFallbackIntent);
  }
}

TEST_CASE("everyday requests in our words but about something else get the fallback", "[scope][real]") {
  out_of_scope({"what does water taste like", "please list the bottled water brands near me",
                "what causes dyslexia", "when do i need to get an oil change"},
               "no_topic");
  // A short question wholly in our words is taken as ours: that is what people ask this assistant.
  answered_as("when should I see a doctor", "see_doctor");
  answered_as("quick relief", "quick_relief");
}

TEST_CASE("once the conversation is about our topic, a short follow-up needs no topic word",
          "[scope][real]") {
  const Reply first = ask("what does magnesium do for muscles");
  REQUIRE(first.intent == "nutrient_role");
  const Reply next = ask("which foods have it", first.context);
  CHECK(next.intent == "food_sources");
  CHECK(next.slots == SlotMap{{"nutrient", "magnesium"}});
}

TEST_CASE("a tie between two of our intents asks which one, and each offer resolves", "[clarify][real]") {
  const Reply reply = ask("water or magnesium for cramps?");
  REQUIRE(reply.intent == kClarifyIntent);
  CHECK(reply.match.decision == MatchDecision::clarify);
  REQUIRE(reply.candidates.size() == 2);
  CHECK(reply.candidates[0].intent == "hydration");
  CHECK(reply.candidates[1].intent == "nutrient_role");
  CHECK(reply.candidates[1].slots == SlotMap{{"nutrient", "magnesium"}});
  CHECK_THAT(reply.text, Catch::Contains("Do you want to know") && Catch::Contains("magnesium"));
  CHECK_FALSE(reply.reprompt.empty());
  CHECK_FALSE(reply.urgent);
  REQUIRE(reply.suggestions.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    const Reply chosen = ask(reply.suggestions[i], reply.context);
    CHECK(chosen.intent == reply.candidates[i].intent);
    CHECK(chosen.slots == reply.candidates[i].slots);
  }
  // The JSON reply carries the candidates; other replies do not have the field.
  const auto json = to_json(reply);
  REQUIRE(json.contains("candidates"));
  CHECK(json["candidates"][1]["intent"] == "nutrient_role");
  CHECK_FALSE(to_json(ask("what foods have magnesium")).contains("candidates"));
}

TEST_CASE("red flags never wait for a clarification", "[clarify][real]") {
  const Reply reply = ask("water or magnesium for cramps? my calf is hot and swollen");
  CHECK(reply.intent == "urgent_symptoms");
  CHECK(reply.candidates.empty());
}

TEST_CASE("a narrower intent wins a near tie with the one it refines", "[clarify][real]") {
  for (const auto& [text, intent] : std::vector<std::pair<std::string, std::string>>{
           {"what causes leg cramps at night and what can you do about it?", "night_cramps"},
           {"best calf cramp prevention stretch routine", "stretching"}}) {
    const Reply reply = ask(text);
    INFO(text << " (" << reply.match.reason << ")");
    CHECK(reply.intent == intent);
    CHECK_THAT(reply.match.reason, Catch::Contains("narrower than"));
  }
}

TEST_CASE("after a clarifying question, \"say that again\" never shows the question unfilled",
          "[clarify][real]") {
  const Reply question = ask("water or magnesium for cramps?");
  REQUIRE(question.intent == kClarifyIntent);
  for (const char* follow_up : {"say that again", "what?", "tell me more"}) {
    const Reply again = ask(follow_up, question.context);
    INFO(follow_up << " -> " << again.intent << ": " << again.text);
    CHECK(again.text.find(kChoicesPlaceholder) == std::string::npos);
    CHECK(again.ssml.find(kChoicesPlaceholder) == std::string::npos);
    CHECK(again.reprompt.find(kChoicesPlaceholder) == std::string::npos);
  }
}

TEST_CASE("a long message is answered by its question, the story keeping the topic and the slot",
          "[story][real]") {
  answered_as(
      "I've had cramps in both calves for weeks, mostly in the evening. I drink plenty of water. "
      "Could it be something missing in my diet, like a vitamin?",
      "best_vitamin");
  answered_as("I read in the paper about vitamin K2. What does it do for the muscles?", "nutrient_role",
              {{"nutrient", "vitamin_k2"}});
  // A question that only points back at the story leaves the story's answer.
  answered_as("My doctor says my circulation is poor. Could that be the cause of my cramps?", "circulation");
  answered_as("I have a cramp in my calf at this moment. What should I do?", "quick_relief");
  // And a red flag anywhere in the story wins.
  const Reply urgent =
      ask("I've been training for a marathon and my legs ache a lot. Yesterday my calf got hot "
          "and swollen. What stretches should I do?");
  CHECK(urgent.intent == "urgent_symptoms");
}

TEST_CASE("cramp in other senses, test results and children's nutrition are other questions",
          "[scope][real]") {
  out_of_scope({"how do I stop my cramped flat feeling so small", "what does cramp my style mean"},
               "no_topic");
  out_of_scope({"my magnesium came back low on a blood test, is that serious"}, "test_result");
  out_of_scope({"what vitamin d drops should my baby have", "is magnesium safe for toddlers"},
               "child_nutrition");
  // A cramp or a leg named makes it ours again.
  in_scope({"my son gets leg cramps, can kids take magnesium",
            "blood test came back fine, so why do I get cramps", "my calf cramped up after running, why"});
}

TEST_CASE("a long message's story decides the scope of its question", "[scope][real]") {
  // The question alone would be a supplement question; the story makes it another condition's.
  const Reply bones =
      ask("My nan has osteoporosis and takes a weekly bone tablet. Is it fine to take her calcium "
          "at the same time?");
  INFO(bones.match.reason);
  CHECK(bones.intent == kFallbackIntent);
  CHECK(bones.match.decision == MatchDecision::out_of_scope);
  // A story about cramps keeps a question that does not name them.
  in_scope(
      {"I get cramps in my calves most nights and my GP suggested magnesium. Is it fine to take it at the "
       "same time as my other tablets?"});
}

TEST_CASE("vitamins and minerals that are not ours are another subject unless a cramp is named",
          "[scope][real]") {
  out_of_scope({"what are the signs of iron deficiency", "zinc supplement dosage"}, "other_nutrient");
  in_scope({"can low iron cause leg cramps"});
  out_of_scope({"ibs cramping relief"}, "other_body_part");
}

TEST_CASE("harm from one of our nutrients, and leg cramps in pregnancy, stay ours", "[scope][real]") {
  in_scope({"does potassium give you heartburn", "side effects of magnesium like diarrhoea",
            "night time leg cramps in pregnancy, 30 weeks"});
  out_of_scope({"trapped wind cramps, what helps"}, "other_body_part");
}
