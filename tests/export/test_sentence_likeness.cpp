// export/sentence_likeness.h: the judge of template sentences, on a catalog made in the test.
#include <catch2/catch.hpp>

#include "test_support.h"

#include <string>
#include <vector>

#include "export/sentence_likeness.h"

using crampbot::ExpandedSentence;
using crampbot::IntentCatalog;
using crampbot::IntentDefinition;
using crampbot::TemplateSentence;
using crampbot::exporting::SentenceJudge;

namespace {

const std::map<std::string, std::string> kSlots = {{"nutrient", "nutrient"}};

IntentCatalog catalog_saying(const std::vector<std::string>& utterances) {
  IntentCatalog catalog;
  catalog.lexicon.language = crampbot::test::english_rules();
  catalog.lexicon.lists["nutrient"] = {{"magnesium", {"magnesium", "mag"}},
                                       {"vitamin_b12", {"vitamin b12", "b12"}},
                                       {"b_vitamins", {"b vitamin"}}};
  catalog.lexicon.replacements = {{"what's", "what is"}, {"u", "you"}};
  catalog.lexicon.filler_words = {"a", "my", "in", "it"};
  IntentDefinition intent;
  intent.name = "talk";
  for (const auto& text : utterances)
    intent.examples.push_back({text, "talk", {}});
  intent.negatives = {"what time is it"};
  catalog.intents.push_back(std::move(intent));
  return catalog;
}

// A sentence of literal parts ("{nutrient}" a slot), its start and end open unless said otherwise.
TemplateSentence sentence(const std::vector<std::string>& parts, bool inside_longer = false,
                          bool open_edges = true) {
  TemplateSentence out;
  for (const auto& part : parts) {
    const bool slot = part.front() == '{';
    out.sentence.parts.push_back({slot ? part.substr(1, part.size() - 2) : part, slot});
  }
  out.inside_longer = inside_longer;
  out.open_start = open_edges;
  out.open_end = open_edges;
  return out;
}

}  // namespace

TEST_CASE("words are read as a platform hears them", "[likeness]") {
  const SentenceJudge judge(catalog_saying({}));
  using words = std::vector<std::string>;
  CHECK(judge.spoken_words("What's in B 12?") == words{"what", "is", "in", "{nutrient}"});
  CHECK(judge.spoken_words("signs of low B vitamins") == words{"signs", "of", "low", "{nutrient}"});
  CHECK(judge.spoken_words("vitamin b twelve, please") == words{"{nutrient}", "please"});
  // Typed shorthand is not a contraction: it stays as typed.
  CHECK(judge.spoken_words("can u help") == words{"can", "u", "help"});
}

TEST_CASE("pairs and triples come from the catalog's examples and negatives", "[likeness]") {
  const SentenceJudge judge(catalog_saying({"what foods have magnesium"}));
  CHECK(judge.attested(SentenceJudge::kEdge, "what"));
  CHECK(judge.attested("foods", "have"));
  CHECK(judge.attested("have", "{nutrient}"));
  CHECK(judge.attested("{nutrient}", SentenceJudge::kEdge));
  CHECK(judge.attested("what", "foods", "have"));
  CHECK(judge.attested("time", "is", "it"));  // a negative is English too
  CHECK(!judge.attested("foods", "what"));
  CHECK(!judge.attested("what", "have"));
}

TEST_CASE("a seam people do not use rules a sentence out", "[likeness]") {
  const SentenceJudge judge(catalog_saying(
      {"where can i get more of it", "what foods have magnesium", "what foods are rich in it"}));
  const auto fine = judge.judge(sentence({"what foods", "have", "{nutrient}"}), kSlots);
  CHECK(fine.sentence_like);
  CHECK(fine.seams == 4);
  const auto broken = judge.judge(sentence({"where can i get more", "it"}), kSlots);
  CHECK(!broken.sentence_like);
  CHECK(broken.why == "\"more it\" is not a pair people use");
  const auto dangling = judge.judge(sentence({"what foods are rich", "in"}), kSlots);
  CHECK(!dangling.sentence_like);
  CHECK(dangling.why == "no one ends with \"in\"");
  CHECK(judge.judge(sentence({"foods", "have", "{nutrient}"}), kSlots).why == "no one starts with \"foods\"");
  // The template's own start and end are the author's words.
  CHECK(judge.judge(sentence({"foods", "have", "{nutrient}"}, false, false), kSlots).sentence_like);
}

TEST_CASE("a seam inside a sentence needs a triple on one side", "[likeness]") {
  const SentenceJudge judge(catalog_saying({"m a b c", "x b y n", "k y z"}));
  // a|b is backed by "m a b", b|y by "b y n".
  CHECK(judge.judge(sentence({"m a", "b", "y n"}), kSlots).sentence_like);
  // b|y: neither "a b y" nor "b y z" was said, though each pair was.
  const auto verdict = judge.judge(sentence({"m a", "b", "y", "z"}), kSlots);
  CHECK(!verdict.sentence_like);
  CHECK(verdict.why == "\"b y\" is not used between \"a\" and \"z\"");
}

TEST_CASE("a fragment of a longer utterance is too short alone", "[likeness]") {
  const SentenceJudge judge(catalog_saying({"foods with magnesium", "magnesium naturally"}));
  CHECK(!judge.judge(sentence({"{nutrient}", "naturally"}, true), kSlots).sentence_like);
  CHECK(judge.judge(sentence({"{nutrient}", "naturally"}, false), kSlots).sentence_like);
  CHECK(judge.judge(sentence({"foods", "with", "{nutrient}"}, true), kSlots).sentence_like);
}

TEST_CASE("a word from two different parts is redundant - fillers and the author's own are not",
          "[likeness]") {
  const SentenceJudge judge(catalog_saying({"i have a leg cramp in my leg", "a leg cramp", "help help"}));
  const auto twice = judge.judge(sentence({"i have a", "leg cramp", "in my", "leg"}), kSlots);
  CHECK(!twice.sentence_like);
  CHECK(twice.why == "\"leg\" twice");
  CHECK(judge.judge(sentence({"help help"}), kSlots).sentence_like);
  CHECK(judge.judge(sentence({"a", "leg cramp"}), kSlots).sentence_like);
}
