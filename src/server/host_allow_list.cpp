#include "server/host_allow_list.h"

#include <stdexcept>

#include <boost/beast/core/string.hpp>

namespace crampbot::server {

namespace {

std::string canonical_host(std::string_view host) {
  if (host.size() > 1 && host.back() == '.') host.remove_suffix(1);
  std::string out(host);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string HostAllowList::problem(std::string_view entry) {
  if (entry == "*") return {};
  std::string_view text = entry;
  if (text.starts_with("*.")) text.remove_prefix(2);
  const auto authority = parse_authority(text);
  if (!authority || authority->host.empty()) {
    return "\"" + std::string(entry) +
           "\" is not a host name, an address, \"*.\" and a domain, or \"*\" (with an optional :port)";
  }
  if (authority->host.find('*') != std::string_view::npos) {
    return "\"" + std::string(entry) + "\": \"*\" may only stand alone or begin \"*.\"";
  }
  return {};
}

HostAllowList HostAllowList::parse(const std::vector<std::string>& entries) {
  HostAllowList out;
  for (const auto& entry : entries) {
    if (const std::string why = problem(entry); !why.empty()) throw std::invalid_argument(why);
    if (entry == "*") {
      out.any_ = true;
      continue;
    }
    std::string_view text = entry;
    Entry parsed;
    if (text.starts_with("*.")) {
      parsed.subdomains = true;
      text.remove_prefix(1);  // keep the dot: ".example.org" is the suffix a name must end with
    }
    const Authority authority = *parse_authority(parsed.subdomains ? text.substr(1) : text);
    parsed.host = (parsed.subdomains ? "." : "") + canonical_host(authority.host);
    parsed.port = std::string(authority.port);
    out.entries_.push_back(std::move(parsed));
  }
  return out;
}

bool HostAllowList::allows(const Authority& authority) const {
  if (any_) return true;
  const std::string host = canonical_host(authority.host);
  if (host.empty()) return false;
  for (const auto& entry : entries_) {
    if (!entry.port.empty() && entry.port != authority.port) continue;
    if (entry.subdomains ? host.size() > entry.host.size() && host.ends_with(entry.host)
                         : host == entry.host) {
      return true;
    }
  }
  return false;
}

}  // namespace crampbot::server
