#include "engine/intent_catalog.h"

#include <algorithm>

#include "engine/catalog_error.h"
#include "engine/json_file.h"

namespace crampbot {

std::string describe_slots(const SlotMap& slots) {
  std::string out;
  for (const auto& [name, value] : slots)
    out += (out.empty() ? "" : ", ") + name + ": " + value;
  return "{" + out + "}";
}

namespace {

bool is_intent_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

SlotMap read_slots(const JsonFields& fields, const nlohmann::json& slots, const std::string& key) {
  SlotMap out;
  if (!slots.is_object()) fields.fail(key, "must be an object of slot name → value");
  for (const auto& [name, value] : slots.items()) {
    if (!value.is_string()) fields.fail(key + "." + name, "must be a string");
    out[name] = value.get<std::string>();
  }
  return out;
}

IntentDefinition load_intent(const std::filesystem::path& file, const Lexicon& lexicon) {
  const nlohmann::json json = load_json_file(file);
  const JsonFields top(file, json, "");
  top.only_keys({"intent", "slots", "templates", "examples", "negatives", "spot", "override", "urgent",
                 "ends_conversation", "full_disclaimer", "context_action", "follow_up_default", "answer_as",
                 "description", "except", "conversational", "refines", "safety_warning"});
  IntentDefinition intent;
  intent.file = file;
  intent.name = top.required_string("intent");
  if (!is_intent_name(intent.name)) top.fail("intent", "use lower-case letters, digits and _");
  if (intent.name + ".json" != file.filename().string()) {
    top.fail("intent", "must match the file name (\"" + file.filename().string() + "\")");
  }
  if (const auto* slots = top.optional_object("slots")) {
    for (const auto& [slot, list] : slots->items()) {
      if (!list.is_string()) top.fail("slots." + slot, "must name a lexicon list");
      if (!lexicon.lists.count(list.get<std::string>())) {
        top.fail("slots." + slot, "list \"" + list.get<std::string>() + "\" is not in the lexicon");
      }
      intent.slots[slot] = list.get<std::string>();
    }
  }
  if (const auto* templates = top.optional_array("templates")) {
    for (std::size_t i = 0; i < templates->size(); ++i) {
      const auto& t = (*templates)[i];
      if (!t.is_string() || t.get<std::string>().empty()) {
        top.fail("templates[" + std::to_string(i) + "]", "must be a non-empty string");
      }
      intent.templates.push_back(t.get<std::string>());
    }
  }
  const bool answers_without_templates = intent.name == kFallbackIntent || intent.name == kClarifyIntent;
  if (intent.templates.empty() && !answers_without_templates) {
    top.fail("templates", "an intent needs at least one template");
  }
  if (answers_without_templates && !intent.templates.empty()) {
    top.fail("templates", intent.name + " is what the matcher answers with by itself; it takes no templates");
  }
  if (const auto* examples = top.optional_array("examples")) {
    for (std::size_t i = 0; i < examples->size(); ++i) {
      const auto& e = (*examples)[i];
      const std::string key = "examples[" + std::to_string(i) + "]";
      IntentExample example{{}, intent.name, {}};
      if (e.is_string()) {
        example.text = e.get<std::string>();
      } else if (e.is_object()) {
        const JsonFields fields(file, e, key);
        fields.only_keys({"text", "slots", "intent"});
        example.text = fields.required_string("text");
        example.intent = fields.optional_string("intent", intent.name);
        if (auto it = e.find("slots"); it != e.end()) example.slots = read_slots(fields, *it, "slots");
      } else {
        top.fail(key, "must be a string or an object with \"text\"");
      }
      if (example.text.empty()) top.fail(key, "empty example");
      intent.examples.push_back(std::move(example));
    }
  }
  if (const auto* exceptions = top.optional_array("except")) {
    for (std::size_t i = 0; i < exceptions->size(); ++i) {
      const auto& t = (*exceptions)[i];
      if (!t.is_string() || t.get<std::string>().empty()) {
        top.fail("except[" + std::to_string(i) + "]", "must be a non-empty string");
      }
      intent.exceptions.push_back(t.get<std::string>());
    }
  }
  if (const auto* negatives = top.optional_array("negatives")) {
    for (std::size_t i = 0; i < negatives->size(); ++i) {
      if (!(*negatives)[i].is_string()) top.fail("negatives[" + std::to_string(i) + "]", "must be a string");
      intent.negatives.push_back((*negatives)[i].get<std::string>());
    }
  }
  intent.spot = top.optional_bool("spot", false);
  intent.overrides = top.optional_bool("override", false);
  intent.safety_warning = top.optional_bool("safety_warning", false);
  intent.urgent = top.optional_bool("urgent", false);
  intent.ends_conversation = top.optional_bool("ends_conversation", false);
  intent.full_disclaimer = top.optional_bool("full_disclaimer", false);
  intent.conversational = top.optional_bool("conversational", false);
  if (const auto* refines = top.optional_array("refines")) {
    for (std::size_t i = 0; i < refines->size(); ++i) {
      if (!(*refines)[i].is_string()) top.fail("refines[" + std::to_string(i) + "]", "must name an intent");
      intent.refines.push_back((*refines)[i].get<std::string>());
    }
  }
  const std::string action = top.optional_string("context_action", "none");
  if (action == "none") {
    intent.context_action = ContextAction::none;
  } else if (action == "follow_up") {
    intent.context_action = ContextAction::follow_up;
  } else if (action == "more") {
    intent.context_action = ContextAction::more;
  } else if (action == "repeat") {
    intent.context_action = ContextAction::repeat;
  } else {
    top.fail("context_action", "must be one of none, follow_up, more, repeat");
  }
  intent.follow_up_default = top.optional_string("follow_up_default", "");
  intent.answer_as = top.optional_string("answer_as", "");
  if (intent.context_action == ContextAction::follow_up && intent.follow_up_default.empty()) {
    top.fail("follow_up_default", "a follow_up intent needs the intent to use when there is no context");
  }
  return intent;
}

}  // namespace

IntentCatalog IntentCatalog::load(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) throw CatalogError(dir.string() + ": not a directory");
  IntentCatalog catalog;
  catalog.lexicon_file = dir / "_lexicon.json";
  catalog.lexicon = Lexicon::load(catalog.lexicon_file);
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const auto& path = entry.path();
    // Files named _*.json hold what intents share (the lexicon, red flags, scope), not intents.
    if (path.extension() == ".json" && !path.filename().string().starts_with("_")) files.push_back(path);
  }
  for (auto [name, target] : {std::pair{"_red_flags.json", &catalog.red_flags_file},
                              std::pair{"_scope.json", &catalog.scope_file}}) {
    if (std::filesystem::exists(dir / name, ec)) *target = dir / name;
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files)
    catalog.intents.push_back(load_intent(file, catalog.lexicon));
  if (!catalog.find(kFallbackIntent)) {
    IntentDefinition fallback;
    fallback.name = kFallbackIntent;
    catalog.intents.push_back(fallback);
  }
  if (!catalog.red_flags_file.empty() && catalog.override_intent() == nullptr) {
    throw CatalogError(catalog.red_flags_file.string() +
                       ": red flags need exactly one intent with \"override\": true to answer them");
  }
  for (const auto& intent : catalog.intents) {
    if (intent.context_action == ContextAction::follow_up) {
      const auto* target = catalog.find(intent.follow_up_default);
      if (!target || target->context_action != ContextAction::none) {
        throw CatalogError(intent.file.string() + ": follow_up_default: \"" + intent.follow_up_default +
                           "\" is not an ordinary intent of this catalog");
      }
    }
    if (!intent.answer_as.empty()) {
      const auto* target = catalog.find(intent.answer_as);
      if (!target || !target->answer_as.empty() || target->context_action != ContextAction::none) {
        throw CatalogError(intent.file.string() + ": answer_as: \"" + intent.answer_as +
                           "\" is not an ordinary intent of this catalog");
      }
    }
    for (const auto& refined : intent.refines) {
      const auto* target = catalog.find(refined);
      if (!target || target == &intent || target->context_action != ContextAction::none) {
        throw CatalogError(intent.file.string() + ": refines: \"" + refined +
                           "\" is not another ordinary intent of this catalog");
      }
    }
    for (const auto& example : intent.examples) {
      if (!catalog.find(example.intent)) {
        throw CatalogError(intent.file.string() + ": example \"" + example.text + "\": unknown intent \"" +
                           example.intent + "\"");
      }
    }
  }
  return catalog;
}

const IntentDefinition* IntentCatalog::override_intent() const {
  const IntentDefinition* found = nullptr;
  for (const auto& intent : intents) {
    if (!intent.overrides) continue;
    if (found) return nullptr;
    found = &intent;
  }
  return found;
}

const IntentDefinition* IntentCatalog::find(const std::string& name) const {
  for (const auto& intent : intents) {
    if (intent.name == name) return &intent;
  }
  return nullptr;
}

}  // namespace crampbot
