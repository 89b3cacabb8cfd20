// Engine microbenchmarks: one utterance through normalise → match → slots → reply, on the real catalog.
// Run: build/engine_bench (from the project root, or with CRAMPBOT_CONFIG set).
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "engine/engine.h"
#include "engine/json_file.h"

namespace {

using namespace crampbot;

const Engine& engine() {
  static const std::shared_ptr<const Engine> instance = [] {
    const char* env = std::getenv("CRAMPBOT_CONFIG");
    const std::filesystem::path config = env ? env : CRAMPBOT_SOURCE_DIR "/config/crampbot.json";
    return Engine::load(EngineConfig::from_json(load_json_file(config), config));
  }();
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

void BM_LoadCatalog(benchmark::State& state) {
  const std::filesystem::path config = CRAMPBOT_SOURCE_DIR "/config/crampbot.json";
  const auto json = load_json_file(config);
  for (auto _ : state)
    benchmark::DoNotOptimize(Engine::load(EngineConfig::from_json(json, config)));
}

BENCHMARK(BM_Normalise);
BENCHMARK(BM_MatchMatched);
BENCHMARK(BM_MatchFuzzy);
BENCHMARK(BM_MatchFallback);
BENCHMARK(BM_RespondMatched);
BENCHMARK(BM_LoadCatalog)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
