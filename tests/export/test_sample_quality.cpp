// The quality of the exported samples of the real catalog: each should read as something a person would
// say. Checked from outside the mechanism that chooses them (sentence_likeness.h): how each template sample
// was read off its template, small English grammar rules on closed word classes, and the broken word
// pairs the export made before it judged its sentences.
#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "channels/alexa/alexa_names.h"
#include "engine/template_compiler.h"
#include "export/alexa_interaction_model.h"
#include "export/dialogflow_agent.h"
#include "export/sample_selection.h"
#include "export/speech_text.h"
#include "test_support.h"

using crampbot::ExpandedSentence;
using crampbot::TemplateNode;
using crampbot::exporting::Sample;
using crampbot::test::real_engine;
using nlohmann::json;

namespace {

// Alexa recommends 15 to 30 or more; fewer than this is too few to learn an intent from.
constexpr std::size_t kMinSamplesPerIntent = 10;

// Pairs of words the export produced before it judged its sentences ("boost my that levels through",
// "where do i get more it", "it food", "them diet", "what food have", "does have any {nutrient}").
const std::vector<std::pair<std::string, std::string>> kBrokenPairs = {
    {"my", "that"},   {"my", "them"},   {"my", "it"},       {"more", "it"},     {"enough", "it"},
    {"it", "food"},   {"them", "diet"}, {"that", "levels"}, {"them", "intake"}, {"food", "have"},
    {"does", "have"}, {"what", "have"}, {"it", "diet"},     {"of", "of"},       {"the", "the"}};

// Words a sentence never ends with: articles, possessives and conjunctions need a word after them.
// (Prepositions may end a question: "what can you help me with".)
const std::set<std::string> kNeedsMore = {"a",   "an",    "the", "my", "your",
                                          "our", "their", "and", "or", "than"};
// Determiners and quantifiers take a noun, not a pronoun ("my that", "more it").
const std::set<std::string> kDeterminers = {"a",    "an",     "the",  "my",  "your", "our",   "their",
                                            "more", "enough", "some", "any", "much", "extra", "less"};
const std::set<std::string> kObjectPronouns = {"it", "them", "they", "him", "her"};

// The words of a rule and its nested rules, each alternative in full.
void rule_words(const std::string& rule, std::set<std::string>& out) {
  const std::function<void(const TemplateNode&)> walk = [&](const TemplateNode& node) {
    if (node.type == TemplateNode::Type::words) {
      for (const auto& word : crampbot::split_words(node.text))
        out.insert(word);
    } else if (node.type == TemplateNode::Type::rule) {
      rule_words(node.text, out);
    }
    for (const auto& child : node.children)
      walk(child);
  };
  walk(crampbot::parse_template(real_engine().intents().lexicon.rules.at(rule)));
}

// Nouns of the catalog a pronoun cannot stand before ("it food", "them leg").
std::set<std::string> catalog_nouns() {
  std::set<std::string> out = {"level", "levels", "intake", "deficiency", "food", "foods", "diet"};
  rule_words("body", out);
  return out;
}

// Whether `parts` is a reading of template `source` in which no wildcard lies between two parts, with every
// alternative of every rule allowed. Written apart from TemplateExpander, to check it from outside.
bool reads_without_inner_wildcard(const std::string& source,
                                  const std::vector<ExpandedSentence::Part>& parts) {
  const auto& rules = real_engine().intents().lexicon.rules;
  std::map<std::string, TemplateNode> parsed;
  for (const auto& [name, body] : rules)
    parsed.emplace(name, crampbot::parse_template(body));
  const TemplateNode root = crampbot::parse_template(source);
  // Continuations: the nodes still to read, as a list.
  struct Rest {
    const TemplateNode* node;
    const Rest* next;
  };
  std::function<bool(const Rest*, std::size_t, bool)> read = [&](const Rest* rest, std::size_t at,
                                                                 bool wildcard_open) -> bool {
    if (!rest) return at == parts.size();
    const TemplateNode& node = *rest->node;
    switch (node.type) {
      case TemplateNode::Type::sequence: {
        if (node.children.empty()) return read(rest->next, at, wildcard_open);
        std::vector<Rest> chain(node.children.size());
        for (std::size_t i = chain.size(); i-- > 0;)
          chain[i] = {&node.children[i], i + 1 < chain.size() ? &chain[i + 1] : rest->next};
        return read(&chain.front(), at, wildcard_open);
      }
      case TemplateNode::Type::alternatives:
        for (const auto& child : node.children) {
          const Rest choice{&child, rest->next};
          if (read(&choice, at, wildcard_open)) return true;
        }
        return false;
      case TemplateNode::Type::optional: {
        const Rest present{&node.children.front(), rest->next};
        return read(&present, at, wildcard_open) || read(rest->next, at, wildcard_open);
      }
      case TemplateNode::Type::rule: {
        const Rest body{&parsed.at(node.text), rest->next};
        return read(&body, at, wildcard_open);
      }
      case TemplateNode::Type::wildcard:
        return read(rest->next, at, at > 0);
      case TemplateNode::Type::words:
      case TemplateNode::Type::slot: {
        if (node.type == TemplateNode::Type::words && crampbot::split_words(node.text).empty()) {
          return read(rest->next, at, wildcard_open);
        }
        if (wildcard_open || at >= parts.size()) return false;
        const auto& part = parts[at];
        std::string text;
        for (const auto& word : crampbot::split_words(node.text))
          text += (text.empty() ? "" : " ") + word;
        const bool same = node.type == TemplateNode::Type::slot ? part.slot && part.text == node.text
                                                                : !part.slot && part.text == text;
        return same && read(rest->next, at + 1, false);
      }
    }
    return false;
  };
  const Rest start{&root, nullptr};
  return read(&start, 0, false);
}

const std::map<std::string, std::vector<Sample>>& alexa_samples() {
  static const auto samples = [] {
    std::vector<std::string> exported;
    for (const auto& intent : real_engine().intents().intents) {
      if (!intent.templates.empty() && !crampbot::alexa::covered_by_builtin(intent.name)) {
        exported.push_back(intent.name);
      }
    }
    return crampbot::exporting::select_samples(real_engine(), exported, {},
                                               [](const ExpandedSentence&) { return true; });
  }();
  return samples;
}

// Every Alexa sample and every Dialogflow phrase as words, with whether it came from an example.
std::vector<std::pair<std::string, bool>> exported_texts() {
  std::vector<std::pair<std::string, bool>> out;
  std::set<std::string> examples;  // spelled for speech, slots as placeholders
  for (const auto& [intent, samples] : alexa_samples()) {
    for (const auto& sample : samples) {
      std::string text;
      for (const auto& part : sample.sentence.parts) {
        text += (text.empty() ? "" : " ") + (part.slot
                                                 ? "{" + part.text + "}"
                                                 : crampbot::exporting::spell_for_speech(
                                                       part.text, real_engine().intents().lexicon.language));
      }
      if (sample.from_example) examples.insert(text);
    }
  }
  const json model = crampbot::exporting::alexa_interaction_model(real_engine(), "leg cramp helper");
  for (const auto& intent : model["interactionModel"]["languageModel"]["intents"]) {
    if (intent["name"] == crampbot::alexa::kCatchAllIntent) continue;
    for (const auto& sample : intent["samples"])
      out.emplace_back(sample.get<std::string>(), examples.count(sample.get<std::string>()) > 0);
  }
  const auto files = crampbot::exporting::dialogflow_agent_files(real_engine(), {});
  for (const auto& intent : real_engine().intents().intents) {
    if (intent.templates.empty()) continue;
    for (const auto& phrase : files.at("intents/" + intent.name + "_usersays_en.json")) {
      std::string text;
      for (const auto& chunk : phrase["data"])
        text += chunk["text"].get<std::string>();
      const std::string spoken =
          crampbot::exporting::spell_for_speech(text, real_engine().intents().lexicon.language);
      bool from_example = false;
      for (const auto& example : intent.examples)
        from_example = from_example || crampbot::exporting::spell_for_speech(
                                           example.text, real_engine().intents().lexicon.language) == spoken;
      out.emplace_back(spoken, from_example);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("no template sample is read through a wildcard between two of its words", "[quality]") {
  std::size_t from_templates = 0;
  for (const auto& [intent, samples] : alexa_samples()) {
    for (const auto& sample : samples) {
      if (sample.from_example) continue;
      ++from_templates;
      INFO(intent << ": \"" << sample.sentence.text() << "\" from " << sample.origin);
      CHECK(reads_without_inner_wildcard(sample.origin, sample.sentence.parts));
    }
  }
  CHECK(from_templates > 50);
}

TEST_CASE("no sample has a word pair the export used to make", "[quality]") {
  for (const auto& [text, from_example] : exported_texts()) {
    const auto words = crampbot::split_words(text);
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
      for (const auto& [first, second] : kBrokenPairs) {
        INFO("\"" << text << "\"");
        CHECK(!(words[i] == first && words[i + 1] == second));
      }
    }
    // Rare alternatives of the rules: a misspelling and slang.
    for (const auto& word : words) {
      INFO("\"" << text << "\"");
      CHECK(word != "calve");
      CHECK(word != "hammie");
    }
  }
}

TEST_CASE("template samples keep to the grammar of English function words", "[quality]") {
  const auto nouns = catalog_nouns();
  std::size_t judged = 0;
  for (const auto& [text, from_example] : exported_texts()) {
    if (from_example) continue;  // people wrote them; "what's {nutrient} got to do with" is theirs
    ++judged;
    const auto words = crampbot::split_words(text);
    REQUIRE(!words.empty());
    INFO("\"" << text << "\"");
    CHECK(kNeedsMore.count(words.back()) == 0);
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
      CHECK(!(kDeterminers.count(words[i]) && kObjectPronouns.count(words[i + 1])));
      CHECK(!(kObjectPronouns.count(words[i]) && nouns.count(words[i + 1])));
      CHECK(!(words[i] == words[i + 1] && words[i] != "help"));  // "help help" is the author's
    }
  }
  CHECK(judged > 100);
}

TEST_CASE("examples come first, their values kept where a platform annotates them", "[quality]") {
  const auto& food = alexa_samples().at("food_sources");
  REQUIRE(!food.empty());
  CHECK(food.front().from_example);
  CHECK(food.front().sentence.text() == "what foods have {nutrient}");
  CHECK(food.front().example_values.at("nutrient") == "potassium");
  bool spoken_value = false;  // "how do i know if i'm low in b12": the phrase, not the value id
  for (const auto& sample : alexa_samples().at("deficiency_signs")) {
    if (sample.origin == "how do i know if i'm low in b12") {
      spoken_value = sample.sentence.text() == "how do i know if i'm low in {nutrient}" &&
                     sample.example_values.at("nutrient") == "b12";
    }
  }
  CHECK(spoken_value);
  // "b 12" is read through the normaliser to the list's phrase "b12".
  bool spelled = false;
  for (const auto& sample : alexa_samples().at("nutrient_role")) {
    if (sample.origin == "explain b 12 and cramps") {
      spelled = sample.sentence.text() == "explain {nutrient} and cramps" &&
                sample.example_values.at("nutrient") == "b12";
    }
  }
  CHECK(spelled);
  // Dialogflow keeps the person's value in the annotated phrase.
  const auto files = crampbot::exporting::dialogflow_agent_files(real_engine(), {});
  const auto& phrases = files.at("intents/food_sources_usersays_en.json");
  CHECK(phrases.front()["data"] == json::parse(R"([{"text": "what foods have ", "userDefined": false},
      {"text": "potassium", "alias": "nutrient", "meta": "@nutrient", "userDefined": true}])"));
}

TEST_CASE("every exported intent has enough natural samples", "[quality]") {
  const json model = crampbot::exporting::alexa_interaction_model(real_engine(), "leg cramp helper");
  std::vector<std::string> too_few;
  for (const auto& intent : model["interactionModel"]["languageModel"]["intents"]) {
    const std::string name = intent["name"];
    if (name.rfind("AMAZON.", 0) == 0 || name == crampbot::alexa::kCatchAllIntent) continue;
    if (intent["samples"].size() < kMinSamplesPerIntent) {
      too_few.push_back(name + " (" + std::to_string(intent["samples"].size()) + ")");
    }
  }
  std::string names;
  for (const auto& name : too_few)
    names += name + " ";
  INFO("write more examples for: " << names);
  CHECK(too_few.empty());
}
