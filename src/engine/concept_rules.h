#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/lexicon.h"
#include "engine/string_hash.h"
#include "engine/text_normaliser.h"

namespace crampbot {

// One phrase of a concept found in an utterance: tokens [first, end).
struct ConceptHit {
  std::size_t concept_id = 0;
  std::size_t first = 0;
  std::size_t end = 0;
  bool negated = false;  // a negator ("no", "not", "without") stands just before it, in the same clause
};

// The rule that held for an utterance, and the phrases it rests on ("site: leg", "sign: dark purple").
struct RuleVerdict {
  bool holds = false;
  std::string rule;
  std::vector<std::string> evidence;
};

// Named concepts (phrase lists, normalised like utterances) and rules over them, as authored in a catalog
// file such as intents/_red_flags.json or intents/_scope.json (see docs/authoring.md). A rule holds when
// every concept of its "all" is present and not negated, each within "window" tokens of a phrase of the
// first (the two phrases spanning at most that many tokens), and no concept of its "none" is. Immutable after
// load; safe to share between threads.
class ConceptRules {
 public:
  // Loads `file`. Concept phrases come from the file itself, from text files it names (one phrase a line,
  // relative to the file) and from lexicon lists. Throws CatalogError naming the file and key on any
  // problem: unknown field, a rule naming an unknown concept, an unreadable or empty phrase file.
  static ConceptRules load(const std::filesystem::path& file, const Lexicon& lexicon,
                           const TextNormaliser& normaliser);

  // Every concept phrase found in `text`, all lengths and overlaps included, in order of position.
  std::vector<ConceptHit> spot(const NormalisedText& text) const;

  // The first rule (in file order) that holds for `text`. `given` names concepts that count as present
  // without a phrase: what the caller knows that no phrase shows (a concept declared "given": true, or
  // any other). Names the file does not have are ignored.
  RuleVerdict first_rule(const NormalisedText& text, std::span<const std::string> given = {}) const;

  // Whether a phrase of the named concept (not negated) occurs in `text`; false for an unknown name.
  bool mentions(const NormalisedText& text, std::string_view name) const;

  // The id of a concept, or SIZE_MAX when the file has none of that name.
  std::size_t concept_id(std::string_view name) const;
  const std::string& concept_name(std::size_t id) const { return concepts_[id].name; }
  // Every token of every phrase, for the spelling corrector's vocabulary.
  std::vector<std::string> words() const;
  std::size_t phrase_count() const { return phrases_.size(); }

 private:
  struct Concept {
    std::string name;
    bool negatable = false;
    bool masks = false;  // its phrases hide other concepts' phrases inside them
    bool given = false;  // no phrases: present only when the caller supplies it
  };
  struct Rule {
    std::string name;
    std::vector<std::size_t> all;
    std::vector<std::size_t> none;
    std::size_t window = 0;  // 0: anywhere in the utterance
  };
  bool holds(const Rule& rule, const std::vector<ConceptHit>& hits, const std::vector<char>& given,
             std::vector<const ConceptHit*>& chosen) const;

  std::vector<Concept> concepts_;
  std::vector<Rule> rules_;
  StringMap<std::vector<std::size_t>> phrases_;  // normalised phrase → the concepts it belongs to
  StringSet first_words_;                        // first token of every phrase
  std::size_t longest_phrase_ = 0;               // in tokens
  StringSet negators_;
  StringSet clause_breaks_;  // words that end a negation's reach ("but", "and")
  std::size_t negation_reach_ = 3;
};

}  // namespace crampbot
