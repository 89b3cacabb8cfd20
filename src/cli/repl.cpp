// The REPL: for people (line editing, history, :explain) and, with --json, for scripts (one JSON reply per
// input line, context kept between lines). Utterances are health text: the line-editing history stays in
// memory unless the configuration names a history file ("repl": {"history_file": "~/.crampbot_history"}).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <editline/readline.h>

#include "app/app_config.h"
#include "cli/commands.h"
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

int run_human(const Engine& engine, const std::optional<std::string>& history) {
  const bool interactive = isatty(STDIN_FILENO) != 0;
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
    } else if (!line.empty() && line.front() == ':') {
      std::printf("unknown command %s (:help lists them)\n", line.c_str());
    } else {
      const auto outcome = engine.respond(line, context);
      if (const auto* error = std::get_if<InputError>(&outcome)) {
        std::printf("(%s)\n", std::string(describe(*error)).c_str());
      } else {
        const Reply& reply = std::get<Reply>(outcome);
        context = reply.context;
        last_reply = reply;
        std::printf("\n%s%s\n", reply.urgent ? "!! " : "", reply.text.c_str());
        if (!reply.suggestions.empty()) {
          std::printf("  try:");
          for (const auto& s : reply.suggestions)
            std::printf("  [%s]", s.c_str());
          std::printf("\n");
        }
        std::printf("\n");
        if (reply.end) break;
      }
    }
    std::fflush(stdout);
  }
  if (interactive && history) write_history(history->c_str());
  return kExitOk;
}

}  // namespace

int run_repl(const std::filesystem::path& config, bool json) {
  app::AppConfig settings;
  const auto engine = app::load_engine_or_report(config, &settings);
  if (!engine) return kExitBadConfig;
  if (json) return run_json(*engine);
  std::optional<std::string> history;
  if (!settings.repl_history_file.empty()) history = settings.repl_history_file.string();
  return run_human(*engine, history);
}

}  // namespace crampbot::cli
