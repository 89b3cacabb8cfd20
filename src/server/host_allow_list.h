#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "server/request_target.h"

namespace crampbot::server {

// The names the server answers to (server.allowed_hosts), against DNS rebinding: a page whose own name is
// pointed at this server reaches it as "same origin" but still sends its own name as Host. Each entry is
//   - a name or address: "localhost", "127.0.0.1", "[::1]", "bot.example.org" (any port);
//   - the same with a port: "bot.example.org:443" (that port only);
//   - "*.example.org": any name under example.org (not example.org itself);
//   - "*": any host at all (for a proxy that checks Host itself).
// Names compare without regard to case or a trailing dot.
class HostAllowList {
 public:
  HostAllowList() = default;

  // The list of `entries`. Throws std::invalid_argument naming the first entry that is none of the above
  // (start-up only).
  static HostAllowList parse(const std::vector<std::string>& entries);

  // Why `entry` is not a valid entry, "" when it is.
  static std::string problem(std::string_view entry);

  // Whether a request whose Host (or absolute-form authority) is `authority` may be answered.
  bool allows(const Authority& authority) const;

 private:
  struct Entry {
    std::string host;         // lower case, no trailing dot; for a wildcard, the suffix with its dot
    std::string port;         // "" for any
    bool subdomains = false;  // "*.example.org"
  };
  bool any_ = false;
  std::vector<Entry> entries_;
};

}  // namespace crampbot::server
