// The request-time half of IntentMatcher: analyse, match, decide, red flags and scope. The load-time half
// (compiling the catalog) is in intent_matcher_build.cpp.
#include "engine/intent_matcher.h"

#include <algorithm>
#include <cmath>

#include <re2/re2.h>
#include <re2/set.h>

namespace crampbot {

// An utterance as the matcher sees it: each token's vocabulary id and weight, and the encoded text.
struct IntentMatcher::Tokens {
  std::vector<std::uint32_t> ids;
  std::vector<double> weights;
  double total_weight = 0;
  bool has_unknown = false;  // a token that is neither a template word nor a filler word
  std::string encoded;
};

// The candidates of one pass over one text (exact, or after spelling correction).
struct IntentMatcher::Pass {
  struct Best {
    std::size_t intent = 0;      // index in the catalog
    double score = -1;           // weight of the tokens any of the intent's templates covers, as a share
    double template_score = -1;  // the best single template's coverage
    double distinctiveness = 0;  // covered known words, each weighing 1 / (intents that use the word)
    int template_index = -1;
    SlotMap slots;
    std::vector<char> covered;  // union over the intent's matching templates
  };
  // Only the intents with a matching template, by intent index: a match costs the same in a catalog of
  // thousands of intents as in one of thirty.
  std::vector<Best> best;
  bool set_failed = false;

  Best& of(std::size_t intent) {
    if (!best.empty() && best.back().intent == intent) return best.back();
    for (auto& entry : best) {
      if (entry.intent == intent) return entry;
    }
    best.emplace_back().intent = intent;
    return best.back();
  }
};

IntentMatcher::Tokens IntentMatcher::analyse(const NormalisedText& text) const {
  Tokens tokens;
  tokens.ids.reserve(text.size());
  tokens.weights.reserve(text.size());
  tokens.encoded.reserve(text.size() * Vocabulary::kCodeBytes);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::string_view token = text.token(i);
    const std::uint32_t id = vocabulary_.find(token);
    double weight = 1.0;
    if (auto filler = filler_weights_.find(token); filler != filler_weights_.end()) {
      weight = filler->second;
    } else if (id == Vocabulary::kUnknown) {
      weight = options_.unknown_weight;
      tokens.has_unknown = true;
    } else if (id >= template_words_) {
      weight = options_.unknown_weight;  // known only to exceptions: no template can cover it
    }
    tokens.ids.push_back(id);
    tokens.weights.push_back(weight);
    tokens.total_weight += weight;
    Vocabulary::append_code(id, tokens.encoded);
  }
  return tokens;
}

void IntentMatcher::score_candidate(const Tokens& tokens, int index, Pass& pass) const {
  const std::string& encoded = tokens.encoded;
  const std::vector<double>& weights = tokens.weights;
  const Template& t = templates_[index];
  const std::size_t groups = t.compiled.groups.size();
  std::vector<re2::StringPiece> captures(groups + 1);
  if (!t.re->Match(encoded, 0, encoded.size(), RE2::ANCHOR_BOTH, captures.data(),
                   static_cast<int>(groups + 1))) {
    return;
  }
  // Every token is covered unless a wildcard swallowed it.
  std::vector<char> covered(weights.size(), 1);
  SlotMap slots;
  for (std::size_t g = 0; g < groups; ++g) {
    const re2::StringPiece& piece = captures[g + 1];
    if (piece.data() == nullptr || piece.empty()) continue;
    const auto& group = t.compiled.groups[g];
    if (group.kind == CaptureGroup::Kind::wildcard) {
      const auto first = static_cast<std::size_t>(piece.data() - encoded.data()) / Vocabulary::kCodeBytes;
      const std::size_t count = piece.size() / Vocabulary::kCodeBytes;
      std::fill(covered.begin() + static_cast<std::ptrdiff_t>(first),
                covered.begin() + static_cast<std::ptrdiff_t>(first + count), 0);
    } else {
      for (const auto& phrase : compiler_->list_phrases(group.list)) {
        if (phrase.encoded.size() == piece.size() && piece == phrase.encoded) {
          slots.emplace(group.slot, phrase.canonical);  // the first value of a slot wins
          break;
        }
      }
    }
  }
  double score = 0;
  for (std::size_t i = 0; i < covered.size(); ++i) {
    if (covered[i]) score += weights[i];
  }
  score = tokens.total_weight > 0 ? score / tokens.total_weight : 0;
  auto& best = pass.of(t.intent);
  if (best.covered.empty()) best.covered.assign(covered.size(), 0);
  for (std::size_t i = 0; i < covered.size(); ++i)
    best.covered[i] |= covered[i];
  // The template that speaks for the intent (its slots, the explain view): higher coverage, then more
  // slots filled, then the earlier template.
  const bool better = score > best.template_score + 1e-9 ||
                      (std::abs(score - best.template_score) <= 1e-9 && slots.size() > best.slots.size());
  if (better) {
    best.template_score = score;
    best.template_index = index;
    best.slots = std::move(slots);
  }
}

IntentMatcher::Pass IntentMatcher::run_pass(const Tokens& tokens) const {
  Pass pass;
  std::vector<int> hits;
  RE2::Set::ErrorInfo error{};
  if (!set_->Match(tokens.encoded, &hits, &error) && error.kind != RE2::Set::kNoError) {
    // The Set's DFA ran out of memory on this input: still answer correctly, one pattern at a time.
    pass.set_failed = true;
    hits.clear();
    for (std::size_t i = 0; i < templates_.size(); ++i)
      hits.push_back(static_cast<int>(i));
  }
  std::sort(hits.begin(), hits.end());
  for (int index : hits)
    score_candidate(tokens, index, pass);
  std::sort(pass.best.begin(), pass.best.end(),
            [](const Pass::Best& a, const Pass::Best& b) { return a.intent < b.intent; });
  // An intent is scored on everything its templates explain together: each template is one piece of
  // evidence, and a long sentence often shows two pieces ("a doctor" ... "for leg cramps").
  for (auto& best : pass.best) {
    if (best.template_index < 0) continue;
    double covered = 0;
    for (std::size_t i = 0; i < best.covered.size(); ++i) {
      if (!best.covered[i]) continue;
      covered += tokens.weights[i];
      if (tokens.ids[i] != Vocabulary::kUnknown) best.distinctiveness += distinctiveness_[tokens.ids[i]];
    }
    best.score = tokens.total_weight > 0 ? covered / tokens.total_weight : 0;
  }
  return pass;
}

MatchResult IntentMatcher::decide(const NormalisedText& text, const Tokens& tokens, Pass& pass) const {
  MatchResult result;
  result.answer_with(*fallback_intent_);
  result.normalised = std::string(text.plain());
  for (const auto& best : pass.best) {
    if (best.template_index < 0) continue;
    const std::size_t i = best.intent;
    if (is_excepted(i, tokens.encoded)) {
      result.excluded.push_back(catalog_.intents[i].name);
      continue;
    }
    result.candidates.push_back({catalog_.intents[i].name, best.score, best.distinctiveness,
                                 templates_[best.template_index].compiled.source, best.slots, i});
  }
  std::stable_sort(result.candidates.begin(), result.candidates.end(),
                   [](const IntentScore& a, const IntentScore& b) { return a.score > b.score; });
  if (text.empty()) {
    result.decision = MatchDecision::nothing_to_match;
    result.reason = "nothing left to match after normalisation";
    return result;
  }
  // Red flags first: an override intent wins whatever else the utterance asks.
  for (const auto& candidate : result.candidates) {
    if (!catalog_.intents[candidate.intent_index].overrides) continue;
    take(candidate, result);
    result.confidence = 1.0;
    result.decision = MatchDecision::override_intent;
    result.reason = "override: a template of " + candidate.intent + " matched";
    return result;
  }
  // Then a safety warning: a question that names quinine is never answered without the warning.
  for (const auto& candidate : result.candidates) {
    if (!catalog_.intents[candidate.intent_index].safety_warning) continue;
    take(candidate, result);
    result.decision = MatchDecision::matched;
    result.reason = "safety warning: a template of " + candidate.intent + " matched";
    fill_missing_slots(tokens.encoded, result);
    note_uncovered(text, pass, result);
    return result;
  }
  if (result.candidates.empty()) {
    result.decision = MatchDecision::no_template;
    result.reason =
        pass.set_failed ? "no template matched (matcher ran out of memory)" : "no template matched";
    return result;
  }
  const IntentScore& top = result.candidates.front();
  result.confidence = top.score;
  if (top.score < options_.min_confidence) {
    result.decision = MatchDecision::too_weak;
    result.reason = "too weak: " + top.intent + " scored below min_confidence";
    return result;
  }
  if (result.candidates.size() > 1 && top.score - result.candidates[1].score < options_.min_margin) {
    settle_near_tie(tokens, result);
  } else {
    take(top, result);
    result.decision = MatchDecision::matched;
    result.reason = "matched";
    fill_missing_slots(tokens.encoded, result);
  }
  note_uncovered(text, pass, result);
  return result;
}

void IntentMatcher::note_uncovered(const NormalisedText& text, const Pass& pass, MatchResult& result) const {
  std::size_t winner = 0;
  if (result.decision == MatchDecision::clarify) {
    winner = result.choices.front().intent_index;
  } else if (result.decision == MatchDecision::matched) {
    winner = static_cast<std::size_t>(result.definition - catalog_.intents.data());
  } else {
    return;
  }
  for (const auto& best : pass.best) {
    if (best.intent != winner) continue;
    for (std::size_t i = 0; i < best.covered.size(); ++i) {
      // A filler word ("the", "my") left to a wildcard says nothing about the topic.
      if (!best.covered[i] && !filler_weights_.count(text.token(i)))
        result.uncovered.emplace_back(text.token(i));
    }
  }
}

void IntentMatcher::take(const IntentScore& winner, MatchResult& result) const {
  result.confidence = winner.score;
  result.answer_with(catalog_.intents[winner.intent_index]);
  result.slots = winner.slots;
  result.template_source = winner.template_source;
}

bool IntentMatcher::refines(std::size_t narrow, std::size_t broad) const {
  const auto& list = refines_[narrow];
  return std::find(list.begin(), list.end(), broad) != list.end();
}

void IntentMatcher::settle_near_tie(const Tokens& tokens, MatchResult& result) const {
  const IntentScore& top = result.candidates[0];
  const IntentScore& second = result.candidates[1];
  const IntentScore* winner = nullptr;
  std::string why;
  // A narrower intent wins over the one it refines ("at night" over "what causes"); then the intent whose
  // words are its own ("stretch" over "avoid").
  if (refines(top.intent_index, second.intent_index) || refines(second.intent_index, top.intent_index)) {
    winner = refines(top.intent_index, second.intent_index) ? &top : &second;
    why = "narrower than ";
  } else if (std::abs(top.distinctiveness - second.distinctiveness) >= options_.min_distinctiveness_margin) {
    winner = second.distinctiveness > top.distinctiveness ? &second : &top;
    why = "more distinctive than ";
  }
  if (winner) {
    if (winner->score < options_.min_confidence) {
      result.confidence = winner->score;
      result.decision = MatchDecision::too_weak;
      result.reason = "too weak: " + winner->intent + " scored below min_confidence";
      return;
    }
    take(*winner, result);
    result.decision = MatchDecision::matched;
    result.reason = "matched (" + why + (winner == &top ? second.intent : top.intent) + ")";
    fill_missing_slots(tokens.encoded, result);
    return;
  }
  offer_choices(tokens, result);
}

void IntentMatcher::offer_choices(const Tokens& tokens, MatchResult& result) const {
  const IntentScore& top = result.candidates[0];
  // The tied intents people could mean: within the margin of the best, answered as themselves, at most 3.
  bool helper_in_tie = false;
  for (const auto& candidate : result.candidates) {
    if (top.score - candidate.score >= options_.min_margin || result.choices.size() == kMaxChoices) break;
    const IntentDefinition& intent = catalog_.intents[candidate.intent_index];
    if (intent.conversational || intent.context_action != ContextAction::none ||
        public_name(intent) == kFallbackIntent) {
      helper_in_tie = helper_in_tie || public_name(intent) == kFallbackIntent;
      continue;
    }
    const bool repeated = std::any_of(result.choices.begin(), result.choices.end(),
                                      [&](const IntentChoice& c) { return c.intent == public_name(intent); });
    if (repeated) continue;
    MatchResult one;
    take(candidate, one);
    fill_missing_slots(tokens.encoded, one);
    result.choices.push_back({candidate.intent_index, public_name(intent), one.slots});
  }
  const bool can_clarify = clarify_intent_ && !helper_in_tie;
  if (can_clarify && result.choices.size() >= 2) {
    result.answer_with(*clarify_intent_);
    result.decision = MatchDecision::clarify;
    result.reason = "clarify: " + result.choices[0].intent;
    for (std::size_t i = 1; i < result.choices.size(); ++i)
      result.reason += (i + 1 == result.choices.size() ? " or " : ", ") + result.choices[i].intent;
    return;
  }
  if (can_clarify && result.choices.size() == 1) {
    // The other side of the tie was a greeting or the like: the one real question wins.
    const std::size_t index = result.choices[0].intent_index;
    result.choices.clear();
    for (const auto& candidate : result.candidates) {
      if (candidate.intent_index != index) continue;
      take(candidate, result);
      result.decision = MatchDecision::matched;
      result.reason = "matched (the only question in a tie with a conversational intent)";
      fill_missing_slots(tokens.encoded, result);
      return;
    }
  }
  result.choices.clear();
  result.decision = MatchDecision::ambiguous;
  result.reason = "ambiguous: " + top.intent + " and " + result.candidates[1].intent + " are too close";
}

bool IntentMatcher::is_excepted(std::size_t intent, const std::string& encoded) const {
  for (const auto& re : exceptions_[intent]) {
    if (RE2::FullMatch(encoded, *re)) return true;
  }
  return false;
}

void IntentMatcher::fill_missing_slots(const std::string& encoded, MatchResult& result) const {
  // The winning template may not mention a slot the intent takes ("are those pills safe with magnesium"
  // matched by a template about pills); a value named anywhere in the utterance still fills it.
  for (const auto& [slot, list] : result.definition->slots) {
    if (result.slots.count(slot)) continue;
    if (const std::string* value = first_list_value(list, encoded)) result.slots[slot] = *value;
  }
}

const std::string* IntentMatcher::first_list_value(const std::string& list,
                                                   const std::string& encoded) const {
  // Phrases come longest first, so at one position the longest phrase wins.
  std::size_t best_position = std::string::npos;
  const std::string* best_value = nullptr;
  for (const auto& phrase : compiler_->list_phrases(list)) {
    // Whole tokens only: a match must start on a token boundary.
    for (std::size_t pos = encoded.find(phrase.encoded); pos != std::string::npos && pos < best_position;
         pos = encoded.find(phrase.encoded, pos + 1)) {
      if (pos % Vocabulary::kCodeBytes == 0) {
        best_position = pos;
        best_value = &phrase.canonical;
        break;
      }
    }
  }
  return best_value;
}

bool IntentMatcher::mentions_topic(const NormalisedText& text) const {
  return scope_ && scope_->mentions(text, kScopeTopicConcept);
}

std::optional<std::string> IntentMatcher::find_list_value(const std::string& list,
                                                          const NormalisedText& text) const {
  if (!catalog_.lexicon.lists.count(list)) return std::nullopt;
  const Tokens tokens = analyse(text);
  if (const std::string* value = first_list_value(list, tokens.encoded)) return *value;
  return std::nullopt;
}

bool IntentMatcher::flag_red(const NormalisedText& text, const Tokens& tokens, MatchResult& result) const {
  if (!red_flags_) return false;
  const RuleVerdict verdict = red_flags_->first_rule(text);
  if (!verdict.holds) return false;
  // The override intent's whole-utterance exceptions ("can low b12 cause numbness") rule red flags out too.
  if (is_excepted(override_intent_, tokens.encoded)) {
    const std::string& name = catalog_.intents[override_intent_].name;
    if (std::find(result.excluded.begin(), result.excluded.end(), name) == result.excluded.end())
      result.excluded.push_back(name);
    return false;
  }
  result.answer_with(catalog_.intents[override_intent_]);
  result.slots.clear();
  result.choices.clear();
  result.template_source.clear();
  result.confidence = 1.0;
  result.decision = MatchDecision::red_flag;
  result.reason = "red flag: " + verdict.rule;
  for (std::size_t i = 0; i < verdict.evidence.size(); ++i)
    result.reason += (i ? ", " : " (") + verdict.evidence[i] + (i + 1 == verdict.evidence.size() ? ")" : "");
  return true;
}

void IntentMatcher::apply_scope(const NormalisedText& text, bool on_topic, MatchResult& result) const {
  if (!scope_) return;
  if (result.decision != MatchDecision::matched && result.decision != MatchDecision::clarify) return;
  if (result.decision == MatchDecision::matched) {
    const IntentDefinition* intent = result.definition;
    // Explicitly out of scope already (answered as fallback), or "tell me more", "say that again", "and
    // b12?", which take their topic from the conversation when there is one.
    if (public_name(*intent) == kFallbackIntent) return;
    if (on_topic && intent->context_action != ContextAction::none) return;
  }
  // What the scope rules cannot see in the words: the conversation is already about our topic, and the
  // winning templates leave words unexplained (so the utterance may be about something else).
  std::vector<std::string> given;
  if (on_topic) given.emplace_back(kScopeConversationConcept);
  // One known word a terse template leaves to its wildcard ("see a gp if") is no sign of another subject;
  // an unknown word, or two known ones, is.
  std::size_t known = 0;
  bool unknown = false;
  for (const auto& word : result.uncovered) {
    const bool is_known = vocabulary_.find(word) != Vocabulary::kUnknown;
    known += is_known;
    unknown = unknown || !is_known;
  }
  if (unknown || known >= 2) given.emplace_back(kScopeUncoveredWordConcept);
  const RuleVerdict verdict = scope_->first_rule(text, given);
  if (!verdict.holds) return;
  result.reason = "out of scope: " + verdict.rule + ", though " + result.intent + " matched";
  for (const auto& evidence : verdict.evidence)
    result.reason += "; " + evidence;
  result.answer_with(*fallback_intent_);
  result.slots.clear();
  result.choices.clear();
  result.template_source.clear();
  result.decision = MatchDecision::out_of_scope;
}

MatchResult IntentMatcher::match(const NormalisedText& text, bool on_topic) const {
  const Tokens tokens = analyse(text);
  Pass exact_pass = run_pass(tokens);
  MatchResult exact = decide(text, tokens, exact_pass);
  if (exact.decision == MatchDecision::override_intent || flag_red(text, tokens, exact)) return exact;

  // Only words the catalog does not know can be slips worth correcting.
  if (!tokens.has_unknown) {
    apply_scope(text, on_topic, exact);
    return exact;
  }
  std::vector<std::string> words = text.tokens();
  std::vector<Correction> corrections = corrector_->correct(words);
  if (corrections.empty()) {
    apply_scope(text, on_topic, exact);
    return exact;
  }
  const NormalisedText corrected = NormalisedText::from_tokens(words);
  const Tokens corrected_tokens = analyse(corrected);
  Pass fuzzy_pass = run_pass(corrected_tokens);
  const double penalty = std::pow(options_.fuzzy_penalty, static_cast<double>(corrections.size()));
  for (auto& best : fuzzy_pass.best)
    best.score *= penalty;
  MatchResult fuzzy = decide(corrected, corrected_tokens, fuzzy_pass);
  fuzzy.corrections = std::move(corrections);
  if (fuzzy.decision == MatchDecision::override_intent || flag_red(corrected, corrected_tokens, fuzzy)) {
    fuzzy.reason += " (after spelling correction)";
    return fuzzy;
  }
  const bool exact_won = exact.intent != kFallbackIntent;
  const bool fuzzy_won = fuzzy.intent != kFallbackIntent;
  // A corrected utterance must clear a higher bar: a word changed to fit is weaker evidence.
  const bool fuzzy_strong = fuzzy_won && fuzzy.confidence >= options_.fuzzy_min_confidence;
  if (fuzzy_strong && (!exact_won || fuzzy.confidence > exact.confidence)) {
    fuzzy.reason += " (after spelling correction)";
    apply_scope(corrected, on_topic, fuzzy);
    return fuzzy;
  }
  // Same intent either way: a slot value that only the correction revealed ("magnesuim pills") still counts,
  // and the corrected words are the ones the scope rules read.
  if (exact_won && fuzzy.intent == exact.intent) {
    for (const auto& [slot, value] : fuzzy.slots) {
      if (exact.slots.emplace(slot, value).second) exact.corrections = fuzzy.corrections;
    }
    apply_scope(corrected, on_topic, exact);
  } else {
    apply_scope(text, on_topic, exact);
  }
  return exact;
}

std::string_view decision_name(MatchDecision decision) {
  switch (decision) {
    case MatchDecision::matched:
      return "matched";
    case MatchDecision::override_intent:
      return "override";
    case MatchDecision::red_flag:
      return "red_flag";
    case MatchDecision::ambiguous:
      return "ambiguous";
    case MatchDecision::clarify:
      return "clarify";
    case MatchDecision::too_weak:
      return "too_weak";
    case MatchDecision::no_template:
      return "no_template";
    case MatchDecision::out_of_scope:
      return "out_of_scope";
    case MatchDecision::nothing_to_match:
      return "nothing_to_match";
    case MatchDecision::given:
      return "given";
  }
  return "matched";
}

}  // namespace crampbot
