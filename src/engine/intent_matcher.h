#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "engine/intent_catalog.h"
#include "engine/spelling_corrector.h"
#include "engine/string_hash.h"
#include "engine/template_compiler.h"
#include "engine/text_normaliser.h"

namespace crampbot {

// Thresholds of the matcher; see docs/authoring.md "Scoring".
struct MatcherOptions {
  double min_confidence = 0.5;               // the best intent must reach this
  double min_margin = 0.1;                   // and beat the next intent by this much,
  double min_distinctiveness_margin = 0.25;  // or, in a near tie, be this much more distinctive
  double fuzzy_penalty = 0.9;                // confidence factor per corrected word
  double fuzzy_min_confidence = 0.5;         // a match found only after correction must reach this
  double filler_weight = 0.25;  // weight of a filler word ("the", "my") in coverage; known words weigh 1
  double unknown_weight = 0.2;  // weight of a word the catalog does not know: it cannot tell intents apart
  std::size_t set_max_mem = 64 << 20;  // RE2::Set memory budget
};

// The best match of one intent, for the explain view.
struct IntentScore {
  std::string intent;
  double score = 0;            // share of the utterance the intent's templates cover
  double distinctiveness = 0;  // how much of what they cover is this intent's own vocabulary
  std::string template_source;
  SlotMap slots;
};

// What the matcher decided for one utterance, and why.
struct MatchResult {
  std::string intent = kFallbackIntent;
  SlotMap slots;
  double confidence = 0;  // for fallback: the best rejected candidate's score
  std::string normalised;
  std::string template_source;  // the winning template ("" for fallback)
  std::string reason;           // matched | override | no template matched | too weak | ambiguous | ...
  std::vector<Correction> corrections;  // non-empty when the fuzzy stage won
  std::vector<IntentScore> candidates;  // best per intent, best first
  std::vector<std::string> excluded;    // intents ruled out by one of their "except" templates
};

// Matches normalised utterances against every template of a catalog at once: one RE2::Set pass finds the
// candidates, then each candidate's own RE2 extracts slots and wildcard spans for scoring.
// Immutable after construction; match() is thread-safe.
class IntentMatcher {
 public:
  // Compiles every template. Throws CatalogError naming the intent file and template on any error,
  // including RE2 parse errors and a Set that does not fit in memory.
  IntentMatcher(const IntentCatalog& catalog, const TextNormaliser& normaliser,
                const MatcherOptions& options);
  ~IntentMatcher();
  IntentMatcher(const IntentMatcher&) = delete;
  IntentMatcher& operator=(const IntentMatcher&) = delete;

  // Matches one utterance; never throws.
  MatchResult match(const NormalisedText& text) const;

  // The canonical value of `list` that `text` names: the longest phrase of the list found as whole words,
  // earliest first ("vitamin b twelve" → "vitamin_b12"). nullopt when none is named or the list is unknown.
  std::optional<std::string> find_list_value(const std::string& list, const NormalisedText& text) const;

  std::size_t template_count() const;
  const SpellingCorrector& corrector() const { return *corrector_; }

 private:
  struct Template;
  struct Pass;
  struct Tokens;
  Tokens analyse(const NormalisedText& text) const;
  Pass run_pass(const Tokens& tokens) const;
  void score_candidate(const Tokens& tokens, int index, Pass& pass) const;
  MatchResult decide(const NormalisedText& text, const Tokens& tokens, Pass& pass) const;
  void fill_missing_slots(const std::string& encoded, MatchResult& result) const;
  const std::string* first_list_value(const std::string& list, const std::string& encoded) const;
  bool is_excepted(std::size_t intent, const std::string& encoded) const;

  const IntentCatalog& catalog_;
  MatcherOptions options_;
  Vocabulary vocabulary_;
  std::unique_ptr<TemplateCompiler> compiler_;
  std::vector<Template> templates_;
  std::vector<std::vector<std::unique_ptr<RE2>>> exceptions_;  // by intent index: its "except" templates
  std::size_t template_words_ = 0;  // vocabulary ids below this are template words; above, exception-only
  std::unique_ptr<re2::RE2::Set> set_;
  StringMap<double> filler_weights_;
  std::vector<double> distinctiveness_;  // by vocabulary id: 1 / how many intents' templates use the word
  std::unique_ptr<SpellingCorrector> corrector_;
};

}  // namespace crampbot
