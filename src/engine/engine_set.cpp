#include "engine/engine_set.h"

#include <optional>
#include <set>

#include "engine/catalog_error.h"
#include "engine/locale_tag.h"

namespace crampbot {

namespace {

// Narrows the folders found to those catalog.locales names and their languages. Throws CatalogError for a
// named folder the catalog does not have, when `only` (a language, or "") would have nothing left, and when
// the default locale's language would not be served.
void keep_served(const EngineConfig& config, const std::string& only,
                 std::map<std::string, std::filesystem::path>& languages,
                 std::map<std::string, std::filesystem::path>& locales) {
  std::set<std::string> served_languages;
  std::set<std::string> served_locales;
  for (const std::string& served : config.locales) {
    const std::string language = served.substr(0, served.find('-'));
    if (!only.empty() && language != only) continue;
    const bool is_language = language == served;
    if (!(is_language ? languages : locales).count(served)) {
      throw CatalogError((config.catalog_dir / served).string() + ": missing: catalog.locales names \"" +
                         served + "\", which has no folder");
    }
    served_languages.insert(language);
    if (!is_language) served_locales.insert(served);
  }
  if (!only.empty() && !served_languages.count(only))
    throw CatalogError("catalog.locales: serves no locale of the language \"" + only + "\"");
  const std::string default_language = config.default_locale.substr(0, config.default_locale.find('-'));
  if ((only.empty() || only == default_language) && !served_languages.count(default_language)) {
    throw CatalogError(
        "catalog.locales: serves nothing in the default locale's language (catalog.default_locale " +
        config.default_locale + "); add \"" + config.default_locale + "\"");
  }
  std::erase_if(languages, [&](const auto& entry) { return !served_languages.count(entry.first); });
  std::erase_if(locales, [&](const auto& entry) { return !served_locales.count(entry.first); });
}

}  // namespace

std::shared_ptr<const EngineSet> EngineSet::load(const EngineConfig& config) {
  return load_some(config, "");
}

std::shared_ptr<const EngineSet> EngineSet::load_language(const EngineConfig& config,
                                                          const std::string& language) {
  return load_some(config, language);
}

std::shared_ptr<const EngineSet> EngineSet::load_some(const EngineConfig& config, const std::string& only) {
  auto set = std::make_shared<EngineSet>();
  if (config.catalog_dir.empty()) {
    set->default_ = Engine::load(config);
    set->engines_[set->default_->locale()] = set->default_;
    return set;
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(config.catalog_dir, ec))
    throw CatalogError(config.catalog_dir.string() + ": not a directory (catalog.dir)");
  std::map<std::string, std::filesystem::path> languages;  // "en" → folder
  std::map<std::string, std::filesystem::path> locales;    // "en-GB" → folder
  for (const auto& entry : std::filesystem::directory_iterator(config.catalog_dir)) {
    if (!entry.is_directory()) continue;  // a README beside the folders
    const std::string name = entry.path().filename().string();
    const auto tag = parse_locale(name);
    if (!tag || tag->str() != name) {
      throw CatalogError(entry.path().string() +
                         ": not a language or locale folder (name it as \"en\" or \"en-GB\" are named)");
    }
    if (!only.empty() && tag->language != only) continue;
    (tag->region.empty() ? languages : locales)[name] = entry.path();
  }
  if (!config.locales.empty()) keep_served(config, only, languages, locales);
  if (!only.empty() && !languages.count(only))
    throw CatalogError((config.catalog_dir / only).string() + ": missing: the catalog has no language \"" +
                       only + "\"");
  std::map<std::string, std::shared_ptr<const LanguageModel>> models;
  for (const auto& [language, dir] : languages) {
    EngineConfig own = config;
    own.intents_dir = dir / "intents";
    own.responses_dir = dir / "responses";
    models[language] = LanguageModel::load(own.intents_dir, own.matcher);
    set->engines_[language] = Engine::for_locale(own, models[language], nullptr, language);
  }
  for (const auto& [locale, dir] : locales) {
    const std::string language = locale.substr(0, locale.find('-'));
    if (!models.count(language)) {
      throw CatalogError(dir.string() + ": a locale of \"" + language + "\", which has no folder " +
                         (config.catalog_dir / language).string());
    }
    EngineConfig own = config;
    own.intents_dir = languages[language] / "intents";
    own.responses_dir = languages[language] / "responses";
    const LocaleOverlay overlay = LocaleOverlay::load(dir / "locale.json", locale);
    set->engines_[locale] = Engine::for_locale(own, models[language], &overlay, locale);
  }
  std::string default_language = config.default_locale.substr(0, config.default_locale.find('-'));
  if (!only.empty() && only != default_language) {
    // Another language than the default's: its own folder answers what names no locale.
    set->default_ = set->engines_.at(only);
    return set;
  }
  if (!models.count(default_language)) {
    throw CatalogError((config.catalog_dir / default_language).string() +
                       ": missing: the folder of the default locale's language (catalog.default_locale " +
                       config.default_locale + ")");
  }
  auto exact = set->engines_.find(config.default_locale);
  set->default_ = exact != set->engines_.end() ? exact->second : set->engines_.at(default_language);
  return set;
}

std::shared_ptr<const EngineSet> EngineSet::of(std::shared_ptr<const Engine> engine) {
  auto set = std::make_shared<EngineSet>();
  set->engines_[engine->locale()] = engine;
  set->default_ = std::move(engine);
  return set;
}

std::shared_ptr<const Engine> EngineSet::shared_for_locale(std::string_view requested) const {
  const auto tag = parse_locale(requested);
  if (!tag) return default_;
  if (auto exact = engines_.find(tag->str()); exact != engines_.end()) return exact->second;
  if (auto language = engines_.find(tag->language); language != engines_.end()) return language->second;
  if (auto fallback = engines_.find(default_->language()); fallback != engines_.end())
    return fallback->second;
  return default_;
}

const Engine& EngineSet::for_locale(std::string_view requested) const {
  return *shared_for_locale(requested);
}

const Engine* EngineSet::find(std::string_view locale) const {
  auto it = engines_.find(locale);
  return it == engines_.end() ? nullptr : it->second.get();
}

std::vector<std::string> EngineSet::languages() const {
  std::vector<std::string> out;
  for (const auto& [locale, engine] : engines_) {
    if (locale.find('-') == std::string::npos) out.push_back(locale);
  }
  return out;
}

}  // namespace crampbot
