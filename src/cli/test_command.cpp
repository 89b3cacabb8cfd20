#include "cli/test_command.h"

#include <fstream>
#include <map>

#include "authoring/conversation_runner.h"
#include "authoring/junit_report.h"
#include "cli/commands.h"
#include "engine/engine_set.h"

namespace crampbot::cli {

namespace {

using namespace crampbot::authoring;

// The channels `name` stands for: one channel, or with "all" every platform channel (the engine itself is
// what the chat channel calls, so it is not run twice). Empty for an unknown name.
std::vector<std::string> channels_for(const std::string& name) {
  const auto& known = known_channel_names();
  if (name == "all") return {known.begin() + 1, known.end()};
  if (std::find(known.begin(), known.end(), name) != known.end()) return {name};
  return {};
}

// Writes `text` to `path` through a temporary file and a rename, so a reader never sees half a report.
bool write_whole_file(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return false;
    out << text;
    out.flush();
    if (!out) return false;
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  return !error;
}

}  // namespace

int run_conversation_tests(const EngineSet& engines, const TestOptions& options, std::FILE* out) {
  const std::vector<std::string> channels = channels_for(options.channel);
  if (channels.empty()) {
    std::fprintf(stderr,
                 "crampbot: unknown channel '%s' (one of engine, chat, alexa, dialogflow, "
                 "dialogflow-cx, rasa, all)\n",
                 options.channel.c_str());
    return kExitBadInput;
  }
  // Every file is read before anything runs: a malformed one stops the run with its file, line and key.
  std::vector<ConversationSpec> conversations;
  try {
    std::vector<std::filesystem::path> paths(options.paths.begin(), options.paths.end());
    for (const auto& file : find_conversation_files(paths)) {
      auto loaded = load_conversation_file(file);
      for (const auto& conversation : loaded) {
        const std::string locale =
            conversation.locale.empty() ? options.locale.value_or("") : conversation.locale;
        if (!locale.empty() && !engines.find(locale.substr(0, locale.find('-')))) {
          throw ConversationFileError(conversation.file, conversation.locale_line,
                                      "'locale': the catalog has no language '" + locale + "'");
        }
        check_intent_names(conversation, engines.for_locale(locale).intents());
      }
      conversations.insert(conversations.end(), std::make_move_iterator(loaded.begin()),
                           std::make_move_iterator(loaded.end()));
    }
  } catch (const ConversationFileError& e) {
    std::fprintf(stderr, "crampbot: %s\n", e.what());
    return kExitBadInput;
  }

  std::map<const Engine*, CaveatSet> caveats;  // each answering locale's
  std::vector<ConversationResult> results;
  std::size_t passed = 0;
  std::size_t failed = 0;
  for (const auto& conversation : conversations) {
    const std::string locale =
        conversation.locale.empty() ? options.locale.value_or("") : conversation.locale;
    const Engine& engine = engines.for_locale(locale);
    auto own = caveats.try_emplace(&engine, engine.responses()).first;
    results.push_back(run_conversation(engines, locale, conversation, channels, own->second));
    const ConversationResult& result = results.back();
    std::fputs(format_result(result).c_str(), out);
    if (result.passed()) ++passed;
    if (result.ran() && !result.passed()) ++failed;
  }
  const std::size_t not_run = results.size() - passed - failed;
  std::fprintf(out, "%zu passed, %zu failed", passed, failed);
  if (not_run > 0) std::fprintf(out, ", %zu not run on %s", not_run, options.channel.c_str());
  std::fprintf(out, "\n");
  std::fflush(out);

  if (options.junit && !write_whole_file(*options.junit, junit_xml(results))) {
    std::fprintf(stderr, "crampbot: %s: cannot write the JUnit report\n", options.junit->c_str());
    return kExitBadInput;
  }
  if (passed + failed == 0) {
    std::fprintf(stderr, "crampbot: no conversation ran\n");
    return kExitFailed;
  }
  return failed == 0 ? kExitOk : kExitFailed;
}

int run_test(const std::filesystem::path& config, const TestOptions& options) {
  const auto engines = load_engines(config);
  if (!engines) return kExitBadConfig;
  if (options.locale && !engine_for(*engines, options.locale)) return kExitBadInput;
  return run_conversation_tests(*engines, options, stdout);
}

}  // namespace crampbot::cli
