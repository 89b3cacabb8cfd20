#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "channels/alexa/alexa_channel.h"
#include "channels/chat_channel.h"
#include "channels/rasa_channel.h"
#include "engine/engine_config.h"
#include "engine/engine_set.h"
#include "review/review_recorder.h"
#include "server/logger.h"
#include "server/router.h"
#include "server/server_config.h"

namespace crampbot::app {

// Every setting of config/crampbot.json, read and checked, with environment overrides applied.
struct AppConfig {
  std::filesystem::path file;
  EngineConfig engine;
  server::ServerConfig server;
  ChatSettings chat;
  RasaSettings rasa;
  alexa::AlexaSettings alexa;
  std::string alexa_invocation_name = "leg cramp helper";
  // alexa.invocation_names: per locale or language ("es-US", "es"); a locale not named uses
  // alexa_invocation_name.
  std::map<std::string, std::string> alexa_invocation_names;
  std::filesystem::path alexa_trust_store;  // PEM bundle of trusted roots; empty: the system's store
  server::BasicAuth dialogflow_auth;
  server::LogLevel log_level = server::LogLevel::info;
  bool log_utterances = false;
  std::filesystem::path web_root;            // the widget's files (web/); empty: not served
  std::filesystem::path repl_history_file;   // empty: the REPL keeps its history in memory only
  review::ReviewSettings review;             // the review of misunderstood questions (off by default)
  std::size_t feedback_max_votes = 100'000;  // feedback votes each replica remembers, to refuse a second
  std::vector<std::string> warnings;         // things worth saying at start (unknown CRAMPBOT_* variables)
};

// One setting that an environment variable can override: CRAMPBOT_<SECTION>_<KEY>, upper case
// ("alexa", "verify" → CRAMPBOT_ALEXA_VERIFY).
struct SettingSpec {
  enum class Kind { string, boolean, integer, number, string_list, path };
  const char* section;
  const char* key;
  Kind kind;
};

// Every setting the configuration file may hold.
const std::vector<SettingSpec>& setting_specs();

// The environment variable that overrides a setting.
std::string environment_name(const SettingSpec& spec);

// Reads `file`, overrides settings from `environment` (name → value; pass the process environment), and
// checks every key and value. Throws CatalogError naming the file and key, or the environment variable,
// on a missing file, bad JSON, an unknown key, a wrong type or an out-of-range value.
AppConfig load_app_config(const std::filesystem::path& file,
                          const std::map<std::string, std::string>& environment);

// The process environment as a map.
std::map<std::string, std::string> process_environment();

// The configuration at `file` with the process environment applied, then every locale of its catalog loaded.
// On any problem prints "crampbot: <file>: <key or field>: <what>" to standard error and returns nullptr
// (for the CLI).
// The Alexa invocation name of `locale` ("es-US"): alexa.invocation_names for the locale, else for its
// language, else alexa.invocation_name.
std::string alexa_invocation_name_for(const AppConfig& config, const std::string& locale);

std::shared_ptr<const EngineSet> load_engines_or_report(const std::filesystem::path& file,
                                                        AppConfig* config = nullptr);

}  // namespace crampbot::app
