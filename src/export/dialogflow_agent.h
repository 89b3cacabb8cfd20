#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/engine.h"
#include "export/sample_selection.h"

namespace crampbot::exporting {

// Dialogflow ES accepts at most 768 characters in one training phrase.
inline constexpr std::size_t kDialogflowMaxPhraseChars = 768;

struct DialogflowAgentOptions {
  std::string webhook_url;  // https URL of our POST /dialogflow; "" leaves it to be set in the console
  std::string language = "en";
  std::string time_zone = "Europe/London";
  SampleLimits samples{4, 80};
};

// The files of a Dialogflow ES agent as "Restore from zip" takes them (zipped with agent.json at the top),
// by path relative to the agent folder: agent.json, package.json, intents/<name>.json and
// intents/<name>_usersays_<lang>.json for every intent (display name = our intent name, webhook on),
// entities/<list>.json and entities/<list>_entries_<lang>.json for every slot list (entry value = our
// canonical value, synonyms = the list's phrases). Training phrases are those of select_samples() (the
// intent's examples, then sentence-like readings of its templates); a slot keeps the example's own value,
// or is filled with the list's values in turn, and is annotated as the @<list> entity. "welcome" answers the
// WELCOME event; "fallback" is the agent's fallback intent and its examples are its negative phrases.
// Deterministic, including ids. Throws ExportError for a webhook URL that is not https, an intent name that
// cannot be a file name or an intent left without phrases; TemplateError when a template does not expand.
std::map<std::string, nlohmann::json> dialogflow_agent_files(const Engine& engine,
                                                             const DialogflowAgentOptions& options);

// One agent with every language of `languages` (one engine per language, the agent's default first, its code
// options.language): intent and entity definitions once, and training phrases and entity entries per
// language (intents/<name>_usersays_es.json, entities/<list>_entries_es.json), the other languages listed in
// agent.json "supportedLanguages". Throws ExportError as above, and when a language lacks an intent the
// first has.
std::map<std::string, nlohmann::json> dialogflow_agent_files(const std::vector<const Engine*>& languages,
                                                             const DialogflowAgentOptions& options);

// Writes dialogflow_agent_files() under `dir`, creating it if needed. `dir` must be empty or hold an
// earlier export (an agent.json); then its intents/ and entities/ folders are replaced, so an intent
// removed from the catalog leaves no stale file behind. Throws ExportError naming the path when a folder
// cannot be created or a file cannot be written, or when `dir` holds something else.
void write_dialogflow_agent(const Engine& engine, const std::filesystem::path& dir,
                            const DialogflowAgentOptions& options);
// The same with every language of `languages` in one agent.
void write_dialogflow_agent(const std::vector<const Engine*>& languages, const std::filesystem::path& dir,
                            const DialogflowAgentOptions& options);

}  // namespace crampbot::exporting
