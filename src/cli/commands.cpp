#include "cli/commands.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>

#include "app/app_config.h"
#include "engine/catalog_check.h"
#include "engine/catalog_error.h"
#include "engine/engine.h"
#include "engine/evaluation.h"
#include "engine/json_file.h"
#include "engine/locale_tag.h"

namespace crampbot::cli {

std::filesystem::path locate_config(const std::optional<std::string>& flag, const char* argv0) {
  if (flag) return *flag;
  if (const char* env = std::getenv("CRAMPBOT_CONFIG"); env && *env) return env;
  std::error_code ec;
  if (std::filesystem::exists("config/crampbot.json", ec)) return "config/crampbot.json";
  std::filesystem::path exe = std::filesystem::canonical("/proc/self/exe", ec);
  if (ec && argv0) exe = std::filesystem::absolute(argv0, ec);
  const auto beside = exe.parent_path().parent_path() / "config" / "crampbot.json";
  if (!ec && std::filesystem::exists(beside, ec)) return beside;
  return {};
}

std::shared_ptr<const EngineSet> load_engines(const std::filesystem::path& config) {
  return app::load_engines_or_report(config);
}

std::shared_ptr<const Engine> engine_for(const EngineSet& engines, const std::optional<std::string>& locale) {
  if (!locale) return engines.shared_default();
  const auto tag = parse_locale(*locale);
  if (!tag || !engines.find(tag->language)) {
    std::string known;
    for (const auto& language : engines.languages())
      known += (known.empty() ? "" : ", ") + language;
    std::fprintf(stderr, "crampbot: --locale %s: the catalog has no such language (it has %s)\n",
                 locale->c_str(), known.c_str());
    return nullptr;
  }
  return engines.shared_for_locale(*locale);
}

std::shared_ptr<const Engine> load_engine(const std::filesystem::path& config,
                                          const std::optional<std::string>& locale) {
  // Only the language asked for: loading every language's matcher would be most of a short command's time.
  std::shared_ptr<const EngineSet> engines;
  try {
    app::AppConfig settings = app::load_app_config(config, app::process_environment());
    const EngineConfig& engine_config = settings.engine;
    std::string language = engine_config.default_locale.substr(0, engine_config.default_locale.find('-'));
    if (locale) {
      const auto tag = parse_locale(*locale);
      if (!tag) {
        std::fprintf(stderr, "crampbot: --locale %s: not a language tag (en-GB, es-MX, es...)\n",
                     locale->c_str());
        return nullptr;
      }
      language = tag->language;
    }
    engines = engine_config.catalog_dir.empty() ? EngineSet::load(engine_config)
                                                : EngineSet::load_language(engine_config, language);
  } catch (const CatalogError& e) {
    std::fprintf(stderr, "crampbot: %s\n", e.what());
    return nullptr;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "crampbot: %s: %s\n", config.string().c_str(), e.what());
    return nullptr;
  }
  return engine_for(*engines, locale);
}

namespace {

void print_human(const Reply& reply) {
  std::printf("%s\n", reply.text.c_str());
  if (!reply.suggestions.empty()) {
    std::printf("\n  try:");
    for (const auto& s : reply.suggestions)
      std::printf("  [%s]", s.c_str());
    std::printf("\n");
  }
}

}  // namespace

void print_explain(const Reply& reply) {
  const MatchResult& match = reply.match;
  std::printf("normalised: \"%s\"\n", match.normalised.c_str());
  for (const auto& c : match.corrections)
    std::printf("corrected:  %s -> %s\n", c.from.c_str(), c.to.c_str());
  std::printf("decision:   %s (%s), confidence %.3f\n", match.intent.c_str(), match.reason.c_str(),
              match.confidence);
  if (reply.intent != match.intent)
    std::printf("answered:   %s (from the conversation)\n", reply.intent.c_str());
  if (!match.template_source.empty()) std::printf("template:   %s\n", match.template_source.c_str());
  if (!match.uncovered.empty()) {
    std::string words;
    for (const auto& w : match.uncovered)
      words += (words.empty() ? "" : " ") + w;
    std::printf("unexplained: %s (words the winner's templates leave to wildcards)\n", words.c_str());
  }
  for (const auto& choice : match.choices) {
    std::string slots;
    for (const auto& [k, v] : choice.slots)
      slots += " " + k + "=" + v;
    std::printf("offered:    %s%s\n", choice.intent.c_str(), slots.c_str());
  }
  for (const auto& intent : match.excluded)
    std::printf("excluded:   %s (one of its \"except\" templates matches)\n", intent.c_str());
  for (const auto& c : match.candidates) {
    std::string slots;
    for (const auto& [k, v] : c.slots)
      slots += " " + k + "=" + v;
    std::printf("  %-18s %.3f  %s%s\n", c.intent.c_str(), c.score, c.template_source.c_str(), slots.c_str());
  }
}

int run_ask(const std::filesystem::path& config, const AskOptions& options) {
  const auto engine = load_engine(config, options.locale);
  if (!engine) return kExitBadConfig;
  std::string text;
  for (const auto& word : options.words)
    text += (text.empty() ? "" : " ") + word;
  DialogueContext context;
  if (options.context) {
    const auto json = nlohmann::json::parse(*options.context, nullptr, false);
    bool valid = false;
    context = engine->context_from_json(json, &valid);
    if (json.is_discarded() || !valid) {
      std::fprintf(stderr, "crampbot: --context is not a context this catalog produced\n");
      return kExitBadInput;
    }
  }
  const auto outcome = engine->respond(text, context);
  if (const auto* error = std::get_if<InputError>(&outcome)) {
    std::fprintf(stderr, "crampbot: %s\n", std::string(describe(*error)).c_str());
    return kExitBadInput;
  }
  const Reply& reply = std::get<Reply>(outcome);
  if (options.json) {
    nlohmann::json out = to_json(reply);
    if (options.explain) out["explain"] = to_json(reply.match);
    std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    if (options.explain) print_explain(reply);
    print_human(reply);
  }
  return kExitOk;
}

int run_check(const std::filesystem::path& config, bool strict, const std::optional<std::string>& locale) {
  const auto engines = load_engines(config);
  if (!engines) return kExitBadConfig;
  std::vector<std::shared_ptr<const Engine>> checked;
  if (locale) {
    const auto engine = engine_for(*engines, locale);
    if (!engine) return kExitBadInput;
    checked.push_back(engine);
  } else {
    for (const auto& [name, engine] : engines->engines())
      checked.push_back(engine);
  }
  bool failed = false;
  std::set<std::string> printed;  // a language's problem shows in each of its locales: print it once
  for (const auto& engine : checked) {
    CheckReport report = check_catalog(*engine);
    for (const auto& problem : report.problems) {
      if (printed.insert(problem).second) std::printf("%s\n", problem.c_str());
    }
    for (const auto& warning : report.warnings) {
      if (printed.insert("warning: " + warning).second) std::printf("warning: %s\n", warning.c_str());
    }
    const std::size_t problems = report.problems.size();
    // --strict: what needs attention fails as a problem does.
    const bool ok = problems == 0 && (!strict || report.warnings.empty());
    failed = failed || !ok;
    std::printf(
        "%s %s: %zu intents, %zu templates, %zu examples, %zu negatives, %zu reply variants, %zu "
        "suggestions; "
        "%zu problems, %zu warnings\n",
        ok ? "ok" : "FAILED", engine->locale().c_str(), report.intents, report.templates, report.examples,
        report.negatives, report.variants, report.suggestions, problems, report.warnings.size());
  }
  return failed ? kExitFailed : kExitOk;
}

namespace {

// The real-world figures, when any line carries a "kind".
void print_kinds(const EvaluationReport::Kinds& k) {
  if (k.in_domain + k.red_flags + k.off_topic == 0) return;
  std::printf("\nby kind\n");
  std::printf("  in-domain frame accuracy:   %6.2f%% (%zu/%zu), clarified %zu (%.2f%%)\n",
              100 * k.in_domain_accuracy(), k.in_domain_correct, k.in_domain, k.clarified,
              100 * k.clarify_rate());
  std::printf("  red-flag recall:            %6.2f%% (%zu/%zu)\n", 100 * k.red_flag_recall(),
              k.red_flags_caught, k.red_flags);
  std::printf("  off-topic false accepts:    %6.2f%% (%zu/%zu)\n", 100 * k.false_accept_rate(),
              k.off_topic_accepted, k.off_topic);
  std::printf("  urgent false alarms:        %6.2f%% (%zu/%zu)\n", 100 * k.false_alarm_rate(), k.false_alarms,
              k.off_topic);
}

// Each bar of `options` the report does not meet, in words.
std::vector<std::string> unmet_bars(const EvaluationReport& report, const EvalOptions& options) {
  std::vector<std::string> out;
  const auto& k = report.kinds;
  const auto at_least = [&](const std::optional<double>& bar, double value, const char* what) {
    if (bar && value < *bar)
      out.push_back(std::string(what) + " " + std::to_string(value) + " is below " + std::to_string(*bar));
  };
  const auto at_most = [&](const std::optional<double>& bar, double value, const char* what) {
    if (bar && value > *bar)
      out.push_back(std::string(what) + " " + std::to_string(value) + " is above " + std::to_string(*bar));
  };
  at_least(options.min_accuracy, report.full_accuracy(), "intent+slots accuracy");
  at_least(options.min_in_domain, k.in_domain_accuracy(), "in-domain frame accuracy");
  at_least(options.min_red_flag, k.red_flag_recall(), "red-flag recall");
  at_most(options.max_false_accept, k.false_accept_rate(), "off-topic false-accept rate");
  at_most(options.max_false_alarm, k.false_alarm_rate(), "urgent false-alarm rate");
  at_most(options.max_clarify, k.clarify_rate(), "in-domain clarify rate");
  return out;
}

nlohmann::json eval_json(const EvaluationReport& report, std::size_t conversations) {
  const auto& k = report.kinds;
  nlohmann::json per_intent = nlohmann::json::object();
  for (const auto& [intent, c] : report.per_intent) {
    per_intent[intent] = {{"expected", c.expected},
                          {"correct", c.correct},
                          {"full_correct", c.full_correct},
                          {"predicted", c.predicted}};
  }
  return {{"conversations", conversations},
          {"turns", report.turns},
          {"intent_accuracy", report.intent_accuracy()},
          {"full_accuracy", report.full_accuracy()},
          {"kinds",
           {{"in_domain",
             {{"count", k.in_domain},
              {"correct", k.in_domain_correct},
              {"accuracy", k.in_domain_accuracy()},
              {"clarified", k.clarified},
              {"clarify_rate", k.clarify_rate()}}},
            {"red_flag",
             {{"count", k.red_flags}, {"caught", k.red_flags_caught}, {"recall", k.red_flag_recall()}}},
            {"off_topic",
             {{"count", k.off_topic},
              {"false_accepts", k.off_topic_accepted},
              {"false_accept_rate", k.false_accept_rate()},
              {"false_alarms", k.false_alarms},
              {"false_alarm_rate", k.false_alarm_rate()}}}}},
          {"per_intent", per_intent}};
}

}  // namespace

int run_eval(const std::filesystem::path& config, const EvalOptions& options) {
  const auto engine = load_engine(config, options.locale);
  if (!engine) return kExitBadConfig;
  std::vector<LabelledConversation> conversations;
  for (const auto& file : options.files) {
    std::ifstream in(file);
    if (!in) {
      std::fprintf(stderr, "crampbot: %s: cannot open file\n", file.c_str());
      return kExitBadInput;
    }
    try {
      auto more = read_labelled(in, file, engine->intents());
      conversations.insert(conversations.end(), more.begin(), more.end());
    } catch (const CatalogError& e) {
      std::fprintf(stderr, "crampbot: %s\n", e.what());
      return kExitBadInput;
    }
  }
  const EvaluationReport report = evaluate(*engine, conversations);
  const std::vector<std::string> unmet = unmet_bars(report, options);
  const bool below = !unmet.empty();
  if (options.json) {
    std::printf("%s\n", eval_json(report, conversations.size()).dump().c_str());
    return below ? kExitFailed : kExitOk;
  }
  std::printf("%zu conversations, %zu turns\n", conversations.size(), report.turns);
  std::printf("intent accuracy:         %6.2f%% (%zu/%zu)\n", 100 * report.intent_accuracy(),
              report.intent_correct, report.turns);
  std::printf("intent+slots accuracy:   %6.2f%% (%zu/%zu)\n", 100 * report.full_accuracy(),
              report.full_correct, report.turns);
  print_kinds(report.kinds);
  std::printf("\n%-18s %8s %8s %8s %9s\n", "intent", "expected", "intent", "+slots", "predicted");
  for (const auto& [intent, counts] : report.per_intent) {
    std::printf("%-18s %8zu %8zu %8zu %9zu\n", intent.c_str(), counts.expected, counts.correct,
                counts.full_correct, counts.predicted);
  }
  if (!report.confusion.empty()) {
    std::printf("\nconfusions (expected -> got: count)\n");
    for (const auto& [pair, count] : report.confusion) {
      std::printf("  %s -> %s: %zu\n", pair.first.c_str(), pair.second.c_str(), count);
    }
  }
  if (!report.errors.empty() && options.show_errors > 0) {
    std::printf("\nerrors (first %zu of %zu)\n", std::min(options.show_errors, report.errors.size()),
                report.errors.size());
    for (std::size_t i = 0; i < report.errors.size() && i < options.show_errors; ++i) {
      const auto& e = report.errors[i];
      std::printf("  \"%s\": expected %s, got %s (%s)\n", e.text.c_str(), e.expected.c_str(), e.got.c_str(),
                  e.reason.c_str());
    }
  }
  for (const auto& bar : unmet)
    std::printf("\nFAILED: %s\n", bar.c_str());
  if (below) return kExitFailed;
  return kExitOk;
}

}  // namespace crampbot::cli
