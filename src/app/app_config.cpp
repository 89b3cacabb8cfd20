#include "app/app_config.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "engine/catalog_error.h"
#include "engine/json_file.h"
#include "engine/locale_tag.h"
#include "server/address_ranges.h"
#include "server/host_allow_list.h"

extern char** environ;

namespace crampbot::app {

namespace {

using Kind = SettingSpec::Kind;

constexpr const char* kEnvironmentPrefix = "CRAMPBOT_";

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

[[noreturn]] void fail_environment(const std::string& name, const std::string& value,
                                   std::string_view expected) {
  throw CatalogError("environment variable " + name + "=\"" + value + "\": expected " +
                     std::string(expected));
}

// An environment value as the JSON the configuration file would hold for the setting.
nlohmann::json environment_value(const SettingSpec& spec, const std::string& name, const std::string& value) {
  switch (spec.kind) {
    case Kind::string:
      return value;
    case Kind::path:
      // Relative to the working directory, as a shell user means it (the file's own paths are relative
      // to the file).
      return value.empty() ? std::string() : std::filesystem::absolute(value).lexically_normal().string();
    case Kind::boolean: {
      const std::string v = lower(trim(value));
      if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
      if (v == "false" || v == "0" || v == "no" || v == "off") return false;
      fail_environment(name, value, "true or false");
    }
    case Kind::integer: {
      const std::string v = trim(value);
      long long number = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), number);
      if (v.empty() || ec != std::errc() || end != v.data() + v.size())
        fail_environment(name, value, "an integer");
      return number;
    }
    case Kind::number: {
      const std::string v = trim(value);
      char* end = nullptr;
      const double number = std::strtod(v.c_str(), &end);
      if (v.empty() || end != v.c_str() + v.size() || !std::isfinite(number)) {
        fail_environment(name, value, "a number");
      }
      return number;
    }
    case Kind::string_list: {
      nlohmann::json list = nlohmann::json::array();
      std::string_view rest = value;
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string item = trim(rest.substr(0, comma));
        if (!item.empty()) list.push_back(item);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      return list;
    }
  }
  return nullptr;
}

long long integer(const JsonFields& fields, const nlohmann::json& object, std::string_view key,
                  long long fallback, long long low, long long high) {
  const auto it = object.find(key);
  if (it == object.end()) return fallback;
  if (!it->is_number_integer()) fields.fail(key, "must be an integer");
  const long long value = it->get<long long>();
  if (value < low || value > high) {
    fields.fail(key, "must be between " + std::to_string(low) + " and " + std::to_string(high));
  }
  return value;
}

std::vector<std::string> string_list(const JsonFields& fields, std::string_view key) {
  std::vector<std::string> out;
  const nlohmann::json* array = fields.optional_array(key);
  if (!array) return out;
  for (const auto& item : *array) {
    if (!item.is_string()) fields.fail(key, "must be a list of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

// The object of a section, or an empty one when the file leaves the section out.
const nlohmann::json& section(const JsonFields& top, std::string_view name) {
  static const nlohmann::json empty = nlohmann::json::object();
  const nlohmann::json* object = top.optional_object(name);
  return object ? *object : empty;
}

void read_server(const std::filesystem::path& file, const nlohmann::json& object, server::ServerConfig& out) {
  const JsonFields f(file, object, "server");
  f.only_keys({"address", "port", "threads", "max_body_bytes", "max_header_bytes", "max_connections",
               "max_connections_per_client", "header_timeout_ms", "read_timeout_ms", "idle_timeout_ms",
               "shutdown_timeout_ms", "cors_origins", "trusted_proxies", "allowed_hosts", "rate_limit_rps",
               "rate_limit_burst"});
  out.address = f.optional_string("address", out.address);
  out.port = static_cast<std::uint16_t>(integer(f, object, "port", out.port, 0, 65535));
  out.threads = static_cast<unsigned>(integer(f, object, "threads", out.threads, 0, 256));
  out.max_body_bytes =
      static_cast<std::size_t>(integer(f, object, "max_body_bytes", out.max_body_bytes, 1024, 16 << 20));
  out.max_header_bytes =
      static_cast<std::size_t>(integer(f, object, "max_header_bytes", out.max_header_bytes, 1024, 1 << 20));
  out.max_connections =
      static_cast<std::size_t>(integer(f, object, "max_connections", out.max_connections, 1, 1'000'000));
  out.max_connections_per_client = static_cast<std::size_t>(
      integer(f, object, "max_connections_per_client", out.max_connections_per_client, 1, 1'000'000));
  out.header_timeout = std::chrono::milliseconds(
      integer(f, object, "header_timeout_ms", out.header_timeout.count(), 100, 3'600'000));
  out.read_timeout = std::chrono::milliseconds(
      integer(f, object, "read_timeout_ms", out.read_timeout.count(), 100, 3'600'000));
  out.idle_timeout = std::chrono::milliseconds(
      integer(f, object, "idle_timeout_ms", out.idle_timeout.count(), 100, 3'600'000));
  out.shutdown_timeout = std::chrono::milliseconds(
      integer(f, object, "shutdown_timeout_ms", out.shutdown_timeout.count(), 0, 3'600'000));
  out.cors_origins = string_list(f, "cors_origins");
  if (f.optional_array("trusted_proxies")) {
    out.trusted_proxies = string_list(f, "trusted_proxies");
    for (const auto& entry : out.trusted_proxies) {
      if (const std::string why = server::AddressRanges::problem(entry); !why.empty())
        f.fail("trusted_proxies", why);
    }
  }
  if (f.optional_array("allowed_hosts")) {
    out.allowed_hosts = string_list(f, "allowed_hosts");
    if (out.allowed_hosts.empty()) f.fail("allowed_hosts", "must name at least one host (\"*\" for any)");
    for (const auto& entry : out.allowed_hosts) {
      if (const std::string why = server::HostAllowList::problem(entry); !why.empty())
        f.fail("allowed_hosts", why);
    }
  }
  if (const auto it = object.find("rate_limit_rps"); it != object.end()) {
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0 ||
        it->get<double>() > 1'000'000) {
      f.fail("rate_limit_rps", "must be a number from 0 (no limit) to 1000000");
    }
    out.rate_limit_rps = it->get<double>();
  }
  out.rate_limit_burst = static_cast<std::size_t>(
      integer(f, object, "rate_limit_burst", static_cast<long long>(out.rate_limit_burst), 1, 1'000'000));
}

void read_chat(const std::filesystem::path& file, const nlohmann::json& object, ChatSettings& out) {
  const JsonFields f(file, object, "chat");
  f.only_keys({"session_secret", "session_max_age_s"});
  out.session_secret = f.optional_string("session_secret");
  if (!out.session_secret.empty() && out.session_secret.size() < 16) {
    f.fail("session_secret", "must be at least 16 characters (or empty for a random one per process)");
  }
  out.session_max_age = std::chrono::seconds(
      integer(f, object, "session_max_age_s", out.session_max_age.count(), 60, 90 * 86400));
}

void read_rasa(const std::filesystem::path& file, const nlohmann::json& object, RasaSettings& out) {
  const JsonFields f(file, object, "rasa");
  f.only_keys({"max_senders", "sender_ttl_s"});
  out.max_senders = static_cast<std::size_t>(
      integer(f, object, "max_senders", static_cast<long long>(out.max_senders), 1, 10'000'000));
  out.sender_ttl =
      std::chrono::seconds(integer(f, object, "sender_ttl_s", out.sender_ttl.count(), 1, 7 * 86400));
}

void read_alexa(const std::filesystem::path& file, const nlohmann::json& object, AppConfig& out) {
  const JsonFields f(file, object, "alexa");
  f.only_keys({"verify", "skill_ids", "invocation_name", "invocation_names", "timestamp_tolerance_s",
               "certificate_cache_s", "trust_store"});
  out.alexa.verify = f.optional_bool("verify", out.alexa.verify);
  out.alexa.skill_ids = string_list(f, "skill_ids");
  out.alexa_invocation_name = f.optional_string("invocation_name", out.alexa_invocation_name);
  if (out.alexa_invocation_name.empty()) f.fail("invocation_name", "must not be empty");
  if (const auto* names = f.optional_object("invocation_names")) {
    for (const auto& [locale, name] : names->items()) {
      const auto tag = parse_locale(locale);
      if (!tag || tag->str() != locale)
        f.fail("invocation_names." + locale, "the key must be a locale written like \"es-US\" or \"es\"");
      if (!name.is_string() || name.get<std::string>().empty())
        f.fail("invocation_names." + locale, "must be a non-empty string");
      out.alexa_invocation_names[locale] = name.get<std::string>();
    }
  }
  out.alexa.timestamp_tolerance = std::chrono::seconds(
      integer(f, object, "timestamp_tolerance_s", out.alexa.timestamp_tolerance.count(), 1, 150));
  out.alexa.certificate_cache_ttl = std::chrono::seconds(
      integer(f, object, "certificate_cache_s", out.alexa.certificate_cache_ttl.count(), 0, 7 * 86400));
  const std::string trust = f.optional_string("trust_store");
  if (!trust.empty()) out.alexa_trust_store = (file.parent_path() / trust).lexically_normal();
}

void read_dialogflow(const std::filesystem::path& file, const nlohmann::json& object,
                     server::BasicAuth& out) {
  const JsonFields f(file, object, "dialogflow");
  f.only_keys({"basic_auth_user", "basic_auth_password"});
  out.user = f.optional_string("basic_auth_user");
  out.password = f.optional_string("basic_auth_password");
  if (out.user.find(':') != std::string::npos) f.fail("basic_auth_user", "must not contain ':'");
  if (!out.user.empty() && out.password.empty()) {
    f.fail("basic_auth_password", "must be set when basic_auth_user is (or clear both)");
  }
}

void read_log(const std::filesystem::path& file, const nlohmann::json& object, AppConfig& out) {
  const JsonFields f(file, object, "log");
  f.only_keys({"level", "utterances"});
  const std::string level = f.optional_string("level", "info");
  if (!server::parse_log_level(level, out.log_level))
    f.fail("level", "must be debug, info, warn, error or off");
  out.log_utterances = f.optional_bool("utterances", false);
}

// The folder of the web widget's files; relative to the configuration file's folder, "" for none.
void read_web(const std::filesystem::path& file, const nlohmann::json& object, AppConfig& out) {
  const JsonFields f(file, object, "web");
  f.only_keys({"root"});
  const std::string root = f.optional_string("root");
  if (root.empty()) return;
  const std::filesystem::path path(root);
  out.web_root = (path.is_relative() ? file.parent_path() / path : path).lexically_normal();
  if (!std::filesystem::is_directory(out.web_root))
    f.fail("root", "no such folder: " + out.web_root.string());
}

// The REPL's history file: "~/" is the home folder; a relative path is taken from the configuration file's
// folder (the environment's paths arrive absolute). Utterances are health text: not written to disk unless
// asked for.
void read_repl(const std::filesystem::path& file, const nlohmann::json& object, AppConfig& out) {
  const JsonFields f(file, object, "repl");
  f.only_keys({"history_file"});
  if (!object.contains("history_file")) return;
  const std::string text = f.required_string("history_file");
  if (text.empty()) return;
  if (text == "~" || text.starts_with("~/")) {
    const char* home = std::getenv("HOME");
    if (!home || !*home) f.fail("history_file", "starts with ~ but HOME is not set");
    out.repl_history_file = std::filesystem::path(std::string(home) + text.substr(1)).lexically_normal();
    return;
  }
  const std::filesystem::path path(text);
  out.repl_history_file = (path.is_relative() ? file.parent_path() / path : path).lexically_normal();
}

// The review of misunderstood questions. The file is relative to the configuration file's folder (the
// environment's paths arrive absolute) and must be named when review is on.
void read_review(const std::filesystem::path& file, const nlohmann::json& object,
                 review::ReviewSettings& out) {
  const JsonFields f(file, object, "review");
  f.only_keys({"enabled", "file", "min_confidence", "min_conversations", "retention_days", "max_bytes"});
  out.enabled = f.optional_bool("enabled", out.enabled);
  const std::string path = f.optional_string("file");
  if (!path.empty()) {
    const std::filesystem::path given(path);
    out.file = (given.is_relative() ? file.parent_path() / given : given).lexically_normal();
  }
  if (const auto it = object.find("min_confidence"); it != object.end()) {
    if (!it->is_number()) f.fail("min_confidence", "must be a number");
    out.min_confidence = it->get<double>();
    if (!(out.min_confidence >= 0 && out.min_confidence <= 1))
      f.fail("min_confidence", "must be between 0 and 1");
  }
  out.min_conversations = static_cast<std::size_t>(
      integer(f, object, "min_conversations", static_cast<long long>(out.min_conversations), 2, 1'000'000));
  out.retention_days = static_cast<int>(integer(f, object, "retention_days", out.retention_days, 1, 366));
  out.max_bytes = static_cast<std::size_t>(
      integer(f, object, "max_bytes", static_cast<long long>(out.max_bytes), 4096, 1LL << 40));
  if (out.enabled && out.file.empty())
    f.fail("file", "must name the review store when review.enabled is true");
  if (out.enabled && !std::filesystem::is_directory(out.file.parent_path())) {
    f.fail("file", "its folder does not exist: " + out.file.parent_path().string());
  }
}

void read_feedback(const std::filesystem::path& file, const nlohmann::json& object, AppConfig& out) {
  const JsonFields f(file, object, "feedback");
  f.only_keys({"max_votes_remembered"});
  out.feedback_max_votes = static_cast<std::size_t>(integer(
      f, object, "max_votes_remembered", static_cast<long long>(out.feedback_max_votes), 1, 100'000'000));
}

}  // namespace

const std::vector<SettingSpec>& setting_specs() {
  static const std::vector<SettingSpec> specs = {
      {"catalog", "dir", Kind::path},
      {"catalog", "default_locale", Kind::string},
      {"catalog", "locales", Kind::string_list},
      {"catalog", "intents", Kind::path},
      {"catalog", "responses", Kind::path},
      {"catalog", "max_review_age_days", Kind::integer},
      {"matcher", "min_confidence", Kind::number},
      {"matcher", "min_margin", Kind::number},
      {"matcher", "fuzzy_penalty", Kind::number},
      {"matcher", "fuzzy_min_confidence", Kind::number},
      {"matcher", "filler_weight", Kind::number},
      {"matcher", "unknown_weight", Kind::number},
      {"matcher", "set_max_mem_mb", Kind::number},
      {"matcher", "min_distinctiveness_margin", Kind::number},
      {"limits", "max_utterance_bytes", Kind::number},
      {"server", "address", Kind::string},
      {"server", "port", Kind::integer},
      {"server", "threads", Kind::integer},
      {"server", "max_body_bytes", Kind::integer},
      {"server", "max_header_bytes", Kind::integer},
      {"server", "max_connections", Kind::integer},
      {"server", "max_connections_per_client", Kind::integer},
      {"server", "header_timeout_ms", Kind::integer},
      {"server", "read_timeout_ms", Kind::integer},
      {"server", "idle_timeout_ms", Kind::integer},
      {"server", "shutdown_timeout_ms", Kind::integer},
      {"server", "cors_origins", Kind::string_list},
      {"server", "trusted_proxies", Kind::string_list},
      {"server", "allowed_hosts", Kind::string_list},
      {"server", "rate_limit_rps", Kind::number},
      {"server", "rate_limit_burst", Kind::integer},
      {"chat", "session_secret", Kind::string},
      {"chat", "session_max_age_s", Kind::integer},
      {"rasa", "max_senders", Kind::integer},
      {"rasa", "sender_ttl_s", Kind::integer},
      {"alexa", "verify", Kind::boolean},
      {"alexa", "skill_ids", Kind::string_list},
      {"alexa", "invocation_name", Kind::string},
      {"alexa", "timestamp_tolerance_s", Kind::integer},
      {"alexa", "certificate_cache_s", Kind::integer},
      {"alexa", "trust_store", Kind::path},
      {"dialogflow", "basic_auth_user", Kind::string},
      {"dialogflow", "basic_auth_password", Kind::string},
      {"log", "level", Kind::string},
      {"log", "utterances", Kind::boolean},
      {"web", "root", Kind::path},
      {"repl", "history_file", Kind::path},
      {"review", "enabled", Kind::boolean},
      {"review", "file", Kind::path},
      {"review", "min_confidence", Kind::number},
      {"review", "min_conversations", Kind::integer},
      {"review", "retention_days", Kind::integer},
      {"review", "max_bytes", Kind::integer},
      {"feedback", "max_votes_remembered", Kind::integer},
  };
  return specs;
}

std::string environment_name(const SettingSpec& spec) {
  std::string name = std::string(kEnvironmentPrefix) + spec.section + "_" + spec.key;
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
  return name;
}

AppConfig load_app_config(const std::filesystem::path& file,
                          const std::map<std::string, std::string>& environment) {
  nlohmann::json document = load_json_file(file);
  const JsonFields top(file, document, "");
  top.only_keys({"catalog", "matcher", "limits", "server", "chat", "rasa", "alexa", "dialogflow", "log",
                 "web", "repl", "review", "feedback"});

  AppConfig out;
  out.file = file;
  std::set<std::string> known = {"CRAMPBOT_CONFIG"};
  for (const auto& spec : setting_specs()) {
    const std::string name = environment_name(spec);
    known.insert(name);
    const auto it = environment.find(name);
    if (it == environment.end()) continue;
    nlohmann::json& target = document[spec.section];
    if (!target.is_object()) target = nlohmann::json::object();
    target[spec.key] = environment_value(spec, name, it->second);
  }
  for (const auto& [name, value] : environment) {
    if (name.starts_with(kEnvironmentPrefix) && !known.count(name)) {
      out.warnings.push_back("unknown environment variable " + name + " ignored");
    }
  }

  try {
    const JsonFields merged(file, document, "");
    out.engine = EngineConfig::from_json(document, file);
    read_server(file, section(merged, "server"), out.server);
    read_chat(file, section(merged, "chat"), out.chat);
    read_rasa(file, section(merged, "rasa"), out.rasa);
    read_alexa(file, section(merged, "alexa"), out);
    read_dialogflow(file, section(merged, "dialogflow"), out.dialogflow_auth);
    read_log(file, section(merged, "log"), out);
    read_web(file, section(merged, "web"), out);
    read_repl(file, section(merged, "repl"), out);
    read_review(file, section(merged, "review"), out.review);
    read_feedback(file, section(merged, "feedback"), out);
  } catch (const CatalogError& e) {
    // A bad value may have come from the environment, not the file: say so.
    const std::string message = e.what();
    for (const auto& spec : setting_specs()) {
      const std::string name = environment_name(spec);
      const std::string key = ": " + std::string(spec.section) + "." + spec.key + ":";
      if (environment.count(name) && message.find(key) != std::string::npos) {
        throw CatalogError(message + " (the value comes from " + name + ")");
      }
    }
    throw;
  }
  return out;
}

std::map<std::string, std::string> process_environment() {
  std::map<std::string, std::string> out;
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string_view text = *entry;
    const auto equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    out.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  return out;
}

std::string alexa_invocation_name_for(const AppConfig& config, const std::string& locale) {
  const auto& names = config.alexa_invocation_names;
  if (auto exact = names.find(locale); exact != names.end()) return exact->second;
  if (auto language = names.find(locale.substr(0, locale.find('-'))); language != names.end())
    return language->second;
  return config.alexa_invocation_name;
}

std::shared_ptr<const EngineSet> load_engines_or_report(const std::filesystem::path& file,
                                                        AppConfig* config) {
  try {
    AppConfig loaded = load_app_config(file, process_environment());
    std::shared_ptr<const EngineSet> engines = EngineSet::load(loaded.engine);
    if (config) *config = std::move(loaded);
    return engines;
  } catch (const CatalogError& e) {
    std::fprintf(stderr, "crampbot: %s\n", e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "crampbot: %s: %s\n", file.string().c_str(), e.what());
  }
  return nullptr;
}

}  // namespace crampbot::app
