#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crampbot::cli {

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;     // check found problems, eval below the bar
inline constexpr int kExitBadInput = 2;   // unusable utterance or input file
inline constexpr int kExitBadConfig = 3;  // configuration or catalog refused at start

// Finds the configuration file: the --config flag, else $CRAMPBOT_CONFIG, else config/crampbot.json in the
// working directory, else ../config/crampbot.json beside the executable. Empty when none exists.
std::filesystem::path locate_config(const std::optional<std::string>& flag, const char* argv0);

struct AskOptions {
  std::optional<std::string> locale;  // --locale: answer as this locale would (default: the configured one)
  std::vector<std::string> words;
  bool json = false;
  bool explain = false;
  std::optional<std::string> context;  // JSON of a previous reply's "context"
};

struct EvalOptions {
  std::optional<std::string> locale;  // --locale: the locale whose catalog is measured
  std::vector<std::string> files;
  std::optional<double> min_accuracy;  // fail below this intent+slots accuracy
  bool json = false;                   // the figures as one JSON object instead of tables
  // Bars on the real-world figures (lines with a "kind"); exit 1 when one is not met.
  std::optional<double> min_in_domain;     // in-domain frame accuracy
  std::optional<double> min_red_flag;      // red-flag recall
  std::optional<double> max_false_accept;  // off-topic lines answered as if ours
  std::optional<double> max_false_alarm;   // off-topic lines answered as urgent
  std::optional<double> max_clarify;       // in-domain lines answered with a clarifying question
  std::size_t show_errors = 50;
};

int run_ask(const std::filesystem::path& config, const AskOptions& options);
// Checks every locale of the catalog, or only `locale`; one summary line per locale. `strict`: warnings (a
// reply not reviewed for too long) fail too.
int run_check(const std::filesystem::path& config, bool strict, const std::optional<std::string>& locale);
int run_eval(const std::filesystem::path& config, const EvalOptions& options);
int run_repl(const std::filesystem::path& config, bool json, const std::optional<std::string>& locale);

}  // namespace crampbot::cli

namespace crampbot {
class Engine;
class EngineSet;
struct Reply;
}  // namespace crampbot

namespace crampbot::cli {

// Prints how a reply's utterance was matched: normalised text, corrections, decision and reason, the
// intent it was answered as when the conversation changed it, and every candidate's score.
void print_explain(const Reply& reply);

// Loads the configuration and every locale of the catalog; on failure prints "crampbot: <file>: <what>" and
// returns nullptr.
std::shared_ptr<const EngineSet> load_engines(const std::filesystem::path& config);

// The engine a --locale names (resolved as a request's locale is; the default without one), or nullptr after
// printing what is wrong when the catalog has no such language.
std::shared_ptr<const Engine> engine_for(const EngineSet& engines, const std::optional<std::string>& locale);

// load_engines, then engine_for.
std::shared_ptr<const Engine> load_engine(const std::filesystem::path& config,
                                          const std::optional<std::string>& locale = std::nullopt);

}  // namespace crampbot::cli
