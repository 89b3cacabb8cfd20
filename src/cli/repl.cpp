// The REPL: for people (line editing, history, :explain) and, with --json, for scripts (one JSON reply per
// input line, context kept between lines). Utterances are health text: the line-editing history stays in
// memory unless the configuration names a history file ("repl": {"history_file": "~/.crampbot_history"}).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include <editline/readline.h>

#include "app/app_config.h"
#include "app/server_app.h"
#include "cli/commands.h"
#include "cli/test_command.h"
#include "cli/word_wrap.h"
#include "engine/catalog_error.h"
#include "engine/engine.h"
#include "engine/json_file.h"

namespace crampbot::cli {

namespace {

constexpr const char* kHelp =
    "Type a question about leg cramps, or:\n"
    "  :explain   how the last utterance was matched\n"
    "  :context   the conversation context the next turn will use\n"
    "  :reset     start a new conversation\n"
    "  :reload    read the intents and responses again (they must pass crampbot check)\n"
    "  :locale [TAG]\n"
    "             the locale answering, or answer as TAG from now on (en-GB, es-MX, es...)\n"
    "  :test PATH [--channel NAME]\n"
    "             run conversation tests (a YAML file or a folder of them) on this catalog\n"
    "  :help      this text\n"
    "  :quit      leave (or Ctrl-D)\n";

std::string_view error_code(InputError error) {
  switch (error) {
    case InputError::empty:
      return "empty";
    case InputError::too_long:
      return "too_long";
    case InputError::invalid_utf8:
      return "invalid_utf8";
    case InputError::control_character:
      return "control_character";
    case InputError::none:
      break;
  }
  return "none";
}

// Reads one line: through libedit when a person is typing, plainly otherwise. False at end of input.
bool read_line(bool interactive, std::string& line) {
  if (!interactive) {
    if (!std::getline(std::cin, line)) return false;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  }
  char* raw = readline("you> ");
  if (!raw) return false;
  line = raw;
  std::free(raw);
  if (!line.empty()) add_history(line.c_str());
  return true;
}

}  // namespace

namespace {

int run_json(const Engine& engine) {
  DialogueContext context;
  std::string line;
  while (read_line(false, line)) {
    if (line == ":reset") {
      context = {};
      std::printf("{\"reset\":true}\n");
      std::fflush(stdout);
      continue;
    }
    const auto outcome = engine.respond(line, context);
    nlohmann::json out;
    if (const auto* error = std::get_if<InputError>(&outcome)) {
      out = {{"error", std::string(describe(*error))}, {"code", std::string(error_code(*error))}};
    } else {
      const Reply& reply = std::get<Reply>(outcome);
      out = to_json(reply);
      context = reply.context;
    }
    std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    std::fflush(stdout);
  }
  return kExitOk;
}

// The REPL's ":test PATH... [--channel NAME]" as test options; nullopt (with a message) when malformed.
std::optional<TestOptions> test_options(const std::string& arguments) {
  TestOptions options;
  std::istringstream words(arguments);
  std::string word;
  while (words >> word) {
    if (word == "--channel") {
      if (!(words >> options.channel)) break;
    } else {
      options.paths.push_back(word);
    }
  }
  if (options.paths.empty()) {
    std::printf("usage: :test PATH... [--channel engine|chat|alexa|dialogflow|dialogflow-cx|rasa|all]\n");
    return std::nullopt;
  }
  return options;
}

void print_reply(const Reply& reply) {
  const std::size_t width = output_width();
  std::printf("\n%s\n", wrap_words((reply.urgent ? "!! " : "") + reply.text, width).c_str());
  if (!reply.suggestions.empty()) {
    std::vector<std::string> chips;
    for (const auto& s : reply.suggestions)
      chips.push_back("[" + s + "]");
    std::printf("%s\n", wrap_items("  try:", chips, width).c_str());
  }
  std::printf("\n");
}

int run_human(std::shared_ptr<const EngineSet> engines, std::optional<std::string> locale,
              const app::AppConfig& settings) {
  std::shared_ptr<const Engine> engine = engine_for(*engines, locale);
  const bool interactive = isatty(STDIN_FILENO) != 0;
  std::optional<std::string> history;
  if (!settings.repl_history_file.empty()) history = settings.repl_history_file.string();
  if (interactive) {
    using_history();  // in memory; read from and written to a file only when one is configured
    if (history) read_history(history->c_str());
    std::printf("crampbot: ask about leg cramps, vitamins and minerals. :help for commands.\n\n");
  }
  DialogueContext context;
  std::optional<Reply> last_reply;
  std::string line;
  while (read_line(interactive, line)) {
    if (line == ":quit" || line == ":q" || line == ":exit") break;
    if (line == ":help") {
      std::printf("%s", kHelp);
    } else if (line == ":reset") {
      context = {};
      last_reply.reset();
      std::printf("(new conversation)\n");
    } else if (line == ":context") {
      std::printf("%s\n", to_json(context).dump().c_str());
    } else if (line == ":explain") {
      if (last_reply) {
        print_explain(*last_reply);
      } else {
        std::printf("nothing to explain yet\n");
      }
    } else if (line == ":reload") {
      // As the server reloads: the whole catalog again, checked, or the old one stays.
      try {
        engines = app::load_checked_engines(settings.engine);
        engine = engine_for(*engines, locale);
        if (!engine) engine = engines->shared_default();
        // The conversation goes on where the new catalog still knows its intents and slots.
        context = engine->context_from_json(to_json(context));
        last_reply.reset();
        std::printf("(reloaded: %zu locales, %zu intents)\n", engines->engines().size(),
                    engine->intents().intents.size());
      } catch (const std::exception& e) {
        std::printf("(reload refused, the old catalog stays: %s)\n", e.what());
      }
    } else if (line == ":locale") {
      std::printf("(answering as %s)\n", engine->locale().c_str());
    } else if (line.rfind(":locale ", 0) == 0) {
      const std::string wanted = line.substr(8);
      if (const auto chosen = engine_for(*engines, wanted)) {
        engine = chosen;
        locale = wanted;
        context = {};  // a conversation is held in one language
        last_reply.reset();
        std::printf("(answering as %s; new conversation)\n", engine->locale().c_str());
      }
    } else if (line == ":test" || line.rfind(":test ", 0) == 0) {
      if (auto options = test_options(line.substr(5))) {
        options->locale = engine->locale();
        run_conversation_tests(*engines, *options, stdout);
      }
    } else if (!line.empty() && line.front() == ':') {
      std::printf("unknown command %s (:help lists them)\n", line.c_str());
    } else {
      const auto outcome = engine->respond(line, context);
      if (const auto* error = std::get_if<InputError>(&outcome)) {
        std::printf("(%s)\n", std::string(describe(*error)).c_str());
      } else {
        const Reply& reply = std::get<Reply>(outcome);
        context = reply.context;
        last_reply = reply;
        print_reply(reply);
        if (reply.end) break;
      }
    }
    std::fflush(stdout);
  }
  if (interactive && history) write_history(history->c_str());
  return kExitOk;
}

}  // namespace

int run_repl(const std::filesystem::path& config, bool json, const std::optional<std::string>& locale) {
  app::AppConfig settings;
  const auto engines = app::load_engines_or_report(config, &settings);
  if (!engines) return kExitBadConfig;
  const auto engine = engine_for(*engines, locale);
  if (!engine) return kExitBadInput;
  if (json) return run_json(*engine);
  return run_human(engines, locale, settings);
}

}  // namespace crampbot::cli
