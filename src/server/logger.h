#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace crampbot::server {

enum class LogLevel { debug, info, warn, error, off };

// Parses "debug", "info", "warn", "error" or "off"; false for anything else.
bool parse_log_level(std::string_view text, LogLevel& out);

// Structured logs: one JSON object per line on standard output ({"time", "level", "event", ...fields}),
// each line written with a single write(2) so lines from several threads never interleave. Thread-safe.
class Logger {
 public:
  explicit Logger(LogLevel level) : level_(level) {}

  bool enabled(LogLevel level) const { return level >= level_ && level_ != LogLevel::off; }

  // Writes `fields` (an object) with time, level and event added, if `level` is enabled.
  void log(LogLevel level, std::string_view event, nlohmann::json fields = nlohmann::json::object()) const;

 private:
  LogLevel level_;
};

}  // namespace crampbot::server
