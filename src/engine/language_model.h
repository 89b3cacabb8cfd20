#pragma once

#include <filesystem>
#include <memory>

#include "engine/intent_catalog.h"
#include "engine/intent_matcher.h"
#include "engine/text_normaliser.h"

namespace crampbot {

// What matching needs of one language (catalog/<language>/intents): its intents, normaliser and compiled
// matcher. Loaded once per language and shared, immutable, by the engines of all its locales.
struct LanguageModel {
  IntentCatalog intents;
  std::unique_ptr<TextNormaliser> normaliser;
  std::unique_ptr<IntentMatcher> matcher;

  // Loads and compiles `intents_dir`. Throws CatalogError naming the file and field.
  static std::shared_ptr<const LanguageModel> load(const std::filesystem::path& intents_dir,
                                                   const MatcherOptions& options);
};

}  // namespace crampbot
