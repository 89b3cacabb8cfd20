#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/intent_matcher.h"

namespace crampbot {

// Where the catalog lives and how the engine matches; the "catalog", "matcher" and "limits" sections of
// config/crampbot.json.
struct EngineConfig {
  // catalog.dir: a folder per language ("en": intents/ and responses/) and per locale ("en-GB": locale.json).
  // Empty when the configuration names one language's two folders (catalog.intents, catalog.responses).
  std::filesystem::path catalog_dir;
  // catalog.default_locale: answers requests that name no locale.
  std::string default_locale = "en-US";
  // catalog.locales: the catalog folders to serve ("en-US", "en-GB", "es"), each with its language's folder;
  // empty: every folder. A server that needs fewer starts faster and holds less.
  std::vector<std::string> locales;
  // The folders of one language: set by the loaders for each engine (initially the default locale's).
  std::filesystem::path intents_dir = "intents";
  std::filesystem::path responses_dir = "responses";
  MatcherOptions matcher;
  std::size_t max_utterance_bytes = 2000;
  // crampbot check warns about a medical reply whose "reviewed" date is older than this.
  int max_review_age_days = 365;

  // Where one locale's catalog is.
  struct LocaleFolders {
    std::string locale;  // the catalog folder that answers: "en-GB", or a language, "en"
    std::filesystem::path intents_dir;
    std::filesystem::path responses_dir;
    std::filesystem::path overlay_file;  // catalog/<locale>/locale.json; empty for a language itself
  };
  // The default locale's: its language's folders, and its overlay when catalog_dir has a folder for it.
  // With one language's folders named directly: those, as the default locale's language, with no overlay.
  LocaleFolders default_folders() const;

  // Whether two configurations load the same catalog the same way.
  bool operator==(const EngineConfig&) const = default;

  // Reads the engine's sections from a parsed config file; relative paths are taken relative to the
  // directory of `file`. Throws CatalogError naming the file and key on a wrong type or out-of-range value.
  static EngineConfig from_json(const nlohmann::json& config, const std::filesystem::path& file);
};

}  // namespace crampbot
