#include "engine/response_catalog.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "engine/catalog_error.h"
#include "engine/json_file.h"
#include "engine/locale_overlay.h"

namespace crampbot {

namespace {

std::string non_empty_string(const JsonFields& fields, std::string_view key, bool required) {
  std::string value = required ? fields.required_string(key) : fields.optional_string(key);
  if (required && value.find_first_not_of(" \t\n") == std::string::npos)
    fields.fail(key, "must not be empty");
  return value;
}

// Whether `text` is a real date written YYYY-MM-DD.
bool is_calendar_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (const std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') return false;
  const std::chrono::year_month_day date{
      std::chrono::year(std::stoi(text.substr(0, 4))),
      std::chrono::month(static_cast<unsigned>(std::stoi(text.substr(5, 2)))),
      std::chrono::day(static_cast<unsigned>(std::stoi(text.substr(8, 2))))};
  return date.ok();
}

// responses/_sources.json: {"label": "Source", "label_plural": "Sources", "sources": [{"id", "title",
// "publisher", "url"}]}.
void load_sources(const std::filesystem::path& file, std::map<std::string, Source>& sources,
                  std::string& label, std::string& label_plural) {
  const nlohmann::json json = load_json_file(file);
  const JsonFields top(file, json, "");
  top.only_keys({"label", "label_plural", "sources"});
  label = non_empty_string(top, "label", true);
  label_plural = non_empty_string(top, "label_plural", true);
  const nlohmann::json* list = top.optional_array("sources");
  if (!list) top.fail("sources", "missing: a list of {id, title, publisher, url}");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const JsonFields fields(file, (*list)[i], "sources[" + std::to_string(i) + "]");
    if (!(*list)[i].is_object()) fields.fail("", "must be an object {id, title, publisher, url}");
    fields.only_keys({"id", "title", "publisher", "url"});
    Source source{non_empty_string(fields, "id", true), non_empty_string(fields, "title", true),
                  non_empty_string(fields, "publisher", true), non_empty_string(fields, "url", true)};
    // Shown as a link that opens in a new tab: only https, and nothing a page could read as markup.
    if (!source.url.starts_with("https://") || source.url.find_first_of(" \"<>") != std::string::npos)
      fields.fail("url", "must be an https:// URL");
    if (sources.count(source.id)) fields.fail("id", "\"" + source.id + "\" is listed twice");
    sources[source.id] = std::move(source);
  }
}

ResponseVariant load_variant(const std::filesystem::path& file, const nlohmann::json& json,
                             const std::string& where) {
  const JsonFields fields(file, json, where);
  fields.only_keys({"title", "text", "voice", "more", "reprompt", "caveat", "suggestions"});
  ResponseVariant variant;
  variant.title = non_empty_string(fields, "title", true);
  variant.text = non_empty_string(fields, "text", true);
  variant.voice = fields.optional_string("voice");
  variant.more = fields.optional_string("more");
  variant.reprompt = fields.optional_string("reprompt");
  variant.caveat = fields.optional_string("caveat");
  if (json.contains("caveat") && variant.caveat.find_first_not_of(" \t\n") == std::string::npos) {
    fields.fail("caveat", "must not be empty (leave it out to use the intent's caveat)");
  }
  if (const auto* suggestions = fields.optional_array("suggestions")) {
    for (std::size_t i = 0; i < suggestions->size(); ++i) {
      const auto& s = (*suggestions)[i];
      if (!s.is_string() || s.get<std::string>().empty()) {
        fields.fail("suggestions[" + std::to_string(i) + "]", "must be a non-empty string");
      }
      variant.suggestions.push_back(s.get<std::string>());
    }
  }
  return variant;
}

// Characters, not bytes: count UTF-8 lead bytes.
std::size_t characters(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// A spoken reply is its speech, a pause, then the caveat: together they stay within kMaxVoiceChars.
void check_spoken_length(const std::filesystem::path& file, const std::string& where,
                         const std::string& field, const std::string& speech, const std::string& caveat) {
  const std::size_t speech_chars = characters(speech);
  const std::size_t total = speech_chars + 1 + characters(caveat);
  if (total > kMaxVoiceChars) {
    throw CatalogError(file.string() + ": " + where + "." + field + ": spoken reply is " +
                       std::to_string(total) + " characters (" + field + " " + std::to_string(speech_chars) +
                       " + caveat " + std::to_string(characters(caveat)) + "); voice replies stay within " +
                       std::to_string(kMaxVoiceChars) +
                       (field == "more" ? " (shorten it)" : " (add a shorter \"voice\")"));
  }
}

IntentResponses load_intent_responses(const std::filesystem::path& file, const IntentDefinition& intent,
                                      const IntentCatalog& catalog) {
  const nlohmann::json json = load_json_file(file);
  const JsonFields top(file, json, "");
  top.only_keys({"intent", "caveat", "replies", "choice", "medical", "sources", "reviewed"});
  IntentResponses out;
  out.file = file;
  out.intent = top.required_string("intent");
  if (out.intent != intent.name) top.fail("intent", "must be \"" + intent.name + "\" (the file name)");
  out.medical = top.optional_bool("medical", true);
  out.sources = top.strings(top.optional_array("sources"), "sources");
  out.reviewed = top.optional_string("reviewed");
  if (json.contains("reviewed") && !is_calendar_date(out.reviewed))
    top.fail("reviewed", "must be a date as YYYY-MM-DD");
  out.caveat = top.optional_string("caveat");
  if (json.contains("caveat") && out.caveat.find_first_not_of(" \t\n") == std::string::npos) {
    top.fail("caveat", "must not be empty (leave it out to use _common.json's caveat)");
  }
  std::set<std::string> keys = {kDefaultReplyKey};
  for (const auto& [slot, list] : intent.slots) {
    for (const auto& value : catalog.lexicon.lists.at(list))
      keys.insert(value.canonical);
  }
  const auto& replies = top.required_object("replies");
  for (const auto& [key, variants] : replies.items()) {
    if (!keys.count(key)) top.fail("replies." + key, "not \"default\" nor a value of this intent's slots");
    if (!variants.is_array() || variants.empty())
      top.fail("replies." + key, "must be a non-empty array of variants");
    auto& out_variants = out.replies[key];
    for (std::size_t i = 0; i < variants.size(); ++i) {
      out_variants.push_back(
          load_variant(file, variants[i], "replies." + key + "[" + std::to_string(i) + "]"));
    }
  }
  for (const auto& key : keys) {
    if (!out.replies.count(key))
      top.fail("replies." + key, "missing: every slot value needs its own replies");
  }
  if (const auto* choice = top.optional_object("choice")) {
    const JsonFields fields(file, *choice, "choice");
    fields.only_keys({"label", "ask", "label_with_slot", "ask_with_slot"});
    out.choice.label = fields.optional_string("label");
    out.choice.ask = fields.optional_string("ask");
    out.choice.label_with_slot = fields.optional_string("label_with_slot");
    out.choice.ask_with_slot = fields.optional_string("ask_with_slot");
    if (out.choice.label.empty() != out.choice.ask.empty())
      fields.fail("label", "goes with ask: give both or neither");
    if (out.choice.label_with_slot.empty() != out.choice.ask_with_slot.empty()) {
      fields.fail("label_with_slot", "goes with ask_with_slot: give both or neither");
    }
    if (out.choice.label.empty() && out.choice.label_with_slot.empty()) {
      fields.fail("label", "a choice needs label and ask, or label_with_slot and ask_with_slot, or both");
    }
    if (!out.choice.label_with_slot.empty() && intent.slots.empty()) {
      fields.fail("label_with_slot", "this intent takes no slot");
    }
  }
  if (intent.name == kClarifyIntent) {
    for (const auto& [key, variants] : out.replies) {
      for (std::size_t i = 0; i < variants.size(); ++i) {
        if (variants[i].text.find(kChoicesPlaceholder) == std::string::npos) {
          top.fail("replies." + key + "[" + std::to_string(i) + "].text",
                   "a clarifying question must say " + std::string(kChoicesPlaceholder));
        }
      }
    }
  }
  return out;
}

// Fills the catalog's phrases into one field: "{emergency_number}" → "999" (or its spoken form in a field
// that is only spoken). Other placeholders are left for composing: a slot of `intent` ("{nutrient}") and, in
// the clarifying question, kChoicesPlaceholder. Throws CatalogError naming `file` and `where` for any other
// "{name}", so a misspelt phrase never reaches a person.
std::string fill_phrases(const std::string& text, const Phrases& phrases, bool spoken,
                         const IntentDefinition* intent, const std::filesystem::path& file,
                         const std::string& where) {
  if (text.find('{') == std::string::npos) return text;
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find('{', i);
    if (open == std::string::npos) break;
    const std::size_t close = text.find('}', open);
    if (close == std::string::npos) break;
    const std::string name = text.substr(open + 1, close - open - 1);
    out.append(text, i, open - i);
    if (auto phrase = phrases.find(name); phrase != phrases.end()) {
      out += spoken ? phrase->second.spoken() : phrase->second.text;
    } else if ((intent && intent->slots.count(name)) ||
               (intent && intent->name == kClarifyIntent && "{" + name + "}" == kChoicesPlaceholder)) {
      out.append(text, open, close - open + 1);
    } else {
      throw CatalogError(file.string() + ": " + where + ": \"{" + name +
                         "}\" is neither a phrase of _common.json nor a slot of this intent");
    }
    i = close + 1;
  }
  out.append(text, i);
  return out;
}

// Whether `text` names a phrase that is spoken differently from how it is written.
bool names_spoken_phrase(const std::string& text, const Phrases& phrases) {
  for (const auto& [name, phrase] : phrases) {
    if (!phrase.voice.empty() && phrase.voice != phrase.text &&
        text.find("{" + name + "}") != std::string::npos)
      return true;
  }
  return false;
}

}  // namespace

ResponseCatalog ResponseCatalog::load(const std::filesystem::path& dir, const IntentCatalog& intents,
                                      const LocaleOverlay* overlay) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) throw CatalogError(dir.string() + ": not a directory");
  ResponseCatalog catalog;
  const auto common_file = dir / "_common.json";
  const nlohmann::json common = load_json_file(common_file);
  const JsonFields fields(common_file, common, "");
  fields.only_keys({"disclaimer", "spoken_disclaimer", "caveat", "value_names", "choice_joiners", "phrases",
                    "more_suggestion"});
  Phrases phrases = read_phrases(fields, "phrases");
  if (overlay) {
    for (const auto& [name, phrase] : overlay->phrases) {
      if (!phrases.count(name)) {
        throw CatalogError(overlay->file.string() + ": phrases." + name + ": " + common_file.string() +
                           " has no such phrase to reword");
      }
      phrases[name] = phrase;
    }
  }
  catalog.more_suggestion_ = fields.optional_string("more_suggestion");
  if (const auto* joiners = fields.optional_object("choice_joiners")) {
    const JsonFields join(common_file, *joiners, "choice_joiners");
    join.only_keys({"pair", "between", "last"});
    catalog.join_pair_ = join.required_string("pair");
    catalog.join_between_ = join.required_string("between");
    catalog.join_last_ = join.required_string("last");
  }
  if (const auto* names = fields.optional_object("value_names")) {
    for (const auto& [value, name] : names->items()) {
      if (!name.is_string() || name.get<std::string>().empty())
        fields.fail("value_names." + value, "must be a non-empty string");
      catalog.value_names_[value] = name.get<std::string>();
    }
  }
  catalog.disclaimer_ = non_empty_string(fields, "disclaimer", true);
  catalog.spoken_disclaimer_ = fields.optional_string("spoken_disclaimer");
  if (common.contains("spoken_disclaimer") &&
      catalog.spoken_disclaimer_.find_first_not_of(" \t\n") == std::string::npos) {
    fields.fail("spoken_disclaimer", "must not be empty (leave it out to speak the full disclaimer)");
  }
  catalog.default_caveat_ = non_empty_string(fields, "caveat", true);
  if (const auto sources_file = dir / "_sources.json"; std::filesystem::exists(sources_file, ec))
    load_sources(sources_file, catalog.sources_, catalog.source_label_, catalog.sources_label_);
  if (const auto screens_file = dir / "_safety_screens.json"; std::filesystem::exists(screens_file, ec))
    catalog.screens_ = std::make_shared<const SafetyScreens>(SafetyScreens::load(screens_file));

  for (const auto& intent : intents.intents) {
    // A follow-up never answers as itself; a helper answered as another intent does only with its own file.
    if (intent.context_action == ContextAction::follow_up) continue;
    const auto file = dir / (intent.name + ".json");
    const bool exists = std::filesystem::exists(file, ec);
    if (!intent.answer_as.empty() && !exists) continue;
    if (!exists) {
      throw CatalogError(file.string() + ": missing: intent \"" + intent.name + "\" has no responses");
    }
    catalog.intents_[intent.name] = load_intent_responses(file, intent, intents);
  }
  catalog.localise(intents, phrases, overlay ? overlay->spelling : std::map<std::string, std::string>{},
                   common_file);
  for (const auto& [name, responses] : catalog.intents_) {
    const IntentDefinition& intent = *intents.find(name);
    for (const auto& [key, variants] : responses.replies) {
      for (std::size_t i = 0; i < variants.size(); ++i) {
        const ResponseVariant& variant = variants[i];
        const std::string where = "replies." + key + "[" + std::to_string(i) + "]";
        const std::string& caveat = catalog.spoken_caveat_for(intent, responses, variant);
        check_spoken_length(responses.file, where, variant.voice.empty() ? "text" : "voice", variant.speech(),
                            caveat);
        if (!variant.more.empty()) check_spoken_length(responses.file, where, "more", variant.more, caveat);
      }
    }
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const auto& path = entry.path();
    if (path.extension() != ".json" || path.filename() == "_common.json" ||
        path.filename() == "_sources.json" || path.filename() == "_safety_screens.json")
      continue;
    const IntentDefinition* owner = intents.find(path.stem().string());
    if (!owner || owner->context_action == ContextAction::follow_up) {
      throw CatalogError(path.string() + ": answers intent \"" + path.stem().string() +
                         "\", which intents/ does not define");
    }
  }
  return catalog;
}

const Source* ResponseCatalog::source(const std::string& id) const {
  const auto it = sources_.find(id);
  return it == sources_.end() ? nullptr : &it->second;
}

std::string ResponseCatalog::source_note(const std::vector<const Source*>& sources) const {
  if (sources.empty()) return {};
  std::string titles;
  for (const Source* source : sources)
    titles += (titles.empty() ? "" : "; ") + source->title;
  return (sources.size() == 1 ? source_label_ : sources_label_) + ": " + titles;
}

std::string ResponseCatalog::value_name(const std::string& value) const {
  if (auto it = value_names_.find(value); it != value_names_.end()) return it->second;
  std::string out = value;
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::pair<std::string, std::string> ResponseCatalog::choice_text(const std::string& intent,
                                                                 const SlotMap& slots) const {
  const auto found = intents_.find(intent);
  if (found == intents_.end()) return {};  // a helper answered with another intent's replies offers nothing
  const IntentChoiceText& choice = found->second.choice;
  if (slots.empty() || choice.label_with_slot.empty()) return {choice.label, choice.ask};  // may be empty
  const auto& [slot, value] = *slots.begin();
  const std::string placeholder = "{" + slot + "}";
  const std::string name = value_name(value);
  auto fill = [&](std::string text) {
    for (std::size_t at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at))
      text.replace(at, placeholder.size(), name);
    return text;
  };
  return {fill(choice.label_with_slot), fill(choice.ask_with_slot)};
}

std::string ResponseCatalog::join_choices(const std::vector<std::string>& labels) const {
  std::string out;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += labels.size() == 2 ? join_pair_ : (i + 1 == labels.size() ? join_last_ : join_between_);
    out += labels[i];
  }
  return out;
}

const IntentResponses& ResponseCatalog::of(const std::string& intent) const {
  return intents_.at(intent);
}

const std::vector<ResponseVariant>& ResponseCatalog::variants(const std::string& intent,
                                                              const SlotMap& slots) const {
  const auto& responses = of(intent);
  for (const auto& [slot, value] : slots) {
    if (auto it = responses.replies.find(value); it != responses.replies.end()) return it->second;
  }
  return responses.replies.at(kDefaultReplyKey);
}

const std::string& ResponseCatalog::spoken_caveat_for(const IntentDefinition& definition,
                                                      const IntentResponses& intent,
                                                      const ResponseVariant& variant) const {
  return definition.full_disclaimer ? spoken_disclaimer() : caveat_for(intent, variant);
}

const std::string& ResponseCatalog::caveat_for(const IntentResponses& intent,
                                               const ResponseVariant& variant) const {
  if (!variant.caveat.empty()) return variant.caveat;
  if (!intent.caveat.empty()) return intent.caveat;
  return default_caveat_;
}

void ResponseCatalog::localise(const IntentCatalog& intents, const Phrases& phrases,
                               const std::map<std::string, std::string>& spelling,
                               const std::filesystem::path& common_file) {
  const auto shown = [&](const std::string& text, const IntentDefinition* intent,
                         const std::filesystem::path& file, const std::string& where) {
    return fill_phrases(respell(text, spelling), phrases, false, intent, file, where);
  };
  const auto spoken = [&](const std::string& text, const IntentDefinition* intent,
                          const std::filesystem::path& file, const std::string& where) {
    return fill_phrases(respell(text, spelling), phrases, true, intent, file, where);
  };
  // Shown and spoken as one string: a phrase with a spoken form of its own cannot be used there.
  const auto both = [&](const std::string& text, const IntentDefinition* intent,
                        const std::filesystem::path& file, const std::string& where) {
    if (names_spoken_phrase(text, phrases)) {
      throw CatalogError(
          file.string() + ": " + where +
          ": is shown and spoken as written, so it cannot name a phrase with its own \"voice\"");
    }
    return shown(text, intent, file, where);
  };
  // The full disclaimer is spoken where there is no shorter spoken one.
  disclaimer_ = spoken_disclaimer_.empty() ? both(disclaimer_, nullptr, common_file, "disclaimer")
                                           : shown(disclaimer_, nullptr, common_file, "disclaimer");
  spoken_disclaimer_ = spoken(spoken_disclaimer_, nullptr, common_file, "spoken_disclaimer");
  default_caveat_ = both(default_caveat_, nullptr, common_file, "caveat");
  more_suggestion_ = shown(more_suggestion_, nullptr, common_file, "more_suggestion");
  for (auto& [name, responses] : intents_) {
    const IntentDefinition* intent = intents.find(name);
    const auto& file = responses.file;
    responses.caveat = both(responses.caveat, intent, file, "caveat");
    for (auto* text : {&responses.choice.label, &responses.choice.ask, &responses.choice.label_with_slot,
                       &responses.choice.ask_with_slot})
      *text = shown(*text, intent, file, "choice");
    for (auto& [key, variants] : responses.replies) {
      for (std::size_t i = 0; i < variants.size(); ++i) {
        ResponseVariant& v = variants[i];
        const std::string where = "replies." + key + "[" + std::to_string(i) + "]";
        // A text spoken as it is written gets a voice of its own when a phrase in it is spoken differently.
        if (v.voice.empty() && names_spoken_phrase(v.text, phrases))
          v.voice = spoken(v.text, intent, file, where + ".text");
        else
          v.voice = spoken(v.voice, intent, file, where + ".voice");
        v.title = shown(v.title, intent, file, where + ".title");
        v.text = shown(v.text, intent, file, where + ".text");
        v.more = both(v.more, intent, file, where + ".more");
        v.reprompt = spoken(v.reprompt, intent, file, where + ".reprompt");
        v.caveat = both(v.caveat, intent, file, where + ".caveat");
        for (std::size_t k = 0; k < v.suggestions.size(); ++k)
          v.suggestions[k] =
              shown(v.suggestions[k], intent, file, where + ".suggestions[" + std::to_string(k) + "]");
      }
    }
  }
}

}  // namespace crampbot
