#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace crampbot::cli {

struct ExportDialogflowOptions {
  std::string dir;          // the agent folder to write
  std::string webhook_url;  // https URL of POST /dialogflow; empty: set it in the Dialogflow console
};

// `crampbot export alexa`: prints the Alexa interaction model as pretty JSON on stdout, with the invocation
// name from the config key alexa.invocation_name. Returns 0; 3 when the configuration or catalog is
// refused; 1 when the model cannot be made (stderr says why).
int run_export_alexa(const std::filesystem::path& config, const std::optional<std::string>& locale);

// `crampbot export dialogflow DIR [--webhook-url URL]`: writes a Dialogflow ES agent under DIR. Returns 0;
// 2 for a webhook URL that is not https; 3 when the configuration or catalog is refused; 1 when the agent
// cannot be made or written (stderr names the path).
int run_export_dialogflow(const std::filesystem::path& config, const ExportDialogflowOptions& options);

}  // namespace crampbot::cli
