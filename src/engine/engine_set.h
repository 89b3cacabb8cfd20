#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "engine/engine_config.h"

namespace crampbot {

// The engines of every locale the catalog has: one per language folder (catalog/en, catalog/es) and one per
// locale overlay (catalog/en-GB), the overlays sharing their language's matcher. Loaded, checked and swapped
// together: a reload that fails for one locale keeps every old one. Immutable once loaded.
class EngineSet {
 public:
  // Loads every language and locale folder of config.catalog_dir, or those config.locales names with their
  // languages (or the one language the configuration names directly). Throws CatalogError naming the file or
  // folder: a folder that is not named as a language or locale ("en-GB"), a locale without its language's
  // folder, no folder for the default locale's language, a served locale without a folder or leaving out the
  // default's language, and anything Engine loading refuses.
  static std::shared_ptr<const EngineSet> load(const EngineConfig& config);
  // Only `language`'s folder and its locales (a tool that answers in one language needs no other; loading a
  // language's matcher is most of the cost). Throws as load does, and when the catalog has no such language.
  static std::shared_ptr<const EngineSet> load_language(const EngineConfig& config,
                                                        const std::string& language);

  // The engine for a locale a request names, as platforms write it ("en-GB", "es_mx", "es-419"): that
  // locale's folder; else its language's, which words what differs by region generically ("your local
  // emergency number"); else, for a language we do not have, the default locale's language, likewise
  // generic, as the person may be anywhere. The default locale when `requested` is empty or not a tag.
  const Engine& for_locale(std::string_view requested) const;
  std::shared_ptr<const Engine> shared_for_locale(std::string_view requested) const;

  const Engine& default_engine() const { return *default_; }
  std::shared_ptr<const Engine> shared_default() const { return default_; }
  // The engine of exactly this catalog folder ("en-GB", "es"), or nullptr.
  const Engine* find(std::string_view locale) const;
  // Every engine by its locale, sorted ("en", "en-AU", ..., "es", "es-ES", ...).
  const std::map<std::string, std::shared_ptr<const Engine>, std::less<>>& engines() const {
    return engines_;
  }
  // The languages, sorted ("en", "es").
  std::vector<std::string> languages() const;

  // A set of one engine (tests, tools that load one catalog).
  static std::shared_ptr<const EngineSet> of(std::shared_ptr<const Engine> engine);

 private:
  // `only`: the one language to load ("" for all).
  static std::shared_ptr<const EngineSet> load_some(const EngineConfig& config, const std::string& only);

  std::map<std::string, std::shared_ptr<const Engine>, std::less<>> engines_;
  std::shared_ptr<const Engine> default_;
};

}  // namespace crampbot
