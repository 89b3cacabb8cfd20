// engine/spelling_corrector.h: optimal string alignment distance and correction towards the catalog words.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/spelling_corrector.h"

using crampbot::Correction;
using crampbot::edit_distance;
using crampbot::SpellingCorrector;

namespace {

const SpellingCorrector& corrector() {
  static const SpellingCorrector c({"magnesium", "potassium", "calcium", "vitamin", "cramp", "crane", "leg",
                                    "calf", "night", "stretch", "mag", "bold", "cold", "b12", "what", "food",
                                    "sore", "source"});
  return c;
}

}  // namespace

TEST_CASE("edit_distance: insertions, deletions, substitutions", "[spelling]") {
  CHECK(edit_distance("magnesium", "magnesium", 2) == 0);
  CHECK(edit_distance("cramp", "cramps", 2) == 1);
  CHECK(edit_distance("cramps", "cramp", 2) == 1);
  CHECK(edit_distance("cramp", "clamp", 2) == 1);
  CHECK(edit_distance("kitten", "sitting", 3) == 3);
  CHECK(edit_distance("", "", 0) == 0);
  CHECK(edit_distance("", "abc", 3) == 3);
}

TEST_CASE("edit_distance counts an adjacent transposition as one edit (optimal string alignment)",
          "[spelling]") {
  CHECK(edit_distance("magnesuim", "magnesium", 2) == 1);
  CHECK(edit_distance("ab", "ba", 2) == 1);
  CHECK(edit_distance("crmap", "cramp", 2) == 1);
  // OSA, not full Damerau: a transposed pair may not be edited again ("ca" → "abc" is 3, not 2).
  CHECK(edit_distance("ca", "abc", 3) == 3);
}

TEST_CASE("edit_distance stops at the limit and returns limit + 1", "[spelling]") {
  CHECK(edit_distance("kitten", "sitting", 1) == 2);
  CHECK(edit_distance("kitten", "sitting", 2) == 3);
  CHECK(edit_distance("abc", "abcdef", 1) == 2);  // length difference alone exceeds the limit
  CHECK(edit_distance("magnesium", "potassium", 2) == 3);
  CHECK(edit_distance("cramp", "cramp", 0) == 0);
  CHECK(edit_distance("cramp", "clamp", 0) == 1);
}

TEST_CASE("edit_distance is symmetric", "[spelling]") {
  const std::vector<std::pair<std::string, std::string>> pairs = {{"magnesuim", "magnesium"},
                                                                  {"kitten", "sitting"},
                                                                  {"ca", "abc"},
                                                                  {"leg", "legs"},
                                                                  {"stretch", "strecth"}};
  for (const auto& [a, b] : pairs) {
    for (int limit = 0; limit <= 4; ++limit) {
      CAPTURE(a, b, limit);
      CHECK(edit_distance(a, b, limit) == edit_distance(b, a, limit));
    }
  }
}

// Against an empty string the distance is the other string's length, whichever side the empty string is on.
TEST_CASE("edit_distance to an empty string is the other string's length", "[spelling]") {
  CHECK(edit_distance("", "ab", 2) == 2);
  CHECK(edit_distance("ab", "", 2) == 2);
  CHECK(edit_distance("a", "", 1) == 1);
}

TEST_CASE("correct_word: the documented examples", "[spelling]") {
  CHECK(corrector().correct_word("magnesuim") == "magnesium");  // transposition
  CHECK(corrector().correct_word("potasium") == "potassium");   // deletion
  CHECK(corrector().correct_word("calcuim") == "calcium");
  CHECK(corrector().correct_word("vitamn") == "vitamin");
  CHECK(corrector().correct_word("magnxxium") == "magnesium");  // 9 letters: 2 edits allowed
}

TEST_CASE("correct_word: distance allowed depends on length", "[spelling]") {
  CHECK(corrector().correct_word("vitaxxn") == "");    // 7 letters: 1 edit only
  CHECK(corrector().correct_word("strxxch") == "");    // 7 letters, 2 edits from "stretch"
  CHECK(corrector().correct_word("magxxxium") == "");  // 3 edits
}

TEST_CASE("correct_word: short words, numbers, known words and strangers are never corrected", "[spelling]") {
  CHECK(corrector().correct_word("lag") == "");  // 3 letters, though 1 edit from "leg"
  CHECK(corrector().correct_word("clf") == "");
  CHECK(corrector().correct_word("b13") == "");  // not alphabetic
  CHECK(corrector().correct_word("12345") == "");
  CHECK(corrector().correct_word("cramp") == "");  // already known
  CHECK(corrector().correct_word("xylophone") == "");
  CHECK(corrector().correct_word("") == "");
}

TEST_CASE("correct_word: prefers the same first letter, then a word no shorter, then alphabetical order",
          "[spelling]") {
  // "sorce" is one edit from "sore" and from "source": a dropped letter is the likelier slip.
  CHECK(corrector().correct_word("sorce") == "source");
  // "cbold" is one deletion from both "bold" and "cold"; "cold" starts like it.
  CHECK(corrector().correct_word("cbold") == "cold");
  CHECK(corrector().correct_word("bcold") == "bold");
  // "xold" starts like neither: alphabetical.
  CHECK(corrector().correct_word("xold") == "bold");
  // "crame" is one substitution from both "cramp" and "crane", same first letter: alphabetical.
  CHECK(corrector().correct_word("crame") == "cramp");
}

TEST_CASE("correct: corrects unknown words and reports each change", "[spelling]") {
  std::vector<std::string> tokens = {"what", "food", "has", "magnesuim"};
  const auto made = corrector().correct(tokens);
  CHECK(tokens == std::vector<std::string>{"what", "food", "has", "magnesium"});
  REQUIRE(made.size() == 1);
  CHECK(made[0].from == "magnesuim");
  CHECK(made[0].to == "magnesium");
}

TEST_CASE("correct: merges two pieces of a known word", "[spelling]") {
  std::vector<std::string> tokens = {"what", "is", "mag", "nesium"};
  const auto made = corrector().correct(tokens);
  CHECK(tokens == std::vector<std::string>{"what", "is", "magnesium"});
  REQUIRE(made.size() == 1);
  CHECK(made[0].from == "mag nesium");
  CHECK(made[0].to == "magnesium");
}

TEST_CASE("correct: splits a word made of two known words", "[spelling]") {
  std::vector<std::string> tokens = {"legcramp", "night"};
  const auto made = corrector().correct(tokens);
  CHECK(tokens == std::vector<std::string>{"leg", "cramp", "night"});
  REQUIRE(made.size() == 1);
  CHECK(made[0].from == "legcramp");
  CHECK(made[0].to == "leg cramp");
}

TEST_CASE("correct: leaves known, short and numeric tokens alone", "[spelling]") {
  std::vector<std::string> tokens = {"leg", "cramp", "b12", "zz", "2"};
  const auto before = tokens;
  CHECK(corrector().correct(tokens).empty());
  CHECK(tokens == before);
  std::vector<std::string> empty;
  CHECK(corrector().correct(empty).empty());
  CHECK(empty.empty());
}

TEST_CASE("correct: two known words are never merged", "[spelling]") {
  const SpellingCorrector c({"calf", "cramp", "calfcramp"});
  std::vector<std::string> tokens = {"calf", "cramp"};
  CHECK(c.correct(tokens).empty());
  CHECK(tokens == std::vector<std::string>{"calf", "cramp"});
}

TEST_CASE("known() reflects the vocabulary", "[spelling]") {
  CHECK(corrector().known("magnesium"));
  CHECK(corrector().known("b12"));
  CHECK_FALSE(corrector().known("magnesuim"));
  CHECK_FALSE(corrector().known(""));
}
