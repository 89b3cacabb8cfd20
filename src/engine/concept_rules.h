#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/json_file.h"
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
// first (the two phrases spanning at most that many tokens), and no concept of its "none" has a phrase
// (other than one overlapping those words). Immutable after
// load; safe to share between threads.
class ConceptRules {
 public:
  // Loads `file`. Concept phrases come from the file itself, from text files it names (one phrase a line,
  // relative to the file) and from lexicon lists. Throws CatalogError naming the file and key on any
  // problem: unknown field, wrong type, a number out of range, a rule naming an unknown concept, a concept
  // left without phrases, an unreadable or empty phrase file, a concept excepting itself.
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

  // Every token of every phrase, for the spelling corrector's vocabulary.
  std::vector<std::string> words() const;

 private:
  struct Concept {
    std::string name;
    bool negatable = false;
    bool masks = false;  // its phrases hide the shorter phrases inside them (of any concept)
    bool given = false;  // no phrases: present only when the caller supplies it
  };
  struct Rule {
    std::string name;
    std::vector<std::size_t> all;
    std::vector<std::size_t> none;
    std::size_t window = 0;  // 0: anywhere in the utterance
  };
  using Phrases = std::vector<std::vector<std::string>>;  // each phrase as normalised tokens
  struct ReadConcept {
    Concept concept_;
    Phrases phrases;
    std::vector<std::string> except_concepts;
  };
  // Load time.
  void read_concepts(const std::filesystem::path& file, const JsonFields& top, const Lexicon& lexicon,
                     const TextNormaliser& normaliser);
  static ReadConcept read_concept(const std::filesystem::path& file, const JsonFields& top,
                                  const std::string& name, const nlohmann::json& spec, const Lexicon& lexicon,
                                  const TextNormaliser& normaliser);
  static void drop_phrases_naming(const Phrases& others, Phrases& phrases);
  void read_rules(const std::filesystem::path& file, const JsonFields& top);
  std::size_t concept_id(std::string_view name) const;  // SIZE_MAX when the file has none of that name
  // Request time: whether `rule` holds, with the phrases it rests on in `chosen`.
  bool holds(const Rule& rule, const std::vector<ConceptHit>& hits, const std::vector<char>& given,
             std::vector<const ConceptHit*>& chosen) const;
  bool choose(const Rule& rule, const std::vector<ConceptHit>& hits, const std::vector<char>& given,
              std::vector<const ConceptHit*>& chosen) const;

  std::vector<Concept> concepts_;
  std::vector<Rule> rules_;
  // Every phrase and every start of one (by whole tokens), so that spotting extends a span only while some
  // phrase still begins with it: one lookup per token for most text.
  struct PhraseEntry {
    std::vector<std::size_t> concepts;  // the concepts this phrase belongs to (none for a mere start)
    bool continues = false;             // a longer phrase begins with this one
  };
  StringMap<PhraseEntry> phrases_;  // normalised text → entry
  StringSet negators_;
  StringSet clause_breaks_;  // words that end a negation's reach ("but", "and")
  std::size_t negation_reach_ = 3;
};

}  // namespace crampbot
