#include "cli/serve_command.h"

#include <cstdio>

#include "app/app_config.h"
#include "app/server_app.h"
#include "cli/commands.h"

namespace crampbot::cli {

int run_serve(const std::filesystem::path& config_file, const ServeOptions& options) {
  std::unique_ptr<app::ServerApp> server;
  try {
    app::AppConfig config = app::load_app_config(config_file, app::process_environment());
    if (options.address) config.server.address = *options.address;
    if (options.port) config.server.port = static_cast<std::uint16_t>(*options.port);
    if (options.threads) config.server.threads = *options.threads;
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
  return kExitOk;
}

}  // namespace crampbot::cli
