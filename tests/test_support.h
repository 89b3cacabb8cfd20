// Shared helpers for the crampbot tests: where the sources and fixtures are, and loading engines.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "engine/engine.h"
#include "engine/engine_config.h"
#include "engine/engine_set.h"
#include "engine/json_file.h"
#include "engine/language_rules.h"

namespace crampbot::test {

inline std::filesystem::path source_dir() {
  return std::filesystem::path(CRAMPBOT_SOURCE_DIR);
}
inline std::filesystem::path fixture(const std::string& name) {
  return source_dir() / "tests" / "fixtures" / name;
}

// English folding rules (number words, plurals, spoken letters) for tests that build a Lexicon by hand:
// tests/fixtures/language/english.json, a copy of the catalog's, so tuning the catalog cannot change them.
inline LanguageRules english_rules() {
  const std::filesystem::path file = fixture("language") / "english.json";
  const nlohmann::json json = load_json_file(file);
  return LanguageRules::from_json(&json, file);
}

// Loads an engine from a config file exactly as the CLI does.
inline std::shared_ptr<const Engine> load_engine(const std::filesystem::path& config_file) {
  return Engine::load(EngineConfig::from_json(load_json_file(config_file), config_file));
}

// The real catalog (config/crampbot.json), loaded once for the whole test run.
inline const Engine& real_engine() {
  static const std::shared_ptr<const Engine> engine = load_engine(source_dir() / "config" / "crampbot.json");
  return *engine;
}

// Every locale of the real catalog (config/crampbot.json), loaded once for the whole test run.
inline const EngineSet& real_engines() {
  static const std::shared_ptr<const EngineSet> engines = EngineSet::load(EngineConfig::from_json(
      load_json_file(source_dir() / "config" / "crampbot.json"), source_dir() / "config" / "crampbot.json"));
  return *engines;
}

// English and its locales in the real catalog (config/crampbot.json), loaded once for the whole test run: for
// tests that are not about other languages, as loading every language takes several times longer under
// AddressSanitizer.
inline const EngineSet& real_english_engines() {
  static const std::shared_ptr<const EngineSet> engines = EngineSet::load_language(
      EngineConfig::from_json(load_json_file(source_dir() / "config" / "crampbot.json"),
                              source_dir() / "config" / "crampbot.json"),
      "en");
  return *engines;
}

// A set of the one engine `engine` (shared, as the tests' engines are static).
inline std::shared_ptr<const EngineSet> set_of(const Engine& engine) {
  return EngineSet::of(std::shared_ptr<const Engine>(std::shared_ptr<const Engine>{}, &engine));
}

// The small test catalog under tests/fixtures/mini.
inline const Engine& mini_engine() {
  static const std::shared_ptr<const Engine> engine = load_engine(fixture("mini") / "config.json");
  return *engine;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace crampbot::test
