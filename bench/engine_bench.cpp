// Engine microbenchmarks: one utterance through normalise → match → slots → reply, on the real catalog.
// Run: build/engine_bench (from the project root, or with CRAMPBOT_CONFIG set).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/engine.h"
#include "engine/intent_catalog.h"
#include "engine/intent_matcher.h"
#include "engine/json_file.h"
#include "engine/text_normaliser.h"

namespace {

using namespace crampbot;

const EngineConfig& engine_config() {
  static const EngineConfig config = [] {
    const char* env = std::getenv("CRAMPBOT_CONFIG");
    const std::filesystem::path file = env ? env : CRAMPBOT_SOURCE_DIR "/config/crampbot.json";
    return EngineConfig::from_json(load_json_file(file), file);
  }();
  return config;
}

const Engine& engine() {
  static const std::shared_ptr<const Engine> instance = Engine::load(engine_config());
  return *instance;
}

const char* const kMatched[] = {"what vitamin stops leg cramps", "what foods have potassium",
                                "my calf is cramping right now", "should i take magnesium pills",
                                "can dehydration cause cramps",  "why do i get charley horses at night"};
const char* const kFuzzy[] = {"magnesuim pills safe", "whats the best vitamn for leg cramsp",
                              "dehidration leg cramps"};
const char* const kFallback[] = {"what time is it", "book a flight to paris",
                                 "what is the capital of france"};

template <std::size_t N>
void run_match(benchmark::State& state, const char* const (&utterances)[N]) {
  const Engine& e = engine();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(e.match(utterances[i++ % N]));
  }
}

void BM_Normalise(benchmark::State& state) {
  const Engine& e = engine();
  std::size_t i = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(e.normaliser().normalise(kMatched[i++ % 6]));
}
void BM_MatchMatched(benchmark::State& state) {
  run_match(state, kMatched);
}
void BM_MatchFuzzy(benchmark::State& state) {
  run_match(state, kFuzzy);
}
void BM_MatchFallback(benchmark::State& state) {
  run_match(state, kFallback);
}

void BM_RespondMatched(benchmark::State& state) {
  const Engine& e = engine();
  std::size_t i = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(e.respond(kMatched[i++ % 6], DialogueContext{}));
}

// The ordinary mix of a product's logs (tests/eval/holdout4.jsonl, every utterance): long and short, typos,
// off-topic. What the HTTP benchmark sends, so the two can be compared.
const std::vector<std::string>& log_mix() {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> out;
    std::ifstream in(CRAMPBOT_SOURCE_DIR "/tests/eval/holdout4.jsonl");
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      const auto entry = nlohmann::json::parse(line);
      if (entry.contains("text")) out.push_back(entry["text"]);
      if (entry.contains("turns")) {
        for (const auto& turn : entry["turns"])
          out.push_back(turn["text"]);
      }
    }
    return out;
  }();
  return texts;
}

void BM_MatchLogMix(benchmark::State& state) {
  const Engine& e = engine();
  const auto& texts = log_mix();
  std::size_t i = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(e.match(texts[i++ % texts.size()]));
}

void BM_RespondLogMix(benchmark::State& state) {
  const Engine& e = engine();
  const auto& texts = log_mix();
  std::size_t i = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(e.respond(texts[i++ % texts.size()], DialogueContext{}));
}

void BM_LoadCatalog(benchmark::State& state) {
  const std::filesystem::path config = CRAMPBOT_SOURCE_DIR "/config/crampbot.json";
  const auto json = load_json_file(config);
  for (auto _ : state) {
    auto engine = Engine::load(EngineConfig::from_json(json, config));
    benchmark::DoNotOptimize(engine);
    // Freeing the engine is not part of loading it.
    state.PauseTiming();
    engine.reset();
    state.ResumeTiming();
  }
}

// How matching cost grows with the catalog: the real intents plus synthetic ones, shaped like the real
// templates (edge and inner wildcards, alternatives, optional words) but made of invented words, so the real
// utterances still match their own intents while the RE2::Set and the vocabulary grow by `factor`.
class ScaledCatalog {
 public:
  explicit ScaledCatalog(int factor) {
    const std::filesystem::path source = CRAMPBOT_SOURCE_DIR "/catalog/en/intents";
    dir_ = std::filesystem::temp_directory_path() / ("crampbot-bench-catalog-" + std::to_string(factor));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    // Recursively: the intents folder holds the vocabulary folder too.
    std::filesystem::copy(source, dir_, std::filesystem::copy_options::recursive);
    const IntentCatalog real = IntentCatalog::load(dir_);
    std::size_t real_templates = 0;
    for (const auto& intent : real.intents)
      real_templates += intent.templates.size();
    const std::size_t wanted = real_templates * static_cast<std::size_t>(factor - 1);
    std::size_t made = 0;
    for (int n = 0; made < wanted; ++n) {
      nlohmann::json intent = {{"intent", "synthetic_" + std::to_string(n)}};
      nlohmann::json templates = nlohmann::json::array();
      for (int t = 0; t < 8 && made < wanted; ++t, ++made)
        templates.push_back(synthetic_template(n * 8 + t));
      intent["templates"] = templates;
      intent["examples"] = {word(n * 8 * 7) + " " + word(n * 8 * 7 + 1)};
      std::ofstream(dir_ / ("synthetic_" + std::to_string(n) + ".json")) << intent.dump(2);
    }
    catalog_ = IntentCatalog::load(dir_);
    normaliser_ = std::make_unique<TextNormaliser>(catalog_.lexicon);
    MatcherOptions options = engine_config().matcher;
    options.set_max_mem = std::size_t(1) << 30;  // the 100x Set needs more than the shipped budget
    matcher_ = std::make_unique<IntentMatcher>(catalog_, *normaliser_, options);
  }
  ~ScaledCatalog() { std::filesystem::remove_all(dir_); }

  MatchResult match(std::string_view text) const { return matcher_->match(normaliser_->normalise(text)); }
  std::size_t templates() const { return matcher_->template_count(); }

 private:
  // Invented words: consonant-vowel syllables no English utterance contains.
  static std::string word(int n) {
    static const char* const kSyllables[] = {"zu", "qo", "xa", "vy", "ke", "jo", "wi", "fu",
                                             "zo", "qa", "xe", "vu", "ky", "ja", "wo", "fe"};
    std::string out = "zq";
    for (int i = 0; i < 3; ++i, n /= 16)
      out += kSyllables[n % 16];
    return out;
  }
  static std::string synthetic_template(int n) {
    const int w = n * 7;
    switch (n % 4) {
      case 0:
        return "* (" + word(w) + "|" + word(w + 1) + ") * (" + word(w + 2) + "|" + word(w + 3) + ") *";
      case 1:
        return "[" + word(w) + "] " + word(w + 1) + " (" + word(w + 2) + "|" + word(w + 3) + ") [" +
               word(w + 4) + "]";
      case 2:
        return "* " + word(w) + " [" + word(w + 1) + "] (" + word(w + 2) + "|" + word(w + 3) + "|" +
               word(w + 4) + ") *";
      default:
        return word(w) + " * " + word(w + 1) + " [" + word(w + 2) + "|" + word(w + 3) + "] *";
    }
  }

  std::filesystem::path dir_;
  IntentCatalog catalog_;
  std::unique_ptr<TextNormaliser> normaliser_;
  std::unique_ptr<IntentMatcher> matcher_;
};

template <int Factor>
void BM_MatchScaled(benchmark::State& state) {
  static const ScaledCatalog catalog(Factor);
  for (const char* text : kMatched) {
    if (catalog.match(text).intent != engine().match(text).intent) {
      state.SkipWithError("the scaled catalog answers a real utterance differently");
      return;
    }
  }
  std::size_t i = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(catalog.match(kMatched[i++ % 6]));
  state.counters["templates"] = static_cast<double>(catalog.templates());
}

BENCHMARK(BM_Normalise);
BENCHMARK(BM_MatchMatched);
BENCHMARK(BM_MatchFuzzy);
BENCHMARK(BM_MatchFallback);
BENCHMARK(BM_RespondMatched);
BENCHMARK(BM_MatchLogMix);
BENCHMARK(BM_RespondLogMix);
BENCHMARK(BM_LoadCatalog)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatchScaled<1>)->Name("BM_MatchScaled/1x");
BENCHMARK(BM_MatchScaled<10>)->Name("BM_MatchScaled/10x");
BENCHMARK(BM_MatchScaled<100>)->Name("BM_MatchScaled/100x");

}  // namespace

BENCHMARK_MAIN();
