#include "export/dialogflow_agent.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <set>
#include <utility>

#include "export/export_error.h"

namespace crampbot::exporting {

namespace {

constexpr const char* kWelcomeIntent = "welcome";
constexpr const char* kWelcomeEvent = "WELCOME";
constexpr const char* kAgentDescription =
    "crampbot answers questions about leg cramps and the vitamins and minerals involved. General "
    "information only; not a substitute for professional medical advice.";

std::uint64_t fnv1a(std::string_view text, std::uint64_t hash) {
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// Dialogflow only needs ids to be unique UUIDs; deriving them from names keeps re-exports identical, so a
// diff shows what changed. Laid out as an RFC 9562 version 8 (custom) UUID.
std::string stable_id(std::string_view seed) {
  const std::uint64_t high = fnv1a(seed, 0xcbf29ce484222325ULL);
  const std::uint64_t low = fnv1a(seed, high ^ 0x9e3779b97f4a7c15ULL);
  unsigned char bytes[16];
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<unsigned char>(high >> (56 - 8 * i));
    bytes[8 + i] = static_cast<unsigned char>(low >> (56 - 8 * i));
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x80);
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0x0F];
  }
  return out;
}

bool is_file_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool slots_used_once(const ExpandedSentence& sentence) {
  auto slots = sentence.slots();
  std::sort(slots.begin(), slots.end());
  return std::adjacent_find(slots.begin(), slots.end()) == slots.end();
}

// Fills slots with the list's values in turn, so the phrases of an intent between them name every value
// and, over enough phrases, every synonym.
class ValueRotation {
 public:
  explicit ValueRotation(const Lexicon& lexicon) : lexicon_(lexicon) {}

  std::string next(const std::string& list) {
    const auto& values = lexicon_.lists.at(list);
    const std::size_t turn = turns_[list]++;
    const auto& value = values[turn % values.size()];
    return value.phrases[(turn / values.size()) % value.phrases.size()];
  }

 private:
  const Lexicon& lexicon_;
  std::map<std::string, std::size_t> turns_;
};

nlohmann::json text_chunk(std::string text) {
  return {{"text", std::move(text)}, {"userDefined", false}};
}

// One training phrase: text chunks between entity chunks, spaces inside the text chunks. A slot takes the
// words the example's author used for it, else the next value in turn.
nlohmann::json phrase_data(const Sample& sample, const IntentDefinition& intent, ValueRotation& values) {
  const ExpandedSentence& sentence = sample.sentence;
  nlohmann::json data = nlohmann::json::array();
  std::string text;
  for (std::size_t i = 0; i < sentence.parts.size(); ++i) {
    const auto& part = sentence.parts[i];
    if (i > 0) text += ' ';
    if (!part.slot) {
      text += part.text;
      continue;
    }
    if (!text.empty()) data.push_back(text_chunk(std::exchange(text, {})));
    const std::string& list = intent.slots.at(part.text);
    const auto spoken = sample.example_values.find(part.text);
    data.push_back({{"text", spoken == sample.example_values.end() ? values.next(list) : spoken->second},
                    {"alias", part.text},
                    {"meta", "@" + list},
                    {"userDefined", true}});
  }
  if (!text.empty()) data.push_back(text_chunk(std::move(text)));
  return data;
}

nlohmann::json user_says(const std::string& seed, nlohmann::json data, const std::string& language) {
  return {{"id", stable_id(seed)}, {"data", std::move(data)},
          {"isTemplate", false},   {"count", 0},
          {"lang", language},      {"updated", 0}};
}

nlohmann::json intent_file(const IntentDefinition& intent, const std::string& language) {
  const bool fallback = intent.name == kFallbackIntent;
  nlohmann::json parameters = nlohmann::json::array();
  for (const auto& [slot, list] : intent.slots) {
    parameters.push_back({{"id", stable_id("parameter:" + intent.name + ":" + slot)},
                          {"name", slot},
                          {"required", false},
                          {"dataType", "@" + list},
                          {"value", "$" + slot},
                          {"defaultValue", ""},
                          {"isList", false},
                          {"prompts", nlohmann::json::array()},
                          {"promptMessages", nlohmann::json::array()},
                          {"noMatchPromptMessages", nlohmann::json::array()},
                          {"noInputPromptMessages", nlohmann::json::array()},
                          {"outputDialogContexts", nlohmann::json::array()}});
  }
  nlohmann::json events = nlohmann::json::array();
  if (intent.name == kWelcomeIntent) events.push_back({{"name", kWelcomeEvent}});
  // No static replies: every answer, with its caveat, comes from our webhook.
  const nlohmann::json message = {{"type", "0"},
                                  {"title", ""},
                                  {"textToSpeech", ""},
                                  {"lang", language},
                                  {"speech", nlohmann::json::array()},
                                  {"condition", ""}};
  const nlohmann::json response = {{"resetContexts", false},
                                   {"action", fallback ? "input.unknown" : intent.name},
                                   {"affectedContexts", nlohmann::json::array()},
                                   {"parameters", std::move(parameters)},
                                   {"messages", {message}},
                                   {"speech", nlohmann::json::array()}};
  return {{"id", stable_id("intent:" + intent.name)},
          {"name", intent.name},
          {"auto", true},
          {"contexts", nlohmann::json::array()},
          {"responses", {response}},
          {"priority", 500000},
          {"webhookUsed", true},
          {"webhookForSlotFilling", false},
          {"fallbackIntent", fallback},
          {"events", std::move(events)},
          {"conditionalResponses", nlohmann::json::array()},
          {"condition", ""},
          {"conditionalFollowupEvents", nlohmann::json::array()}};
}

nlohmann::json agent_file(const DialogflowAgentOptions& options) {
  return {{"description", kAgentDescription},
          {"language", options.language},
          {"shortDescription", ""},
          {"examples", ""},
          {"linkToDocs", ""},
          {"displayName", "crampbot"},
          {"disableInteractionLogs", false},
          {"disableStackdriverLogs", true},
          {"defaultTimezone", options.time_zone},
          {"webhook",
           {{"url", options.webhook_url},
            {"username", ""},
            {"headers", nlohmann::json::object()},
            {"available", !options.webhook_url.empty()},
            {"useForDomains", false},
            {"cloudFunctionsEnabled", false},
            {"cloudFunctionsInitialized", false}}},
          {"isPrivate", true},
          {"mlMinConfidence", 0.3},
          {"supportedLanguages", nlohmann::json::array()},
          {"enableOnePlatformApi", true},
          {"onePlatformApiVersion", "v2"},
          {"analyzeQueryTextSentiment", false},
          {"enabledKnowledgeBaseNames", nlohmann::json::array()},
          {"knowledgeServiceConfidenceAdjustment", -0.4},
          {"dialogBuilderMode", false},
          {"baseActionPackagesUrl", ""}};
}

void write_file(const std::filesystem::path& path, const nlohmann::json& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw ExportError(path.string() + ": cannot write the file: " + std::strerror(errno));
  out << content.dump(2) << '\n';
  out.close();
  if (!out) throw ExportError(path.string() + ": cannot write the file: " + std::strerror(errno));
}

void create_folder(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) throw ExportError(path.string() + ": cannot create the folder: " + ec.message());
}

}  // namespace

namespace {

// The training phrases of every intent and the entries of every entity in `engine`'s language, added to
// `files` as intents/<name>_usersays_<lang>.json and entities/<list>_entries_<lang>.json; the slot lists used
// are added to `lists`.
// `seed` starts the stable ids of its phrases ("usersays:" for the agent's first language, as before there
// were others; "usersays:es:" for the rest).
void add_language(const Engine& engine, const std::string& language, const std::string& seed,
                  const DialogflowAgentOptions& options, std::map<std::string, nlohmann::json>& files,
                  std::set<std::string>& lists) {
  const IntentCatalog& catalog = engine.intents();
  std::size_t longest_phrase = 0;  // bounds a phrase once its slots are filled
  for (const auto& [list, values] : catalog.lexicon.lists) {
    for (const auto& value : values)
      for (const auto& phrase : value.phrases)
        longest_phrase = std::max(longest_phrase, phrase.size());
  }
  std::vector<std::string> with_templates;
  for (const auto& intent : catalog.intents) {
    if (!is_file_name(intent.name)) {
      throw ExportError(intent.file.string() + ": intent \"" + intent.name + "\" cannot be a file name");
    }
    if (!intent.templates.empty()) with_templates.push_back(intent.name);
  }
  const auto accept = [longest_phrase](const ExpandedSentence& sentence) {
    const std::size_t size = sentence.text().size() + sentence.slots().size() * longest_phrase;
    return slots_used_once(sentence) && size <= kDialogflowMaxPhraseChars;
  };
  const auto samples = select_samples(engine, with_templates, options.samples, accept);
  std::set<std::string> own_lists;
  for (const auto& intent : catalog.intents) {
    if (intent.name == kClarifyIntent) continue;  // the matcher's own question; the agent never answers it
    nlohmann::json phrases = nlohmann::json::array();
    if (intent.name == kFallbackIntent) {
      // Phrases of a fallback intent are negative examples: what the agent must not match elsewhere.
      for (const auto& example : intent.examples)
        phrases.push_back(user_says(seed + intent.name + ":" + example.text,
                                    nlohmann::json::array({text_chunk(example.text)}), language));
    } else if (!intent.templates.empty()) {
      ValueRotation values(catalog.lexicon);
      for (const auto& sample : samples.at(intent.name)) {
        phrases.push_back(user_says(seed + intent.name + ":" + sample.sentence.text(),
                                    phrase_data(sample, intent, values), language));
      }
      if (phrases.empty()) {
        throw ExportError(intent.file.string() + ": intent \"" + intent.name +
                          "\" has no training phrase that Dialogflow accepts");
      }
    }
    for (const auto& [slot, list] : intent.slots)
      own_lists.insert(list);
    if (!phrases.empty())
      files["intents/" + intent.name + "_usersays_" + language + ".json"] = std::move(phrases);
  }
  for (const auto& list : own_lists) {
    if (!is_file_name(list)) throw ExportError("slot list \"" + list + "\" cannot be an entity name");
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& value : catalog.lexicon.lists.at(list))
      entries.push_back({{"value", value.canonical}, {"synonyms", value.phrases}});
    files["entities/" + list + "_entries_" + language + ".json"] = std::move(entries);
    lists.insert(list);
  }
}

}  // namespace

std::map<std::string, nlohmann::json> dialogflow_agent_files(const std::vector<const Engine*>& languages,
                                                             const DialogflowAgentOptions& options) {
  if (!options.webhook_url.empty() && options.webhook_url.rfind("https://", 0) != 0) {
    throw ExportError("webhook URL \"" + options.webhook_url + "\": Dialogflow calls https URLs only");
  }
  if (languages.empty()) throw ExportError("no language to export");
  const Engine& primary = *languages.front();
  std::map<std::string, nlohmann::json> files;
  DialogflowAgentOptions agent = options;
  nlohmann::json supported = nlohmann::json::array();
  std::set<std::string> lists;
  for (std::size_t i = 0; i < languages.size(); ++i) {
    const std::string language = i == 0 ? options.language : languages[i]->language();
    if (i > 0) {
      // One agent, many languages: every language answers the same intents with the same slot values.
      for (const auto& intent : primary.intents().intents) {
        if (!languages[i]->intents().find(intent.name)) {
          throw ExportError(languages[i]->config().intents_dir.string() + ": has no intent \"" + intent.name +
                            "\", which " + options.language +
                            " has: an agent's languages share their intents");
        }
      }
      supported.push_back(language);
    }
    add_language(*languages[i], language, i == 0 ? "usersays:" : "usersays:" + language + ":", options, files,
                 lists);
  }
  files["agent.json"] = agent_file(agent);
  files["agent.json"]["supportedLanguages"] = std::move(supported);
  files["package.json"] = {{"version", "1.0.0"}};
  for (const auto& intent : primary.intents().intents) {
    if (intent.name == kClarifyIntent) continue;
    files["intents/" + intent.name + ".json"] = intent_file(intent, options.language);
  }
  for (const auto& list : lists) {
    files["entities/" + list + ".json"] = {{"id", stable_id("entity:" + list)},
                                           {"name", list},
                                           {"isOverridable", true},
                                           {"isEnum", false},
                                           {"isRegexp", false},
                                           {"automatedExpansion", false},
                                           {"allowFuzzyExtraction", false}};
  }
  return files;
}

std::map<std::string, nlohmann::json> dialogflow_agent_files(const Engine& engine,
                                                             const DialogflowAgentOptions& options) {
  return dialogflow_agent_files(std::vector<const Engine*>{&engine}, options);
}

void write_dialogflow_agent(const Engine& engine, const std::filesystem::path& dir,
                            const DialogflowAgentOptions& options) {
  write_dialogflow_agent(std::vector<const Engine*>{&engine}, dir, options);
}

void write_dialogflow_agent(const std::vector<const Engine*>& languages, const std::filesystem::path& dir,
                            const DialogflowAgentOptions& options) {
  // Everything is built before the first write, so a catalog problem leaves the folder untouched.
  const auto files = dialogflow_agent_files(languages, options);
  std::error_code ec;
  const bool exists = std::filesystem::exists(dir, ec);
  if (ec) throw ExportError(dir.string() + ": cannot read: " + ec.message());
  if (exists) {
    if (!std::filesystem::is_directory(dir, ec)) throw ExportError(dir.string() + ": is not a folder");
    const bool empty = std::filesystem::is_empty(dir, ec);
    if (ec) throw ExportError(dir.string() + ": cannot read: " + ec.message());
    if (!empty && !std::filesystem::exists(dir / "agent.json", ec)) {
      throw ExportError(
          dir.string() +
          ": is not empty and holds no Dialogflow agent (agent.json); choose a new or empty folder");
    }
    for (const char* sub : {"intents", "entities"}) {
      std::filesystem::remove_all(dir / sub, ec);
      if (ec) throw ExportError((dir / sub).string() + ": cannot replace the folder: " + ec.message());
    }
  }
  create_folder(dir / "intents");
  create_folder(dir / "entities");
  for (const auto& [relative, content] : files)
    write_file(dir / relative, content);
}

}  // namespace crampbot::exporting
