#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace crampbot::cli {

// Flags of `crampbot serve`; each overrides the configuration file and the environment.
struct ServeOptions {
  std::optional<std::string> address;
  std::optional<unsigned> port;  // 0 picks a free port
  std::optional<unsigned> threads;
};

// Runs the webhook server until SIGINT or SIGTERM (exit 0 after a graceful stop). The first line on standard
// output is "crampbot listening on http://ADDRESS:PORT"; JSON log lines follow. Returns 3 when the
// configuration or catalog is refused and 1 when the address cannot be bound.
int run_serve(const std::filesystem::path& config, const ServeOptions& options);

}  // namespace crampbot::cli
