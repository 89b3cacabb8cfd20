#include "cli/export_command.h"

#include <cstdio>
#include <iostream>

#include "app/app_config.h"
#include "cli/commands.h"
#include "engine/catalog_error.h"
#include "engine/engine_set.h"
#include "export/alexa_interaction_model.h"
#include "export/dialogflow_agent.h"
#include "export/export_error.h"

namespace crampbot::cli {

int run_export_alexa(const std::filesystem::path& config, const std::optional<std::string>& locale) {
  app::AppConfig settings;
  const auto engines = app::load_engines_or_report(config, &settings);
  if (!engines) return kExitBadConfig;
  const auto engine = engine_for(*engines, locale);
  if (!engine) return kExitBadInput;
  try {
    // An interaction model is one locale's; Alexa keeps one per locale of the skill.
    const nlohmann::json model = exporting::alexa_interaction_model(
        *engine, app::alexa_invocation_name_for(settings, locale.value_or(engine->locale())));
    std::cout << model.dump(2) << '\n';
    return kExitOk;
  } catch (const CatalogError& e) {
    std::fprintf(stderr, "crampbot: %s\n", e.what());
    return kExitBadConfig;
  } catch (const exporting::ExportError& e) {
    std::fprintf(stderr, "crampbot: export alexa: %s\n", e.what());
    return kExitFailed;
  }
}

int run_export_dialogflow(const std::filesystem::path& config, const ExportDialogflowOptions& options) {
  if (!options.webhook_url.empty() && options.webhook_url.rfind("https://", 0) != 0) {
    std::fprintf(
        stderr,
        "crampbot: export dialogflow: --webhook-url must be an https URL (Dialogflow calls no other)\n");
    return kExitBadInput;
  }
  const auto engines = load_engines(config);
  if (!engines) return kExitBadConfig;
  // One agent with every language: the default locale's first (the agent's default language).
  std::vector<const Engine*> languages = {&engines->for_locale(engines->default_engine().language())};
  for (const auto& language : engines->languages()) {
    if (language != languages.front()->language()) languages.push_back(engines->find(language));
  }
  exporting::DialogflowAgentOptions agent;
  agent.webhook_url = options.webhook_url;
  agent.language = languages.front()->language();
  try {
    exporting::write_dialogflow_agent(languages, options.dir, agent);
  } catch (const CatalogError& e) {
    std::fprintf(stderr, "crampbot: %s\n", e.what());
    return kExitBadConfig;
  } catch (const exporting::ExportError& e) {
    std::fprintf(stderr, "crampbot: export dialogflow: %s\n", e.what());
    return kExitFailed;
  }
  std::printf(
      "wrote the Dialogflow ES agent to %s: zip its contents (agent.json at the top of the zip) and use "
      "Restore from zip in the agent's settings\n",
      options.dir.c_str());
  if (options.webhook_url.empty()) {
    std::fprintf(stderr,
                 "crampbot: no --webhook-url given: set the fulfillment URL in the Dialogflow console\n");
  }
  return kExitOk;
}

}  // namespace crampbot::cli
