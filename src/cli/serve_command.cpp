#include "cli/serve_command.h"

#include <sys/resource.h>

#include <csignal>
#include <cstdio>

#include "app/app_config.h"
#include "app/server_app.h"
#include "cli/commands.h"

namespace crampbot::cli {

namespace {

constexpr rlim_t kReservedDescriptors = 64;  // log, catalog files, certificate fetches, the listener

// Raises the open-file limit to its hard maximum and keeps the connection cap below it, so the cap (not
// EMFILE) decides when a newcomer waits: at the cap, idle connections are reclaimed; at EMFILE nothing can
// be.
void fit_connection_cap(app::AppConfig& config) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur <= kReservedDescriptors) return;
  const auto room = static_cast<std::size_t>(limit.rlim_cur - kReservedDescriptors);
  if (config.server.max_connections > room) {
    config.warnings.push_back("server.max_connections " + std::to_string(config.server.max_connections) +
                              " is above what the open-file limit (" + std::to_string(limit.rlim_cur) +
                              ") allows: using " + std::to_string(room));
    config.server.max_connections = room;
  }
}

}  // namespace

int run_serve(const std::filesystem::path& config_file, const ServeOptions& options) {
  // A closed standard output (a log shipper restarting, `| head`) must not kill the server at its next log
  // line.
  std::signal(SIGPIPE, SIG_IGN);
  std::unique_ptr<app::ServerApp> server;
  try {
    app::AppConfig config = app::load_app_config(config_file, app::process_environment());
    if (options.address) config.server.address = *options.address;
    if (options.port) config.server.port = static_cast<std::uint16_t>(*options.port);
    if (options.threads) config.server.threads = *options.threads;
    fit_connection_cap(config);
    server = std::make_unique<app::ServerApp>(std::move(config));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "crampbot: %s\n", e.what());
    return kExitBadConfig;
  }
  boost::asio::ip::tcp::endpoint endpoint;
  try {
    endpoint = server->listen();
  } catch (const std::system_error& e) {
    std::fprintf(stderr, "crampbot: %s\n", e.what());
    return kExitFailed;
  }
  // Scripts read the bound address (the port, when --port 0) from this first line.
  const std::string address = endpoint.address().is_v6() ? "[" + endpoint.address().to_string() + "]"
                                                         : endpoint.address().to_string();
  std::printf("crampbot listening on http://%s:%u\n", address.c_str(), endpoint.port());
  std::fflush(stdout);
  server->announce(endpoint);
  server->handle_signals();
  server->start();
  server->wait();
  // Stopping already: a second SIGINT or SIGTERM while the parts are torn down must not kill the process.
  server->release_signals();     // restores the default actions…
  std::signal(SIGINT, SIG_IGN);  // …which must not apply now
  std::signal(SIGTERM, SIG_IGN);
  server.reset();
  return kExitOk;
}

}  // namespace crampbot::cli
