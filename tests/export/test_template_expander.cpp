// engine/template_expander.h: templates expanded into bounded, deterministic sample sentences that cover
// every alternative.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "engine/template_expander.h"
#include "test_support.h"

using crampbot::ExpandedSentence;
using crampbot::Lexicon;
using crampbot::TemplateError;
using crampbot::TemplateExpander;
using crampbot::TemplateNode;

namespace {

using Slots = std::map<std::string, std::string>;

Lexicon test_lexicon() {
  Lexicon lexicon;
  lexicon.language = crampbot::test::english_rules();
  lexicon.lists["nutrient"] = {{"magnesium", {"magnesium", "mag"}}, {"vitamin_b12", {"vitamin b12", "b12"}}};
  lexicon.rules = {
      {"greet", "(hi|hello)"}, {"cramp", "(cramp|spasm|charley horse)"}, {"cramps", "[leg|calf] <cramp>"}};
  return lexicon;
}

std::vector<std::string> texts(const std::vector<ExpandedSentence>& sentences) {
  std::vector<std::string> out;
  for (const auto& s : sentences)
    out.push_back(s.text());
  return out;
}

std::set<std::string> sorted(const std::vector<std::string>& v) {
  return {v.begin(), v.end()};
}

// Whether the words of `phrase` occur together, in order, in `sentence`.
bool has_phrase(const std::string& sentence, const std::string& phrase) {
  return (" " + sentence + " ").find(" " + phrase + " ") != std::string::npos;
}

// Every literal word run of a template and the rules it uses, as written (spaces collapsed).
void collect_words(const TemplateNode& node, const Lexicon& lexicon, std::set<std::string>& rules_seen,
                   std::vector<std::string>& out) {
  if (node.type == TemplateNode::Type::words) {
    std::string joined;
    for (const auto& w : crampbot::split_words(node.text))
      joined += (joined.empty() ? "" : " ") + w;
    if (!joined.empty()) out.push_back(joined);
  } else if (node.type == TemplateNode::Type::rule) {
    if (rules_seen.insert(node.text).second) {
      collect_words(crampbot::parse_template(lexicon.rules.at(node.text)), lexicon, rules_seen, out);
    }
  }
  for (const auto& child : node.children)
    collect_words(child, lexicon, rules_seen, out);
}

}  // namespace

TEST_CASE("alternatives each give a sentence", "[expander]") {
  const TemplateExpander expander(test_lexicon());
  CHECK(sorted(texts(expander.expand("(a|b|c) x", {}, 10))) == std::set<std::string>{"a x", "b x", "c x"});
}

TEST_CASE("an optional part is both present and absent", "[expander]") {
  const TemplateExpander expander(test_lexicon());
  CHECK(sorted(texts(expander.expand("x [y]", {}, 10))) == std::set<std::string>{"x", "x y"});
  CHECK(sorted(texts(expander.expand("x [y|z]", {}, 10))) == std::set<std::string>{"x", "x y", "x z"});
}

TEST_CASE("rules expand inline, nested rules too", "[expander]") {
  const TemplateExpander expander(test_lexicon());
  CHECK(sorted(texts(expander.expand("<greet> there", {}, 10))) ==
        std::set<std::string>{"hi there", "hello there"});
  const auto all = texts(expander.expand("my <cramps>", {}, 50));
  for (const std::string phrase : {"leg", "calf", "cramp", "spasm", "charley horse"}) {
    CHECK(std::any_of(all.begin(), all.end(), [&](const auto& s) { return has_phrase(s, phrase); }));
  }
  // The absent side of [leg|calf] shows too.
  CHECK(std::any_of(all.begin(), all.end(),
                    [](const auto& s) { return crampbot::split_words(s).size() == 2; }));
}

TEST_CASE("a declared slot becomes a placeholder - an undeclared one is an error", "[expander]") {
  const TemplateExpander expander(test_lexicon());
  const auto sentences = expander.expand("what foods have {nutrient}", {{"nutrient", "nutrient"}}, 10);
  REQUIRE(sentences.size() == 1);
  CHECK(sentences[0].text() == "what foods have {nutrient}");
  CHECK(sentences[0].slots() == std::vector<std::string>{"nutrient"});
  CHECK(sentences[0].parts.back().slot);
  CHECK(sentences[0].fill({{"nutrient", "b12"}}) == "what foods have b12");
  CHECK_THROWS_AS(expander.expand("what foods have {nutrient}", {}, 10), TemplateError);
}

TEST_CASE("wildcards drop out", "[expander]") {
  const TemplateExpander expander(test_lexicon());
  const auto sentences =
      expander.expand("* (food|foods) * [with] {nutrient} *", {{"nutrient", "nutrient"}}, 10);
  CHECK(sorted(texts(sentences)) == std::set<std::string>{"food {nutrient}", "foods with {nutrient}"});
  for (const auto& s : texts(sentences))
    CHECK(s.find('*') == std::string::npos);
}

TEST_CASE("bad templates are refused", "[expander]") {
  const TemplateExpander expander(test_lexicon());
  CHECK_THROWS_AS(expander.expand("(a|b", {}, 10), TemplateError);
  CHECK_THROWS_AS(expander.expand("<nosuchrule> x", {}, 10), TemplateError);
  CHECK_THROWS_AS(expander.expand("* *", {}, 10), TemplateError);
  CHECK_THROWS_AS(expander.product_size("<nosuchrule>"), TemplateError);
  // A cycle of rules is refused when the rules are loaded (TemplateRules), used or not.
  Lexicon cyclic = test_lexicon();
  cyclic.rules["ping"] = "ping <pong>";
  cyclic.rules["pong"] = "pong <ping>";
  CHECK_THROWS_WITH(TemplateExpander(cyclic), Catch::Contains("refers to itself"));
}

TEST_CASE("a huge template is bounded, yet every alternative is covered", "[expander]") {
  // Eight groups of nine alternatives: 9^8 = 43,046,721 sentences in full.
  std::string source;
  std::vector<std::string> alternatives;
  for (char group = 'a'; group < 'a' + 8; ++group) {
    source += source.empty() ? "(" : " (";
    for (int i = 1; i <= 9; ++i) {
      const std::string word = std::string(1, group) + std::string(static_cast<std::size_t>(i), 'x');
      alternatives.push_back(word);
      source += (i > 1 ? "|" : "") + word;
    }
    source += ")";
  }
  const TemplateExpander expander(test_lexicon());
  CHECK(expander.product_size(source) == 43046721ULL);
  const auto bounded = expander.expand(source, {}, 5);
  CHECK(bounded.size() == 5);
  // Each sentence takes an unused alternative in every group, so nine sentences cover all 72; the first
  // nine of the cartesian product would cover only 8 + 8 of them.
  const auto covering = texts(expander.expand(source, {}, 1000));
  CHECK(covering.size() == 9);
  for (const auto& word : alternatives) {
    CHECK(std::any_of(covering.begin(), covering.end(), [&](const auto& s) { return has_phrase(s, word); }));
  }
}

TEST_CASE("nested choices are all covered, and the walk stops once they are", "[expander]") {
  const TemplateExpander expander(test_lexicon());
  const auto all = texts(expander.expand("(a (b|c) | d [e|f]) z", {}, 100));
  for (const std::string word : {"a", "b", "c", "d", "e", "f"}) {
    CHECK(std::any_of(all.begin(), all.end(), [&](const auto& s) { return has_phrase(s, word); }));
  }
  CHECK(std::find(all.begin(), all.end(), "d z") != all.end());  // the optional part absent
  CHECK(all.size() <= 5);
  CHECK(sorted(all).size() == all.size());  // no sentence twice
}

TEST_CASE("expansion is deterministic", "[expander]") {
  const std::string source = "* [why] (do|does) <cramps> (hurt|happen) [at night|after running] *";
  const TemplateExpander one(test_lexicon());
  const TemplateExpander two(test_lexicon());
  const auto first = one.expand(source, {}, 7);
  CHECK(first == one.expand(source, {}, 7));
  CHECK(first == two.expand(source, {}, 7));
  CHECK(first.size() >= 3);  // "cramp|spasm|charley horse" alone needs three
}

TEST_CASE("every template of the real catalog expands, bounded and covering all its words", "[expander]") {
  const auto& engine = crampbot::test::real_engine();
  const auto& lexicon = engine.intents().lexicon;
  const TemplateExpander expander(lexicon);
  std::size_t templates = 0;
  for (const auto& intent : engine.intents().intents) {
    for (const auto& source : intent.templates) {
      ++templates;
      INFO(intent.name << ": " << source);
      const auto bounded = expander.expand(source, intent.slots, 40);
      CHECK(!bounded.empty());
      CHECK(bounded.size() <= 40);
      for (const auto& s : texts(bounded)) {
        CHECK(s.find_first_of("*()[]<>|") == std::string::npos);
      }
      // With room enough, every literal of the template and of its rules appears in some sentence.
      const auto all = texts(expander.expand(source, intent.slots, 100000));
      std::vector<std::string> literals;
      std::set<std::string> rules_seen;
      collect_words(crampbot::parse_template(source), lexicon, rules_seen, literals);
      for (const auto& literal : literals) {
        INFO("literal: " << literal);
        CHECK(std::any_of(all.begin(), all.end(), [&](const auto& s) { return has_phrase(s, literal); }));
      }
    }
  }
  CHECK(templates > 300);
}

// TemplateExpander::sentences(): templates read as whole utterances.

namespace {

std::vector<std::string> readings(const TemplateExpander& expander, const std::string& source,
                                  const crampbot::JoinFilter& join = {}, bool spot = false) {
  std::vector<std::string> out;
  for (const auto& s : expander.sentences(source, {{"nutrient", "nutrient"}}, spot, {}, join))
    out.push_back(s.sentence.text());
  return out;
}

}  // namespace

TEST_CASE("a reading never has a wildcard between two words", "[expander][sentences]") {
  const TemplateExpander expander(test_lexicon());
  CHECK(readings(expander, "* what * food *").empty());
  CHECK(readings(expander, "* what food *") == std::vector<std::string>{"what food"});
  // The wildcard lies between words only when the optional part is there.
  CHECK(sorted(readings(expander, "x [* y] z")) == std::set<std::string>{"x z"});
  CHECK(sorted(readings(expander, "[* now] what")) == std::set<std::string>{"now what", "what"});
}

TEST_CASE("an optional part next to a dropped edge wildcard is present", "[expander][sentences]") {
  const TemplateExpander expander(test_lexicon());
  CHECK(readings(expander, "* [how] do i stretch *") == std::vector<std::string>{"how do i stretch"});
  CHECK(readings(expander, "* get rid of [it] *") == std::vector<std::string>{"get rid of it"});
  CHECK(sorted(readings(expander, "* tell me more [about (that|it)] *")) ==
        std::set<std::string>{"tell me more about that", "tell me more about it"});
  // Without a wildcard there, both sides read alone.
  CHECK(sorted(readings(expander, "[how] do i stretch")) ==
        std::set<std::string>{"how do i stretch", "do i stretch"});
  // An optional part that starts with a wildcard is not what the edge wildcard stands in for.
  CHECK(sorted(readings(expander, "* stop it [* now] *")) == std::set<std::string>{"stop it"});
}

TEST_CASE("a rule gives the first alternative of each of its choices", "[expander][sentences]") {
  const TemplateExpander expander(test_lexicon());
  // cramps = "[leg|calf] <cramp>", cramp = "(cramp|spasm|charley horse)"
  CHECK(sorted(readings(expander, "my <cramps>")) == std::set<std::string>{"my leg cramp", "my cramp"});
  // The template's own alternatives are all read, in the order written, with their rarity.
  const auto sentences = expander.sentences("(a|b|c) <greet>", {}, false, {}, {});
  REQUIRE(sentences.size() == 3);
  CHECK(sentences[0].sentence.text() == "a hi");
  CHECK(sentences[2].sentence.text() == "c hi");
  CHECK(sentences[0].rarity == 0);
  CHECK(sentences[2].rarity == 2);
}

TEST_CASE("the join filter prunes at each seam, and open edges are asked too", "[expander][sentences]") {
  const TemplateExpander expander(test_lexicon());
  std::vector<std::string> asked;
  const crampbot::JoinFilter join = [&asked](const ExpandedSentence::Part* last,
                                             const ExpandedSentence::Part* next) {
    asked.push_back((last ? last->text : "^") + "|" + (next ? next->text : "$"));
    return !(last && next && last->text == "my" && next->text == "cramp");
  };
  CHECK(readings(expander, "my <cramps>", join) == std::vector<std::string>{"my leg cramp"});
  // "my" is the template's own start, so only the chosen end is asked about.
  CHECK(std::find(asked.begin(), asked.end(), "^|my") == asked.end());
  CHECK(std::find(asked.begin(), asked.end(), "cramp|$") != asked.end());
}

TEST_CASE("a reading says where it stands in a longer utterance and which edges are open",
          "[expander][sentences]") {
  const TemplateExpander expander(test_lexicon());
  const auto one = [&](const std::string& source, bool spot = false) {
    const auto all = expander.sentences(source, {}, spot, {}, {});
    REQUIRE(!all.empty());
    return all.front();
  };
  const auto authored = one("hello there");
  CHECK(!authored.inside_longer);
  CHECK(!authored.open_start);
  CHECK(!authored.open_end);
  const auto chosen = one("(hi|hello) there [now]");
  CHECK(chosen.open_start);
  CHECK(chosen.open_end);  // "now" was chosen
  CHECK(!chosen.inside_longer);
  const auto edge = one("* what causes cramps");
  CHECK(edge.inside_longer);
  CHECK(edge.open_start);
  CHECK(!edge.open_end);
  const auto spotted = one("leg pain", true);
  CHECK(spotted.inside_longer);
  CHECK(spotted.open_start);
  CHECK(spotted.open_end);
}

TEST_CASE("readings are bounded and deterministic", "[expander][sentences]") {
  const TemplateExpander expander(test_lexicon());
  const std::string source = "(a|b|c|d) (e|f|g|h) (i|j|k|l) [m|n]";
  crampbot::SentenceLimits limits;
  limits.max_sentences = 10;
  const auto first = expander.sentences(source, {}, false, limits, {});
  CHECK(first.size() == 10);
  CHECK(first == expander.sentences(source, {}, false, limits, {}));
  limits.max_sentences = 100000;
  limits.max_steps = 20;
  CHECK(expander.sentences(source, {}, false, limits, {}).size() < 10);
  CHECK_THROWS_AS(expander.sentences("<nosuchrule>", {}, false, {}, {}), TemplateError);
  CHECK_THROWS_AS(expander.sentences("{nutrient}", {}, false, {}, {}), TemplateError);
}
