// engine/vocabulary.h: template words as one code point each, so patterns and utterances work on whole words.
#include <catch2/catch.hpp>

#include "test_support.h"

#include <string>

#include "engine/catalog_error.h"
#include "engine/lexicon.h"
#include "engine/text_normaliser.h"
#include "engine/vocabulary.h"

using crampbot::Lexicon;
using crampbot::NormalisedText;
using crampbot::Vocabulary;

TEST_CASE("add gives each distinct word one id, in order", "[vocabulary]") {
  Vocabulary v;
  CHECK(v.size() == 0);
  const auto cramp = v.add("cramp");
  const auto leg = v.add("leg");
  CHECK(cramp != leg);
  CHECK(v.add("cramp") == cramp);  // adding again changes nothing
  CHECK(v.size() == 2);
  CHECK(v.find("cramp") == cramp);
  CHECK(v.find("leg") == leg);
  CHECK(v.find("calf") == Vocabulary::kUnknown);
  CHECK(v.word(cramp) == "cramp");
  CHECK(v.words() == std::vector<std::string>{"cramp", "leg"});
}

TEST_CASE("codes round-trip and are all the same width", "[vocabulary]") {
  Vocabulary v;
  for (int i = 0; i < 5000; ++i)
    v.add("w" + std::to_string(i));
  for (std::uint32_t id : {0u, 1u, 63u, 64u, 4095u, 4096u, 4999u, Vocabulary::kUnknown}) {
    CAPTURE(id);
    std::string code;
    Vocabulary::append_code(id, code);
    CHECK(code.size() == Vocabulary::kCodeBytes);
    CHECK(Vocabulary::decode(code.data()) == id);
  }
}

TEST_CASE("encode: one code per token, unknown words share one code", "[vocabulary]") {
  Lexicon lexicon;
  lexicon.language = crampbot::test::english_rules();
  const crampbot::TextNormaliser normaliser(lexicon);
  Vocabulary v;
  v.add("leg");
  v.add("cramp");
  const NormalisedText text = normaliser.normalise("Leg cramps, zebra leg, yak");
  const std::string encoded = v.encode(text);
  REQUIRE(encoded.size() == text.size() * Vocabulary::kCodeBytes);
  const auto at = [&](std::size_t i) {
    return Vocabulary::decode(encoded.data() + i * Vocabulary::kCodeBytes);
  };
  CHECK(at(0) == v.find("leg"));
  CHECK(at(1) == v.find("cramp"));
  CHECK(at(2) == Vocabulary::kUnknown);
  CHECK(at(3) == v.find("leg"));
  CHECK(at(4) == Vocabulary::kUnknown);
  CHECK(encoded.substr(2 * 3, 3) == encoded.substr(4 * 3, 3));  // zebra and yak: the same code
  CHECK(v.encode(normaliser.normalise("")).empty());
}
