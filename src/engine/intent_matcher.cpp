#include "engine/intent_matcher.h"

#include <algorithm>
#include <cmath>

#include <re2/re2.h>
#include <re2/set.h>

namespace crampbot {

struct IntentMatcher::Template {
  std::size_t intent = 0;  // index into catalog_.intents
  CompiledTemplate compiled;
  std::unique_ptr<RE2> re;
};

// The candidates of one pass over one text (exact, or after spelling correction).
struct IntentMatcher::Pass {
  struct Best {
    double score = -1;            // weight of the tokens any of the intent's templates covers, as a share
    double template_score = -1;   // the best single template's coverage
    double distinctiveness = 0;   // covered known words, each weighing 1 / (intents that use the word)
    int template_index = -1;
    SlotMap slots;
    std::vector<char> covered;    // union over the intent's matching templates
  };
  std::vector<Best> best;  // per intent
  bool set_failed = false;
};

namespace {

RE2::Options pattern_options() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_log_errors(false);
  options.set_case_sensitive(true);
  return options;
}

}  // namespace

IntentMatcher::IntentMatcher(const IntentCatalog& catalog, const TextNormaliser& normaliser,
                             const MatcherOptions& options)
    : catalog_(catalog), options_(options) {
  compiler_ = std::make_unique<TemplateCompiler>(catalog.lexicon, normaliser);
  RE2::Options set_options = pattern_options();
  set_options.set_max_mem(static_cast<int64_t>(options.set_max_mem));
  set_ = std::make_unique<RE2::Set>(set_options, RE2::ANCHOR_BOTH);
  std::vector<std::string> vocabulary;
  for (std::size_t i = 0; i < catalog.intents.size(); ++i) {
    const auto& intent = catalog.intents[i];
    for (const auto& source : intent.templates) {
      Template t;
      t.intent = i;
      try {
        t.compiled = compiler_->compile(source, intent.slots, intent.spot);
      } catch (const TemplateError& e) {
        throw CatalogError(intent.file.string() + ": templates: " + e.what());
      }
      t.re = std::make_unique<RE2>(t.compiled.pattern, pattern_options());
      if (!t.re->ok()) {
        throw CatalogError(intent.file.string() + ": template \"" + source + "\": " + t.re->error());
      }
      std::string error;
      if (set_->Add(t.compiled.pattern, &error) < 0) {
        throw CatalogError(intent.file.string() + ": template \"" + source + "\": " + error);
      }
      vocabulary.insert(vocabulary.end(), t.compiled.words.begin(), t.compiled.words.end());
      templates_.push_back(std::move(t));
    }
  }
  if (!set_->Compile()) {
    throw CatalogError("intents: the templates do not fit in the matcher's memory budget (" +
                       std::to_string(options.set_max_mem) + " bytes); raise matcher.set_max_mem");
  }
  for (const auto& word : catalog.lexicon.filler_words) {
    for (const auto& token : normaliser.tokenise(word)) {
      weights_[token] = options.filler_weight;
      vocabulary.push_back(token);
    }
  }
  for (const auto& word : catalog.lexicon.skip_words) {
    for (const auto& token : normaliser.tokenise(word)) vocabulary.push_back(token);
  }
  for (std::size_t i = 0; i < catalog.intents.size(); ++i) {
    std::unordered_set<std::string> words;
    for (const auto& t : templates_) {
      if (t.intent == i) words.insert(t.compiled.words.begin(), t.compiled.words.end());
    }
    for (const auto& word : words) {
      if (!weights_.count(word)) ++intent_frequency_[word];
    }
  }
  corrector_ = std::make_unique<SpellingCorrector>(vocabulary);
  vocabulary_.insert(vocabulary.begin(), vocabulary.end());
}

IntentMatcher::~IntentMatcher() = default;

std::size_t IntentMatcher::template_count() const { return templates_.size(); }

void IntentMatcher::score_candidate(const NormalisedText& text, const std::vector<double>& weights, int index,
                                    Pass& pass) const {
  const Template& t = templates_[index];
  const std::size_t groups = t.compiled.groups.size();
  std::vector<re2::StringPiece> captures(groups + 1);
  if (!t.re->Match(text.text, 0, text.text.size(), RE2::ANCHOR_BOTH, captures.data(),
                   static_cast<int>(groups + 1))) {
    return;
  }
  // Every token is covered unless a wildcard swallowed it.
  std::vector<char> covered(text.size(), 1);
  SlotMap slots;
  for (std::size_t g = 0; g < groups; ++g) {
    const re2::StringPiece& piece = captures[g + 1];
    if (piece.data() == nullptr || piece.empty()) continue;
    const auto& group = t.compiled.groups[g];
    if (group.kind == CaptureGroup::Kind::wildcard) {
      const auto begin = static_cast<std::uint32_t>(piece.data() - text.text.data());
      const auto end = static_cast<std::uint32_t>(begin + piece.size());
      const auto first = std::lower_bound(text.starts.begin(), text.starts.end(), begin);
      for (auto it = first; it != text.starts.end() && *it < end; ++it) {
        covered[static_cast<std::size_t>(it - text.starts.begin())] = 0;
      }
    } else {
      const std::string phrase(piece.data(), piece.size() - 1);  // without the trailing space
      for (const auto& [candidate, canonical] : compiler_->list_phrases(group.list)) {
        if (candidate == phrase) {
          slots.emplace(group.slot, canonical);  // the first value of a slot wins
          break;
        }
      }
    }
  }
  double total = 0;
  double score = 0;
  for (std::size_t i = 0; i < covered.size(); ++i) {
    total += weights[i];
    if (covered[i]) score += weights[i];
  }
  score = total > 0 ? score / total : 0;
  auto& best = pass.best[t.intent];
  if (best.covered.empty()) best.covered.assign(text.size(), 0);
  for (std::size_t i = 0; i < covered.size(); ++i) best.covered[i] |= covered[i];
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

IntentMatcher::Pass IntentMatcher::run_pass(const NormalisedText& text) const {
  Pass pass;
  pass.best.resize(catalog_.intents.size());
  std::vector<double> weights(text.size(), 1.0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::string token(text.token(i));
    if (auto it = weights_.find(token); it != weights_.end()) {
      weights[i] = it->second;
    } else if (!vocabulary_.count(token)) {
      weights[i] = options_.unknown_weight;
    }
  }
  std::vector<int> hits;
  RE2::Set::ErrorInfo error{};
  if (!set_->Match(text.text, &hits, &error) && error.kind != RE2::Set::kNoError) {
    // The Set's DFA ran out of memory on this input: still answer correctly, one pattern at a time.
    pass.set_failed = true;
    hits.clear();
    for (std::size_t i = 0; i < templates_.size(); ++i) hits.push_back(static_cast<int>(i));
  }
  std::sort(hits.begin(), hits.end());
  for (int index : hits) score_candidate(text, weights, index, pass);
  // An intent is scored on everything its templates explain together: each template is one piece of
  // evidence, and a long sentence often shows two pieces ("a doctor" ... "for leg cramps").
  double total = 0;
  for (double w : weights) total += w;
  for (auto& best : pass.best) {
    if (best.template_index < 0) continue;
    double covered = 0;
    for (std::size_t i = 0; i < best.covered.size(); ++i) {
      if (!best.covered[i]) continue;
      covered += weights[i];
      if (auto df = intent_frequency_.find(std::string(text.token(i))); df != intent_frequency_.end()) {
        best.distinctiveness += 1.0 / df->second;
      }
    }
    best.score = total > 0 ? covered / total : 0;
  }
  return pass;
}

MatchResult IntentMatcher::decide(const NormalisedText& text, Pass& pass) const {
  MatchResult result;
  result.normalised = std::string(text.plain());
  for (std::size_t i = 0; i < pass.best.size(); ++i) {
    const auto& best = pass.best[i];
    if (best.template_index < 0) continue;
    result.candidates.push_back({catalog_.intents[i].name, best.score, best.distinctiveness,
                                 templates_[best.template_index].compiled.source, best.slots});
  }
  std::stable_sort(result.candidates.begin(), result.candidates.end(),
                   [](const IntentScore& a, const IntentScore& b) { return a.score > b.score; });
  if (text.empty()) {
    result.reason = "nothing left to match after normalisation";
    return result;
  }
  // Red flags first: an override intent wins whatever else the utterance asks.
  const IntentScore* override_winner = nullptr;
  for (const auto& candidate : result.candidates) {
    if (catalog_.find(candidate.intent)->overrides) {
      override_winner = &candidate;
      break;
    }
  }
  if (override_winner) {
    result.intent = override_winner->intent;
    result.slots = override_winner->slots;
    result.template_source = override_winner->template_source;
    result.confidence = 1.0;
    result.reason = "override";
    return result;
  }
  if (result.candidates.empty()) {
    result.reason = pass.set_failed ? "no template matched (matcher ran out of memory)" : "no template matched";
    return result;
  }
  const IntentScore& top = result.candidates.front();
  result.confidence = top.score;
  if (top.score < options_.min_confidence) {
    result.reason = "too weak: " + top.intent + " scored below min_confidence";
    return result;
  }
  const IntentScore* winner = &top;
  result.reason = "matched";
  if (result.candidates.size() > 1 && top.score - result.candidates[1].score < options_.min_margin) {
    // A near tie goes to the intent whose words are its own ("stretch" over "avoid"); if neither's are,
    // the utterance is ambiguous and gets the fallback rather than a guess.
    const IntentScore& second = result.candidates[1];
    if (std::abs(top.distinctiveness - second.distinctiveness) < options_.min_distinctiveness_margin) {
      result.reason = "ambiguous: " + top.intent + " and " + second.intent + " are too close";
      return result;
    }
    if (second.distinctiveness > top.distinctiveness) winner = &second;
    result.reason = "matched (more distinctive than " +
                    (winner == &top ? second.intent : top.intent) + ")";
  }
  result.confidence = winner->score;
  result.intent = winner->intent;
  result.slots = winner->slots;
  result.template_source = winner->template_source;
  fill_missing_slots(text, result);
  return result;
}

void IntentMatcher::fill_missing_slots(const NormalisedText& text, MatchResult& result) const {
  // The winning template may not mention a slot the intent takes ("are those pills safe with magnesium"
  // matched by a template about pills); a value named anywhere in the utterance still fills it.
  const IntentDefinition* intent = catalog_.find(result.intent);
  for (const auto& [slot, list] : intent->slots) {
    if (result.slots.count(slot)) continue;
    std::size_t best_position = std::string::npos;
    const std::string* best_value = nullptr;
    for (const auto& [phrase, canonical] : compiler_->list_phrases(list)) {
      // Whole tokens only: the phrase must start at a token and end before a space.
      for (std::size_t pos = text.text.find(phrase); pos != std::string::npos; pos = text.text.find(phrase, pos + 1)) {
        const bool starts_token = pos == 0 || text.text[pos - 1] == ' ';
        const bool ends_token = pos + phrase.size() < text.text.size() && text.text[pos + phrase.size()] == ' ';
        if (starts_token && ends_token) {
          if (pos < best_position) {
            best_position = pos;
            best_value = &canonical;
          }
          break;
        }
      }
    }
    if (best_value) result.slots[slot] = *best_value;
  }
}

MatchResult IntentMatcher::match(const NormalisedText& text) const {
  Pass exact_pass = run_pass(text);
  MatchResult exact = decide(text, exact_pass);
  if (exact.reason == "override") return exact;

  std::vector<std::string> tokens = text.tokens();
  std::vector<Correction> corrections = corrector_->correct(tokens);
  if (corrections.empty()) return exact;
  const NormalisedText corrected = NormalisedText::from_tokens(tokens);
  Pass fuzzy_pass = run_pass(corrected);
  const double penalty = std::pow(options_.fuzzy_penalty, static_cast<double>(corrections.size()));
  for (auto& best : fuzzy_pass.best) best.score *= penalty;
  MatchResult fuzzy = decide(corrected, fuzzy_pass);
  fuzzy.corrections = std::move(corrections);
  const bool exact_won = exact.intent != kFallbackIntent;
  const bool fuzzy_won = fuzzy.intent != kFallbackIntent;
  // A corrected utterance must clear a higher bar: a word changed to fit is weaker evidence.
  const bool fuzzy_strong = fuzzy_won && fuzzy.confidence >= options_.fuzzy_min_confidence;
  if (fuzzy.reason == "override" || (fuzzy_strong && (!exact_won || fuzzy.confidence > exact.confidence))) {
    fuzzy.reason += " (after spelling correction)";
    return fuzzy;
  }
  // Same intent either way: a slot value that only the correction revealed ("magnesuim pills") still counts.
  if (exact_won && fuzzy.intent == exact.intent) {
    for (const auto& [slot, value] : fuzzy.slots) {
      if (exact.slots.emplace(slot, value).second) exact.corrections = fuzzy.corrections;
    }
  }
  return exact;
}

}  // namespace crampbot
