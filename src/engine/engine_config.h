#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include "engine/intent_matcher.h"

namespace crampbot {

// Where the catalog lives and how the engine matches; the "catalog", "matcher" and "limits" sections of
// config/crampbot.json.
struct EngineConfig {
  std::filesystem::path intents_dir = "intents";
  std::filesystem::path responses_dir = "responses";
  MatcherOptions matcher;
  std::size_t max_utterance_bytes = 2000;
  // crampbot check warns about a medical reply whose "reviewed" date is older than this.
  int max_review_age_days = 365;

  // Reads the engine's sections from a parsed config file; relative paths are taken relative to the
  // directory of `file`. Throws CatalogError naming the file and key on a wrong type or out-of-range value.
  static EngineConfig from_json(const nlohmann::json& config, const std::filesystem::path& file);
};

}  // namespace crampbot
