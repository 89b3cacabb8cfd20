// engine/catalog_check.h: what `crampbot check` enforces, and the safety screen of reply texts.
#include <catch2/catch.hpp>

#include <string>

#include "engine/catalog_check.h"
#include "test_support.h"

using namespace crampbot;
using crampbot::test::fixture;

namespace {

// The real English catalog's screens (responses/_safety_screens.json).
std::string safety_problem(std::string_view text) {
  return crampbot::test::real_engine().responses().screens()->problem(text);
}

std::string all_problems(const CheckReport& report) {
  std::string out;
  for (const auto& p : report.problems)
    out += p + "\n";
  return out;
}

bool has_problem(const CheckReport& report, const std::string& a, const std::string& b) {
  for (const auto& p : report.problems) {
    if (p.find(a) != std::string::npos && p.find(b) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("check_catalog: the real catalog has no problems", "[check][real]") {
  const Engine& engine = crampbot::test::real_engine();
  const CheckReport report = check_catalog(engine);
  INFO(all_problems(report));
  CHECK(report.problems.empty());
  CHECK(report.intents == engine.intents().intents.size());
  CHECK(report.templates == engine.matcher().template_count());
  CHECK(report.examples > report.intents);
  CHECK(report.variants >= engine.responses().all().size());
  CHECK(report.suggestions > 0);
}

TEST_CASE("check_catalog: a clean test catalog passes", "[check]") {
  const CheckReport report = check_catalog(crampbot::test::mini_engine());
  INFO(all_problems(report));
  CHECK(report.problems.empty());
  CHECK(report.intents == crampbot::test::mini_engine().intents().intents.size());
  CHECK(report.examples == 18);
  CHECK(report.negatives == 2);
  CHECK(report.suggestions > 0);
}

TEST_CASE("check_catalog finds each kind of problem and names the file", "[check]") {
  const auto engine = crampbot::test::load_engine(fixture("check_problems") / "config.json");
  const CheckReport report = check_catalog(*engine);
  INFO(all_problems(report));
  CHECK(has_problem(report, "intents/hello.json", "goodbye friend"));          // example resolves elsewhere
  CHECK(has_problem(report, "intents/food.json", "what food has magnesium"));  // example with wrong slots
  CHECK(has_problem(report, "intents/hello.json", "negative \"hello there\""));
  CHECK(has_problem(report, "responses/hello.json", "xyzzy plugh"));  // suggestion not understood
  CHECK(has_problem(report, "responses/food.json", "400 mg"));        // a dose
  CHECK(has_problem(report, "responses/food.json", "quinine"));       // quinine in a "more" text
  CHECK(has_problem(report, "responses/food.json", "sources[1]: no source \"nowhere\""));
  CHECK(has_problem(report, "responses/hello.json", "sources: a medical answer needs at least one source"));
  CHECK(has_problem(report, "responses/hello.json", "reviewed: missing"));
  CHECK(report.problems.size() == 9);
}

TEST_CASE("check_catalog warns about a review older than max_review_age_days, counted from today",
          "[check][sources]") {
  const auto engine = crampbot::test::load_engine(fixture("check_problems") / "config.json");
  using namespace std::chrono;
  // food.json was reviewed on 2020-01-01; the limit is 365 days.
  const sys_days review = sys_days{year(2020) / January / 1};
  CHECK(check_catalog(*engine, review + days(365)).warnings.empty());
  const CheckReport late = check_catalog(*engine, review + days(366));
  REQUIRE(late.warnings.size() == 1);
  CHECK_THAT(late.warnings[0], Catch::Contains("responses/food.json: reviewed 2020-01-01 is 366 days ago"));
  CHECK_THAT(late.warnings[0], Catch::Contains("catalog.max_review_age_days (365)"));
  const CheckReport early = check_catalog(*engine, review - days(1));
  REQUIRE(early.warnings.size() == 1);
  CHECK_THAT(early.warnings[0], Catch::Contains("is in the future"));
}

TEST_CASE("safety_problem flags doses", "[check][safety]") {
  for (const char* text :
       {"take 400 mg", "Take 400mg of magnesium daily.", "about 1.5 g a day", "1,000 IU of vitamin D",
        "250 mcg", "2 tablets at night", "one dose is 5 ml", "500 milligrams", "take 2 capsules"}) {
    CAPTURE(text);
    const std::string problem = safety_problem(text);
    CHECK_FALSE(problem.empty());
    CHECK_THAT(problem, Catch::Contains("dose"));
  }
  CHECK_THAT(safety_problem("take 400 mg"), Catch::Contains("400 mg"));
}

TEST_CASE("safety_problem flags quinine and tonic water outside a warning", "[check][safety]") {
  for (const char* text : {"try quinine", "Quinine can ease night cramps.", "Some people drink tonic water.",
                           "Quinine is not recommended. But you could try quinine."}) {
    CAPTURE(text);
    CHECK_THAT(safety_problem(text), Catch::Contains("quinine"));
  }
}

TEST_CASE("safety_problem accepts warnings and ordinary advice", "[check][safety]") {
  for (const char* text :
       {"quinine is not recommended",
        "Don't use quinine for cramps: it is not recommended because of serious side effects.",
        "Avoid tonic water as a cramp remedy.", "Quinine is no longer used for cramps.",
        "Never take quinine without a doctor.", "Magnesium may help if you are low in it.",
        "Vitamin B12 and D3 matter for nerves.", "Eat 2 bananas", "Stretch for 30 seconds, 3 times.", ""}) {
    CAPTURE(text);
    CHECK(safety_problem(text) == "");
  }
}

TEST_CASE("check_catalog screens every field of every reply, and the common texts", "[check][safety]") {
  const auto engine = crampbot::test::load_engine(fixture("check_safety") / "config.json");
  const CheckReport report = check_catalog(*engine);
  INFO(all_problems(report));
  // Each hole the old screen had (it read only text and more), one problem each.
  CHECK(has_problem(report, "replies.default[0].title", "2 tablets"));
  CHECK(has_problem(report, "replies.default[0].voice", "four hundred milligrams"));
  CHECK(has_problem(report, "replies.default[0].more", "One thousand IU"));
  CHECK(has_problem(report, "replies.default[0].reprompt", "quinine"));
  CHECK(has_problem(report, "replies.default[0].caveat", "Half a tablet"));
  CHECK(has_problem(report, "replies.default[0].suggestions[0]", "tonic water"));
  CHECK(has_problem(report, "responses/hello.json: caveat", "not just for malaria"));  // "not " is no warning
  CHECK(has_problem(report, "replies.default[0].text", "reassures"));                  // "not dangerous"
  CHECK(has_problem(report, "_common.json: spoken_disclaimer", "tonic water"));
  CHECK(report.problems.size() == 9);
}

TEST_CASE("safety_problem flags doses spelt out in words", "[check][safety]") {
  for (const char* text :
       {"four hundred milligrams", "Take four hundred milligrams at night.", "one thousand IU of vitamin D",
        "a thousand international units", "half a tablet", "two capsules a day", "twenty-five micrograms",
        "one or two tablets before bed", "five hundred and fifty mg", "1,000IU", "400mcg", "2 teaspoons",
        "10 mmol of potassium", "one dose at night", "three drops"}) {
    CAPTURE(text);
    CHECK_THAT(safety_problem(text), Catch::Contains("dose"));
  }
  CHECK_THAT(safety_problem("Take four hundred milligrams"), Catch::Contains("four hundred milligrams"));
}

TEST_CASE("safety_problem: numbers that are not doses", "[check][safety]") {
  for (const char* text : {"In one trial of older adults, stretching helped.", "Eat two bananas.",
                           "Hold it for thirty seconds, three times.", "Cramps lasting over ten minutes.",
                           "adults aged 65 and over", "one of the key minerals", "Vitamin B12 and D3.",
                           "up to about half of adults"}) {
    CAPTURE(text);
    CHECK(safety_problem(text) == "");
  }
}

TEST_CASE("safety_problem: a bare \"not\" is no warning about quinine", "[check][safety]") {
  for (const char* text :
       {"Quinine is not just for malaria.", "Tonic water is not only a mixer, it eases cramps.",
        "It's not surprising that quinine helps."}) {
    CAPTURE(text);
    CHECK_THAT(safety_problem(text), Catch::Contains("quinine"));
  }
}

TEST_CASE("safety_problem: encouragement or reassurance next to a warning is still flagged",
          "[check][safety]") {
  for (const char* text :
       {"Quinine may help, though it has serious side effects.",
        "It is not recommended by everyone, but try quinine.", "Quinine is not dangerous in small amounts.",
        "Tonic water is safe to drink for cramps.", "Avoid dehydration and drink tonic water."}) {
    CAPTURE(text);
    CHECK_THAT(safety_problem(text), Catch::Contains("quinine"));
  }
  // A condition or a negation before "take quinine" is no encouragement.
  for (const char* text : {"If you take quinine and notice bleeding, get urgent care.",
                           "Don't take quinine for cramps: it is not recommended.",
                           "Bleeding, bruising or purple spots while taking quinine need urgent care.",
                           "Tonic water contains quinine too, so don't use it as a cramp remedy either."}) {
    CAPTURE(text);
    CHECK(safety_problem(text) == "");
  }
}
