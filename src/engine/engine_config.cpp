#include "engine/engine_config.h"

#include "engine/json_file.h"
#include "engine/locale_tag.h"

namespace crampbot {

namespace {

double fraction(const JsonFields& fields, std::string_view key, double fallback, double low, double high) {
  const double value = fields.optional_number(key, fallback);
  if (!(value >= low && value <= high)) {
    fields.fail(key, "must be between " + std::to_string(low) + " and " + std::to_string(high));
  }
  return value;
}

}  // namespace

EngineConfig::LocaleFolders EngineConfig::default_folders() const {
  LocaleFolders folders;
  const std::string language = default_locale.substr(0, default_locale.find('-'));
  if (catalog_dir.empty()) {
    folders.locale = language;
    folders.intents_dir = intents_dir;
    folders.responses_dir = responses_dir;
    return folders;
  }
  folders.intents_dir = catalog_dir / language / "intents";
  folders.responses_dir = catalog_dir / language / "responses";
  std::error_code ec;
  const std::filesystem::path overlay = catalog_dir / default_locale / "locale.json";
  if (default_locale != language && std::filesystem::exists(overlay, ec)) {
    folders.locale = default_locale;
    folders.overlay_file = overlay;
  } else {
    folders.locale = language;
  }
  return folders;
}

EngineConfig EngineConfig::from_json(const nlohmann::json& config, const std::filesystem::path& file) {
  EngineConfig out;
  const std::filesystem::path base = file.parent_path();
  const JsonFields top(file, config, "");
  out.catalog_dir = (base / "../catalog").lexically_normal();
  if (const auto* catalog = top.optional_object("catalog")) {
    const JsonFields fields(file, *catalog, "catalog");
    fields.only_keys({"dir", "default_locale", "locales", "intents", "responses", "max_review_age_days"});
    const double age = fields.optional_number("max_review_age_days", out.max_review_age_days);
    if (!(age >= 1 && age <= 3650) || age != static_cast<int>(age))
      fields.fail("max_review_age_days", "must be a whole number of days between 1 and 3650");
    out.max_review_age_days = static_cast<int>(age);
    const std::string locale = fields.optional_string("default_locale", out.default_locale);
    const auto tag = parse_locale(locale);
    if (!tag || tag->str() != locale)
      fields.fail("default_locale", "must be a locale written like \"en-US\" or \"en\"");
    out.default_locale = locale;
    for (const std::string& served : fields.strings(fields.optional_array("locales"), "locales")) {
      const auto served_tag = parse_locale(served);
      if (!served_tag || served_tag->str() != served)
        fields.fail("locales", "\"" + served + "\" is not a locale written like \"en-GB\" or \"es\"");
      out.locales.push_back(served);
    }
    const bool one_language = catalog->contains("intents") || catalog->contains("responses");
    if (one_language) {
      // They replace dir (so CRAMPBOT_CATALOG_INTENTS and _RESPONSES can point a run at a copy).
      if (!catalog->contains("intents") || !catalog->contains("responses"))
        fields.fail(catalog->contains("intents") ? "responses" : "intents", "goes with the other: give both");
      out.catalog_dir.clear();
      out.intents_dir = (base / fields.required_string("intents")).lexically_normal();
      out.responses_dir = (base / fields.required_string("responses")).lexically_normal();
    } else {
      out.catalog_dir = (base / fields.optional_string("dir", "../catalog")).lexically_normal();
    }
  }
  if (!out.catalog_dir.empty()) {
    const LocaleFolders folders = out.default_folders();
    out.intents_dir = folders.intents_dir;
    out.responses_dir = folders.responses_dir;
  }
  if (const auto* matcher = top.optional_object("matcher")) {
    const JsonFields fields(file, *matcher, "matcher");
    fields.only_keys({"min_confidence", "min_margin", "min_distinctiveness_margin", "fuzzy_penalty",
                      "fuzzy_min_confidence", "filler_weight", "unknown_weight", "set_max_mem_mb"});
    out.matcher.min_confidence = fraction(fields, "min_confidence", out.matcher.min_confidence, 0.0, 1.0);
    out.matcher.min_margin = fraction(fields, "min_margin", out.matcher.min_margin, 0.0, 1.0);
    out.matcher.min_distinctiveness_margin =
        fraction(fields, "min_distinctiveness_margin", out.matcher.min_distinctiveness_margin, 0.0, 10.0);
    out.matcher.fuzzy_penalty = fraction(fields, "fuzzy_penalty", out.matcher.fuzzy_penalty, 0.0, 1.0);
    out.matcher.fuzzy_min_confidence =
        fraction(fields, "fuzzy_min_confidence", out.matcher.fuzzy_min_confidence, 0.0, 1.0);
    out.matcher.filler_weight = fraction(fields, "filler_weight", out.matcher.filler_weight, 0.0, 1.0);
    out.matcher.unknown_weight = fraction(fields, "unknown_weight", out.matcher.unknown_weight, 0.0, 1.0);
    const double mem = fraction(fields, "set_max_mem_mb", 64, 1, 4096);
    out.matcher.set_max_mem = static_cast<std::size_t>(mem) << 20;
  }
  if (const auto* limits = top.optional_object("limits")) {
    const JsonFields fields(file, *limits, "limits");
    const double bytes = fields.optional_number("max_utterance_bytes", 2000);
    if (!(bytes >= 16 && bytes <= 65536)) fields.fail("max_utterance_bytes", "must be between 16 and 65536");
    out.max_utterance_bytes = static_cast<std::size_t>(bytes);
  }
  return out;
}

}  // namespace crampbot
