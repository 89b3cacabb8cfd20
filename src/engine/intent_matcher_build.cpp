// The load-time half of IntentMatcher: templates and exceptions compiled, the rule files loaded, words
// weighed, and the automata built. The request-time half is in intent_matcher.cpp.
#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <system_error>
#include <thread>

#include <re2/re2.h>
#include <re2/set.h>

#include "engine/intent_matcher.h"

namespace crampbot {

// An "except" template compiled, waiting for its RE2.
struct IntentMatcher::ExceptionPattern {
  std::size_t intent;
  std::string source;
  std::string pattern;
};

namespace {

// Each template's own RE2 runs only on the few utterances the Set names, on text of a few dozen bytes: a
// small budget bounds what its DFA caches can grow to (RE2's default is 8 MB each, hundreds of times
// over, under hostile input) at no measurable cost in speed (bench/engine_bench, BM_MatchLogMix).
constexpr int64_t kTemplateMaxMem = 256 << 10;

RE2::Options pattern_options() {
  RE2::Options options = template_pattern_options();
  options.set_max_mem(kTemplateMaxMem);
  return options;
}

// Runs job(0) … job(count - 1) on this thread and one more, each thread taking the next index as it frees
// up; on this thread alone when no thread can be started. The first exception a job throws is rethrown.
void run_on_two_threads(std::size_t count, const std::function<void(std::size_t)>& job) {
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  const auto work = [&]() noexcept {
    for (std::size_t i = next++; i < count; i = next++) {
      try {
        job(i);
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    }
  };
  std::thread helper;
  try {
    helper = std::thread(work);
  } catch (const std::system_error&) {
    // No second thread: every job runs here.
  }
  work();
  if (helper.joinable()) helper.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

IntentMatcher::IntentMatcher(const IntentCatalog& catalog, const TextNormaliser& normaliser,
                             const MatcherOptions& options)
    : catalog_(catalog), options_(options) {
  try {
    compiler_ = std::make_unique<TemplateCompiler>(catalog.lexicon, normaliser, vocabulary_);
  } catch (const TemplateError& e) {
    throw CatalogError(catalog.lexicon_file.string() + ": rules: " + e.what());
  }
  // First every template and exception becomes a pattern and the vocabulary is complete; then what is built
  // from them (the Set, the corrector, each pattern's RE2) is built on two threads.
  std::vector<std::string> corrector_words;
  compile_templates(corrector_words);
  std::vector<ExceptionPattern> exceptions = compile_exceptions(corrector_words);
  link_intents();
  load_rule_files(normaliser, corrector_words);
  weigh_words(normaliser, corrector_words);
  compiler_->clear_word_cache();
  build_automata(exceptions, corrector_words);
}

IntentMatcher::~IntentMatcher() = default;

std::size_t IntentMatcher::template_count() const {
  return templates_.size();
}

void IntentMatcher::compile_templates(std::vector<std::string>& corrector_words) {
  for (std::size_t i = 0; i < catalog_.intents.size(); ++i) {
    const auto& intent = catalog_.intents[i];
    for (const auto& source : intent.templates) {
      Template t;
      t.intent = i;
      try {
        t.compiled = compiler_->compile(source, intent.slots, intent.spot);
      } catch (const TemplateError& e) {
        throw CatalogError(intent.file.string() + ": templates: " + e.what());
      }
      corrector_words.insert(corrector_words.end(), t.compiled.words.begin(), t.compiled.words.end());
      templates_.push_back(std::move(t));
    }
  }
  template_words_ = vocabulary_.size();
}

std::vector<IntentMatcher::ExceptionPattern> IntentMatcher::compile_exceptions(
    std::vector<std::string>& corrector_words) {
  // Exceptions are checked only for an intent that is already a candidate, one anchored pattern at a time.
  // Their words join the vocabulary (so the patterns can name them) but weigh like unknown words in scoring.
  std::vector<ExceptionPattern> out;
  for (std::size_t i = 0; i < catalog_.intents.size(); ++i) {
    const auto& intent = catalog_.intents[i];
    for (const auto& source : intent.exceptions) {
      CompiledTemplate compiled;
      try {
        compiled = compiler_->compile(source, intent.slots, false);
      } catch (const TemplateError& e) {
        throw CatalogError(intent.file.string() + ": except: " + e.what());
      }
      const bool has_wildcard =
          std::any_of(compiled.groups.begin(), compiled.groups.end(),
                      [](const CaptureGroup& g) { return g.kind == CaptureGroup::Kind::wildcard; });
      if (intent.overrides && has_wildcard) {
        throw CatalogError(intent.file.string() + ": except \"" + source +
                           "\": an override intent's exceptions may not use *: extra words could describe a "
                           "symptom, and must keep the override");
      }
      corrector_words.insert(corrector_words.end(), compiled.words.begin(), compiled.words.end());
      out.push_back({i, source, std::move(compiled.pattern)});
    }
  }
  return out;
}

void IntentMatcher::link_intents() {
  // Names become indices once, here (the catalog loader has checked that each names an intent).
  refines_.resize(catalog_.intents.size());
  for (std::size_t i = 0; i < catalog_.intents.size(); ++i) {
    for (const auto& name : catalog_.intents[i].refines)
      refines_[i].push_back(static_cast<std::size_t>(catalog_.find(name) - catalog_.intents.data()));
  }
  clarify_intent_ = catalog_.find(kClarifyIntent);
  fallback_intent_ = catalog_.find(kFallbackIntent);
  if (const IntentDefinition* urgent = catalog_.override_intent())
    override_intent_ = static_cast<std::size_t>(urgent - catalog_.intents.data());
}

void IntentMatcher::load_rule_files(const TextNormaliser& normaliser,
                                    std::vector<std::string>& corrector_words) {
  // Red-flag phrases join the corrector's vocabulary ("swolen" → "swollen"), not the templates'.
  if (!catalog_.red_flags_file.empty()) {
    red_flags_ = std::make_unique<ConceptRules>(
        ConceptRules::load(catalog_.red_flags_file, catalog_.lexicon, normaliser));
    const auto words = red_flags_->words();
    corrector_words.insert(corrector_words.end(), words.begin(), words.end());
  }
  if (!catalog_.scope_file.empty()) {
    scope_ =
        std::make_unique<ConceptRules>(ConceptRules::load(catalog_.scope_file, catalog_.lexicon, normaliser));
  }
}

void IntentMatcher::weigh_words(const TextNormaliser& normaliser, std::vector<std::string>& corrector_words) {
  for (const auto& word : catalog_.lexicon.filler_words) {
    for (const auto& token : normaliser.tokenise(word)) {
      filler_weights_[token] = options_.filler_weight;
      corrector_words.push_back(token);
    }
  }
  for (const auto& word : catalog_.lexicon.skip_words) {
    for (const auto& token : normaliser.tokenise(word))
      corrector_words.push_back(token);
  }
  // A word counts 1 / (the number of intents whose templates use it) toward an intent's distinctiveness.
  std::vector<int> intents_using(vocabulary_.size(), 0);
  for (std::size_t i = 0; i < catalog_.intents.size(); ++i) {
    std::vector<char> used(vocabulary_.size(), 0);
    for (const auto& t : templates_) {
      if (t.intent != i) continue;
      for (const auto& word : t.compiled.words)
        used[vocabulary_.find(word)] = 1;
    }
    for (std::size_t id = 0; id < used.size(); ++id)
      intents_using[id] += used[id];
  }
  distinctiveness_.assign(vocabulary_.size(), 0.0);
  for (std::size_t id = 0; id < intents_using.size(); ++id) {
    if (intents_using[id] > 0 && !filler_weights_.count(vocabulary_.word(static_cast<std::uint32_t>(id)))) {
      distinctiveness_[id] = 1.0 / intents_using[id];
    }
  }
  corrector_words.insert(corrector_words.end(), vocabulary_.words().begin(), vocabulary_.words().end());
}

void IntentMatcher::build_automata(std::vector<ExceptionPattern>& exceptions,
                                   const std::vector<std::string>& corrector_words) {
  RE2::Options set_options = pattern_options();
  set_options.set_max_mem(static_cast<int64_t>(options_.set_max_mem));
  set_ = std::make_unique<RE2::Set>(set_options, RE2::ANCHOR_BOTH);
  // The Set's automaton, the spelling corrector and each pattern's own RE2, three fifths of the load, are
  // independent: two threads build them.
  std::vector<const std::string*> patterns;
  for (const auto& t : templates_)
    patterns.push_back(&t.compiled.pattern);
  for (const auto& e : exceptions)
    patterns.push_back(&e.pattern);
  std::vector<std::unique_ptr<RE2>> compiled(patterns.size());
  std::string set_problem;  // what stopped the Set, as a CatalogError message
  run_on_two_threads(2 + patterns.size(), [&](std::size_t job) {
    if (job == 0) {
      set_problem = fill_set();
    } else if (job == 1) {
      corrector_ = std::make_unique<SpellingCorrector>(corrector_words, &catalog_.lexicon.dictionary_words);
    } else {
      compiled[job - 2] = std::make_unique<RE2>(*patterns[job - 2], pattern_options());
    }
  });
  if (!set_problem.empty()) throw CatalogError(set_problem);
  install_patterns(exceptions, compiled);
}

std::string IntentMatcher::fill_set() {
  for (const auto& t : templates_) {
    std::string error;
    if (set_->Add(t.compiled.pattern, &error) < 0)
      return catalog_.intents[t.intent].file.string() + ": template \"" + t.compiled.source + "\": " + error;
  }
  if (!set_->Compile()) {
    return "intents: the templates do not fit in the matcher's memory budget (" +
           std::to_string(options_.set_max_mem) + " bytes); raise matcher.set_max_mem";
  }
  return {};
}

void IntentMatcher::install_patterns(const std::vector<ExceptionPattern>& exceptions,
                                     std::vector<std::unique_ptr<RE2>>& compiled) {
  for (std::size_t k = 0; k < templates_.size(); ++k) {
    auto& t = templates_[k];
    if (!compiled[k]->ok()) {
      throw CatalogError(catalog_.intents[t.intent].file.string() + ": template \"" + t.compiled.source +
                         "\": " + compiled[k]->error());
    }
    t.re = std::move(compiled[k]);
  }
  exceptions_.resize(catalog_.intents.size());
  for (std::size_t k = 0; k < exceptions.size(); ++k) {
    const auto& e = exceptions[k];
    auto& re = compiled[templates_.size() + k];
    if (!re->ok()) {
      throw CatalogError(catalog_.intents[e.intent].file.string() + ": except \"" + e.source +
                         "\": " + re->error());
    }
    exceptions_[e.intent].push_back(std::move(re));
  }
}

}  // namespace crampbot
