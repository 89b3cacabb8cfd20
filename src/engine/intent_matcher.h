#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "engine/concept_rules.h"
#include "engine/intent_catalog.h"
#include "engine/spelling_corrector.h"
#include "engine/string_hash.h"
#include "engine/template_compiler.h"
#include "engine/text_normaliser.h"

namespace crampbot {

// Thresholds of the matcher; see docs/authoring.md "Scoring". The defaults are the shipped ones
// (config/crampbot.json states them too).
struct MatcherOptions {
  double min_confidence = 0.15;             // the best intent must reach this
  double min_margin = 0.05;                 // and beat the next intent by this much,
  double min_distinctiveness_margin = 0.1;  // or, in a near tie, be this much more distinctive
  double fuzzy_penalty = 0.9;               // confidence factor per corrected word
  double fuzzy_min_confidence = 0.35;       // a match found only after correction must reach this
  double filler_weight = 0.25;  // weight of a filler word ("the", "my") in coverage; known words weigh 1
  double unknown_weight = 0.2;  // weight of a word the catalog does not know: it cannot tell intents apart
  std::size_t set_max_mem = 64 << 20;  // RE2::Set memory budget

  bool operator==(const MatcherOptions&) const = default;
};

// The best match of one intent, for the explain view.
struct IntentScore {
  std::string intent;
  double score = 0;            // share of the utterance the intent's templates cover
  double distinctiveness = 0;  // how much of what they cover is this intent's own vocabulary
  std::string template_source;
  SlotMap slots;
  std::size_t intent_index = 0;  // in the catalog
};

// One answer a clarifying question offers: the intent as replies name it, with its slots.
struct IntentChoice {
  std::size_t intent_index = 0;  // in the catalog (a helper intent, for its own wording)
  std::string intent;            // the name replies use (answer_as applied)
  SlotMap slots;
};

// The most intents a clarifying question offers.
inline constexpr std::size_t kMaxChoices = 3;

// The concepts the matcher gives the scope rules (intents/_scope.json) beyond the words: the conversation so
// far is about our topic (the utterance need not say it again); the winning intent's templates leave a word
// of the utterance unexplained (a wildcard took it, or no template knows it).
inline constexpr const char* kScopeConversationConcept = "conversation_on_topic";
// The concept of the scope rules that names our topic (cramps, legs, muscles, our nutrients).
inline constexpr const char* kScopeTopicConcept = "topic";
inline constexpr const char* kScopeUncoveredWordConcept = "uncovered_word";

// What the matcher decided; `MatchResult::reason` says why in words.
enum class MatchDecision {
  matched,           // the best intent won by score (or by distinctiveness in a near tie)
  override_intent,   // a template of the override intent (red flags) matched
  red_flag,          // a red-flag rule held (intents/_red_flags.json)
  ambiguous,         // two intents too close to call, and no clarifying question to ask
  clarify,           // two or three intents too close to call: ask which one (MatchResult::choices)
  too_weak,          // the best intent scored below min_confidence
  no_template,       // no template matched
  out_of_scope,      // an intent matched, but the scope rules say the utterance is about something else
  nothing_to_match,  // nothing was left after normalisation
  given,             // the intent came from a platform's own NLU (Engine::respond_to_intent)
};

// The decision's name as the explain view and JSON show it ("red_flag").
std::string_view decision_name(MatchDecision decision);

// Whether the decision answers with the urgent override intent.
inline bool is_urgent_decision(MatchDecision d) {
  return d == MatchDecision::override_intent || d == MatchDecision::red_flag;
}

// What the matcher decided for one utterance, and why.
struct MatchResult {
  std::string intent = kFallbackIntent;
  // The intent named by `intent`, in the catalog the matcher was built from: a handle resolved once, so no
  // step after the match looks it up by name. Set by the matcher and the engine for every result they make.
  const IntentDefinition* definition = nullptr;
  MatchDecision decision = MatchDecision::no_template;
  SlotMap slots;
  double confidence = 0;  // for fallback: the best rejected candidate's score
  std::string normalised;
  std::string template_source;          // the winning template ("" for fallback)
  std::string reason;                   // the decision in words, with what it rests on
  std::vector<Correction> corrections;  // non-empty when the fuzzy stage won
  std::vector<IntentScore> candidates;  // best per intent, best first
  std::vector<std::string> excluded;    // intents ruled out by one of their "except" templates
  std::vector<IntentChoice> choices;    // for clarify: what to offer, best first
  std::vector<std::string> uncovered;   // words the winner's templates leave to wildcards (fillers aside)

  // Answers with `answer` (its name and its handle).
  void answer_with(const IntentDefinition& answer) {
    intent = answer.name;
    definition = &answer;
  }
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

  // Matches one utterance; never throws. `on_topic`: the conversation so far is about our topic, so an
  // utterance without a topic word of its own ("what foods have it?") is not out of scope for that.
  MatchResult match(const NormalisedText& text, bool on_topic = false) const;

  // Whether `text` names our topic (the scope rules' concept of that name); false without scope rules.
  bool mentions_topic(const NormalisedText& text) const;

  // Applies the scope rules to `result` (a match of some utterance) with the words of `text`: the fallback
  // when a rule holds. For a long message whose question was matched alone, the whole message decides scope.
  void apply_scope(const NormalisedText& text, bool on_topic, MatchResult& result) const;

  // The canonical value of `list` that `text` names: the longest phrase of the list found as whole words,
  // earliest first ("vitamin b twelve" → "vitamin_b12"). nullopt when none is named or the list is unknown.
  std::optional<std::string> find_list_value(const std::string& list, const NormalisedText& text) const;

  std::size_t template_count() const;
  const SpellingCorrector& corrector() const { return *corrector_; }

 private:
  struct Template {
    std::size_t intent = 0;  // index into catalog_.intents
    CompiledTemplate compiled;
    std::unique_ptr<re2::RE2> re;
  };
  struct ExceptionPattern;
  struct Pass;
  struct Tokens;
  // Load time (intent_matcher_build.cpp), in the order the constructor calls them.
  void compile_templates(std::vector<std::string>& corrector_words);
  std::vector<ExceptionPattern> compile_exceptions(std::vector<std::string>& corrector_words);
  void link_intents();
  void load_rule_files(const TextNormaliser& normaliser, std::vector<std::string>& corrector_words);
  void weigh_words(const TextNormaliser& normaliser, std::vector<std::string>& corrector_words);
  void build_automata(std::vector<ExceptionPattern>& exceptions,
                      const std::vector<std::string>& corrector_words);
  std::string fill_set();  // the problem as a CatalogError message, or ""
  void install_patterns(const std::vector<ExceptionPattern>& exceptions,
                        std::vector<std::unique_ptr<re2::RE2>>& compiled);
  // Request time (intent_matcher.cpp).
  Tokens analyse(const NormalisedText& text) const;
  Pass run_pass(const Tokens& tokens) const;
  void score_candidate(const Tokens& tokens, int index, Pass& pass) const;
  MatchResult decide(const NormalisedText& text, const Tokens& tokens, Pass& pass) const;
  void take(const IntentScore& winner, MatchResult& result) const;
  bool refines(std::size_t narrow, std::size_t broad) const;
  void settle_near_tie(const Tokens& tokens, MatchResult& result) const;
  void offer_choices(const Tokens& tokens, MatchResult& result) const;
  void note_uncovered(const NormalisedText& text, const Pass& pass, MatchResult& result) const;
  void fill_missing_slots(const std::string& encoded, MatchResult& result) const;
  const std::string* first_list_value(const std::string& list, const std::string& encoded) const;
  bool is_excepted(std::size_t intent, const std::string& encoded) const;
  bool flag_red(const NormalisedText& text, const Tokens& tokens, MatchResult& result) const;

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
  std::unique_ptr<ConceptRules> red_flags_;        // null when the catalog has no _red_flags.json
  std::unique_ptr<ConceptRules> scope_;            // null when the catalog has no _scope.json
  std::size_t override_intent_ = 0;                // index of the intent red flags answer as
  std::vector<std::vector<std::size_t>> refines_;  // by intent index: the intents it refines
  const IntentDefinition* clarify_intent_ =
      nullptr;  // null when the catalog cannot ask a clarifying question
  const IntentDefinition* fallback_intent_ = nullptr;  // the catalog always has one (IntentCatalog::load)
};

}  // namespace crampbot
