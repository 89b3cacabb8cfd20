// Red flags on the real catalog (intents/_red_flags.json and urgent_symptoms), family by family, in the words
// patients and health services use (written for these tests, not taken from an evaluation set), and what
// must not be taken for one.
#include <catch2/catch.hpp>

#include "test_support.h"

using namespace crampbot;
using crampbot::test::real_engine;

namespace {

Reply ask(const std::string& text) {
  const auto outcome = real_engine().respond(text, {});
  REQUIRE(std::holds_alternative<Reply>(outcome));
  return std::get<Reply>(outcome);
}

void all_urgent(const std::vector<std::string>& texts) {
  for (const auto& text : texts) {
    const Reply reply = ask(text);
    INFO(text << " -> " << reply.intent << " (" << reply.match.reason << ")");
    CHECK(reply.intent == "urgent_symptoms");
    CHECK(reply.urgent);
    CHECK(is_urgent_decision(reply.match.decision));
  }
}

// Each text is urgent by a rule of intents/_red_flags.json (no template of urgent_symptoms says it).
void urgent_by_rule(const std::vector<std::string>& texts) {
  for (const auto& text : texts) {
    const Reply reply = ask(text);
    INFO(text << " -> " << reply.intent << " (" << reply.match.reason << ")");
    CHECK(reply.match.decision == MatchDecision::red_flag);
    CHECK(reply.urgent);
  }
}

void none_urgent(const std::vector<std::string>& texts) {
  for (const auto& text : texts) {
    const Reply reply = ask(text);
    INFO(text << " -> " << reply.intent << " (" << reply.match.reason << ")");
    CHECK_FALSE(reply.urgent);
  }
}

}  // namespace

TEST_CASE("deep vein thrombosis: a leg with a local sign, however it is told", "[red_flags][real]") {
  all_urgent({
      "pulled up my trouser leg and the whole calf was puffed up and a purplish colour",
      "my left leg is about twice the size of my right one",
      "there's a hot red patch on the back of my knee",
      "the skin on my shin has gone shiny and dark",
      "calf feels warm to the touch and really tender",
      "one of my calves is fatter than the other since the weekend",
      "my thigh is throbbing and the veins feel hard",
      "my ankle has ballooned up",
      "it's swollen and it hurts",
      "out of the cast two days and my lower leg is still swelling up",
      "my calf muscle is swollen and tight after the weekend",
  });
}

TEST_CASE("the concept rules catch what no template says", "[red_flags][real]") {
  urgent_by_rule({
      "I lifted my trouser leg and the whole calf was double the size and a dark purple",
      "my thigh went a funny purple colour",
      "my calf feels ice cold",
      "I can feel heat coming off my calf",
      "it's swollen again and the pain is back",
      "my pee looks like cola after the gym",
      "what is rhabdomyolysis",
      "my jaw won't open properly since I cut my hand",
      "the veins at the back of my calf are hard and sore",
      "numbness down the side of my leg since this morning, came on suddenly",
      "what if I can't find a pulse at my ankle",
      "did a long run in the sun, my muscles are killing me and I've barely peed all day",
  });
}

TEST_CASE("the families a health-service page lists, in its words and in unusual ones", "[red_flags][real]") {
  urgent_by_rule({
      "tiny purple dots on my shins since the doctor started me on quinine",
      "very little pee since yesterday's half marathon",
      "crushed my thigh under a car jack, now the muscle is agony and weak",
      "is calf pain an emergency",
      "my shin's gone the colour of candle wax",
      "my wee looks like Bovril after the heatwave",
      "my jaw is clamped shut and I grazed my knee on a rusty gate last week",
      "I can't wiggle my toes and my foot is numb",
  });
}

TEST_CASE("signs in harmless senses are not red flags", "[red_flags][real]") {
  none_urgent({
      "my legs are sunburnt, red and hot, what helps",
      "getting cold feet about the move",
      "turn on the mobile hotspot",
      "I feel like a balloon after that meal",
      "bruise on my shin from football",
      "should I go to hospital for leg cramps",
  });
}

TEST_CASE("numbness or a lost pulse is ours only in a leg or with no site named", "[red_flags][real]") {
  urgent_by_rule({"sudden numbness, and it won't go", "my hand and my foot both went numb"});
  none_urgent(
      {"numb fingers when I wake up", "my hand goes numb when I type", "can't find my pulse in my wrist"});
}

TEST_CASE("asking for an ambulance is urgent; asking about ambulances is not", "[red_flags][real]") {
  all_urgent({"call an ambulance", "should we call 911", "my husband needs an ambulance"});
  none_urgent({"how long does it take to call an ambulance"});
}

TEST_CASE("questions about clots and the other named conditions are urgent", "[red_flags][real]") {
  all_urgent({
      "how can you tell if calf pain is a DVT",
      "should I go to A&E if I think I have a clot in my leg",
      "what does a blood clot in the leg feel like",
      "is pulmonary embolism an emergency",
      "what is rhabdomyolysis",
      "rhabdo symptoms",
      "signs of tetanus after a cut",
      "can you get lockjaw from a rusty nail",
      "acute limb ischaemia",
  });
}

TEST_CASE("signs of a clot in the lung, and systemic signs, are urgent on their own", "[red_flags][real]") {
  all_urgent({
      "I suddenly can't catch my breath and my calf hurts",
      "sharp chest pain when I breathe in",
      "I coughed up some blood this morning",
      "I fainted after getting out of bed",
  });
}

TEST_CASE("a cold, pale or numb limb (the six Ps) is urgent", "[red_flags][real]") {
  all_urgent({
      "my foot has gone white and feels freezing cold",
      "my toes are blue",
      "I can't feel my leg and it went numb all of a sudden",
      "there's no pulse in my foot",
  });
}

TEST_CASE("muscle breakdown: cola, tea or brown urine after exertion", "[red_flags][real]") {
  all_urgent({
      "after spin class yesterday my pee is brown",
      "my urine looks like coke after the gym",
      "wee the colour of strong tea after a long run",
      "after the marathon my urine was the colour of tea",
  });
}

TEST_CASE("tetanus: a jaw that is stiff, locked or will not open", "[red_flags][real]") {
  all_urgent({
      "my jaw is locked and I stood on a nail last week",
      "I can't open my mouth properly and my neck is stiff",
      "spasms in my jaw and back a few days after a dog bit me",
      "my neck keeps spasming, started after I scratched my leg on barbed wire",
      "my jaw feels stiff",
  });
}

TEST_CASE("bleeding or bruising while taking quinine", "[red_flags][real]") {
  all_urgent({"I've been taking quinine and now I bruise really easily",
              "bleeding gums and nosebleeds, I take tonic water every night for cramps"});
}

TEST_CASE("negation is handled on purpose and errs toward urgent", "[red_flags][real]") {
  // Another sign still counts; a negated sign alone does not.
  all_urgent({"no chest pain, but my calf is hot and swollen", "my leg isn't red but it is very swollen",
              "I don't think it's a clot"});
  none_urgent({"my calf isn't swollen or red, it just cramps at night"});
}

TEST_CASE("words that look like signs but are not", "[red_flags][real]") {
  none_urgent({
      "does red meat help leg cramps",
      "should I put something warm on my calf when it cramps",
      "is a warm bath good for leg cramps",
      "do leg cramps get worse in hot weather",
      "stretch legs before running to ward off cramps",
      "why is my pee dark yellow",
      "does magnesium reduce swelling",
      "can low b12 cause numbness",
      "how is water spelled",
      "are my tyres properly inflated",
      "yes i'd really like that alot",
      "my nose is red and swollen",
      "how long does it take to call an ambulance",
      "what foods have magnesium",
      "nocturnal leg cramps: why they strike after dark",
      "do varicose veins cause painful cramps",
      "varicose veins are hard to get rid of, do they cause cramps",
      "leg cramps on a long flight",
      "why do I get cramps when I can't feel any difference after magnesium",
  });
}

TEST_CASE(":explain names the red-flag rule and the phrases it rests on", "[red_flags][real]") {
  const Reply reply = ask("my leg was double in size and dark purple");
  CHECK(reply.match.decision == MatchDecision::red_flag);
  CHECK_THAT(reply.match.reason, Catch::StartsWith("red flag: leg_sign_") && Catch::Contains("site: leg"));
}
