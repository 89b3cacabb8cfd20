// crampbot: the command line. Each subcommand is a thin layer over the engine library.
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/export_command.h"
#include "cli/review_command.h"
#include "cli/serve_command.h"
#include "cli/test_command.h"

int main(int argc, char** argv) {
  using namespace crampbot::cli;
  CLI::App app{"crampbot: answers questions about leg cramps and the vitamins and minerals involved"};
  app.require_subcommand(1);
  // Options of the main program (--config) may also come after the subcommand.
  app.fallthrough();
  std::optional<std::string> config_flag;
  app.add_option("--config", config_flag, "configuration file (default: config/crampbot.json)");
  std::optional<std::string> locale_flag;
  app.add_option("--locale", locale_flag,
                 "the locale to answer, measure, test or export as (en-GB, es-MX, es...; default: "
                 "catalog.default_locale; check: every locale)");

  AskOptions ask;
  auto* ask_cmd = app.add_subcommand("ask", "answer one utterance");
  ask_cmd->add_option("text", ask.words, "the utterance")->required();
  ask_cmd->add_flag("--json", ask.json, "print the reply object as JSON");
  ask_cmd->add_flag("--explain", ask.explain, "show how the utterance was matched");
  ask_cmd->add_option("--context", ask.context, "the \"context\" of a previous reply, as JSON");

  bool repl_json = false;
  auto* repl_cmd = app.add_subcommand("repl", "converse line by line (:help for commands)");
  repl_cmd->add_flag("--json", repl_json, "read utterances on stdin, print one JSON reply per line");

  auto* check_cmd = app.add_subcommand("check", "validate intents and responses");
  bool check_strict = false;
  check_cmd->add_flag("--strict", check_strict, "fail on warnings too (replies whose review is overdue)");

  ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "run the webhook server until SIGINT or SIGTERM");
  serve_cmd->add_option("--address", serve.address, "address to listen on (overrides server.address)");
  serve_cmd->add_option("--port", serve.port, "port to listen on; 0 picks a free one (overrides server.port)")
      ->check(CLI::Range(0, 65535));
  serve_cmd->add_option("--threads", serve.threads, "worker threads; 0 means one per core")
      ->check(CLI::Range(0, 256));

  EvalOptions eval;
  auto* eval_cmd = app.add_subcommand("eval", "measure accuracy on labelled JSON-lines files");
  eval_cmd->add_option("files", eval.files, "labelled files")->required()->check(CLI::ExistingFile);
  eval_cmd->add_option("--min-accuracy", eval.min_accuracy, "exit 1 when intent+slots accuracy is below this")
      ->check(CLI::Range(0.0, 1.0));
  eval_cmd->add_option("--show-errors", eval.show_errors, "how many errors to list (default 50)");
  eval_cmd->add_flag("--json", eval.json, "print the figures as one JSON object");
  eval_cmd->add_option("--min-in-domain", eval.min_in_domain, "exit 1 below this in-domain frame accuracy")
      ->check(CLI::Range(0.0, 1.0));
  eval_cmd->add_option("--min-red-flag", eval.min_red_flag, "exit 1 below this red-flag recall")
      ->check(CLI::Range(0.0, 1.0));
  eval_cmd
      ->add_option("--max-false-accept", eval.max_false_accept,
                   "exit 1 above this off-topic false-accept rate")
      ->check(CLI::Range(0.0, 1.0));
  eval_cmd->add_option("--max-false-alarm", eval.max_false_alarm, "exit 1 above this urgent false-alarm rate")
      ->check(CLI::Range(0.0, 1.0));
  eval_cmd->add_option("--max-clarify", eval.max_clarify, "exit 1 above this in-domain clarify rate")
      ->check(CLI::Range(0.0, 1.0));

  TestOptions test;
  auto* test_cmd = app.add_subcommand("test", "run conversation tests (YAML) that assert on the replies");
  test_cmd->add_option("paths", test.paths, "test files, or folders of *.yaml files")->required();
  test_cmd
      ->add_option("--channel", test.channel,
                   "engine (default), chat, alexa, dialogflow, dialogflow-cx, rasa, or all of the channels")
      ->check(CLI::IsMember({"engine", "chat", "alexa", "dialogflow", "dialogflow-cx", "rasa", "all"}));
  test_cmd->add_option("--junit", test.junit, "also write the results as JUnit XML to this file");
  ReviewOptions review;
  auto* review_cmd = app.add_subcommand("review", "list misunderstood questions kept by review.file");
  review_cmd->add_option("files", review.files, "review files (one per replica)")
      ->required()
      ->check(CLI::ExistingFile);
  review_cmd
      ->add_option("--min-conversations", review.min_conversations,
                   "show a phrase only when at least this many conversations sent it (default "
                   "review.min_conversations)")
      ->check(CLI::Range(2, 1'000'000));
  review_cmd->add_flag("--json", review.json, "print the listing as one JSON object");
  review_cmd->add_option(
      "--export-eval", review.export_eval,
      "write the listed phrases to this file in the eval format, intents left empty to label");

  ExportDialogflowOptions dialogflow;
  auto* export_cmd = app.add_subcommand("export", "write a platform's interaction model from the templates");
  export_cmd->require_subcommand(1);
  auto* export_alexa_cmd = export_cmd->add_subcommand("alexa", "print the Alexa interaction model (JSON)");
  auto* export_dialogflow_cmd =
      export_cmd->add_subcommand("dialogflow", "write a Dialogflow ES agent folder");
  export_dialogflow_cmd->add_option("dir", dialogflow.dir, "the agent folder (new or empty)")->required();
  export_dialogflow_cmd->add_option("--webhook-url", dialogflow.webhook_url, "https URL of POST /dialogflow");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitBadInput;
  }

  const auto config = locate_config(config_flag, argv[0]);
  if (config.empty()) {
    std::fprintf(
        stderr,
        "crampbot: no configuration file: pass --config, set CRAMPBOT_CONFIG, or run from the project "
        "folder (config/crampbot.json)\n");
    return kExitBadConfig;
  }
  ask.locale = eval.locale = test.locale = locale_flag;
  if (*ask_cmd) return run_ask(config, ask);
  if (*repl_cmd) return run_repl(config, repl_json, locale_flag);
  if (*check_cmd) return run_check(config, check_strict, locale_flag);
  if (*serve_cmd) return run_serve(config, serve);
  if (*eval_cmd) return run_eval(config, eval);
  if (*test_cmd) return run_test(config, test);
  if (*review_cmd) return run_review(config, review);
  if (*export_alexa_cmd) return run_export_alexa(config, locale_flag);
  if (*export_dialogflow_cmd) {
    if (locale_flag) {
      std::fprintf(
          stderr, "crampbot: export dialogflow writes one agent with every language; it takes no --locale\n");
      return kExitBadInput;
    }
    return run_export_dialogflow(config, dialogflow);
  }
  return kExitBadInput;
}
