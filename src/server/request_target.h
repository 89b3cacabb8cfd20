#pragma once

#include <optional>
#include <string_view>

namespace crampbot::server {

// The host and port of a Host field or of an absolute-form target, as written.
struct Authority {
  std::string_view host;  // a name, an IPv4 address, or an IPv6 literal with its brackets ("[::1]")
  std::string_view port;  // digits, "" when absent
};

// Parses `uri-host [ ":" port ]` as RFC 9110 §7.2 takes it from RFC 3986 §3.2.2–3.2.3: a registered name
// (unreserved, percent-encoded and sub-delimiter characters), or an IPv6 literal in brackets; the port is
// at most five digits. User information ("user@host") is not allowed. An empty text is an empty host,
// which a Host field may carry. nullopt when `text` is none of these.
std::optional<Authority> parse_authority(std::string_view text);

// A request target, split (RFC 9112 §3.2).
struct RequestTarget {
  std::string_view path;               // starts with '/', or is "*" (asterisk-form)
  std::string_view query;              // after '?', "" when none
  std::optional<Authority> authority;  // set for the absolute form ("http://host:port/path")
};

// Parses the origin form ("/path?query"), the absolute form (scheme http or https in any case, then a
// non-empty valid authority, then a path, which is "/" when empty) and the asterisk form ("*"). nullopt for
// anything else: another scheme, a bad or empty authority, or a target that is none of the forms
// (the authority form belongs to CONNECT, which this server does not serve).
std::optional<RequestTarget> parse_request_target(std::string_view target);

}  // namespace crampbot::server
