#include "server/request_target.h"

#include <boost/asio/ip/address_v6.hpp>
#include <boost/beast/core/string.hpp>

namespace crampbot::server {

namespace {

bool is_alpha_digit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// reg-name = *( unreserved / pct-encoded / sub-delims )
bool is_reg_name(std::string_view name) {
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (is_alpha_digit(c)) continue;
    if (c == '%') {
      if (i + 2 >= name.size() || !is_hex(name[i + 1]) || !is_hex(name[i + 2])) return false;
      i += 2;
      continue;
    }
    if (std::string_view("-._~!$&'()*+,;=").find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool is_port(std::string_view port) {
  if (port.size() > 5) return false;
  for (const char c : port) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::optional<Authority> parse_authority(std::string_view text) {
  Authority out;
  std::string_view rest = text;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    boost::system::error_code ec;
    const std::string literal(rest.substr(1, close - 1));
    // No zone identifier ("%25eth0"): a zone means nothing to a server and is not in RFC 3986's grammar.
    if (literal.find('%') != std::string::npos) return std::nullopt;
    boost::asio::ip::make_address_v6(literal, ec);
    if (ec) return std::nullopt;
    out.host = rest.substr(0, close + 1);
    rest.remove_prefix(close + 1);
    if (!rest.empty() && rest.front() != ':') return std::nullopt;
  } else {
    const auto colon = rest.find(':');
    out.host = rest.substr(0, colon);
    if (!is_reg_name(out.host)) return std::nullopt;
    rest.remove_prefix(out.host.size());
  }
  if (!rest.empty()) {
    out.port = rest.substr(1);
    if (!is_port(out.port)) return std::nullopt;
  }
  return out;
}

std::optional<RequestTarget> parse_request_target(std::string_view target) {
  RequestTarget out;
  if (target == "*") {
    out.path = target;
    return out;
  }
  if (target.empty()) return std::nullopt;
  if (target.front() != '/') {
    std::string_view scheme;
    for (const std::string_view known : {"http://", "https://"}) {
      if (target.size() >= known.size() && boost::beast::iequals(target.substr(0, known.size()), known)) {
        scheme = known;
      }
    }
    if (scheme.empty()) return std::nullopt;
    target.remove_prefix(scheme.size());
    const auto authority_end = target.find_first_of("/?#");
    const std::string_view authority = target.substr(0, authority_end);
    out.authority = parse_authority(authority);
    if (!out.authority || out.authority->host.empty()) return std::nullopt;
    target.remove_prefix(authority.size());
    if (!target.empty() && target.front() == '#') return std::nullopt;
    if (target.empty() || target.front() == '?') {
      out.path = "/";
      if (!target.empty()) out.query = target.substr(1);
      return out;
    }
  }
  const auto question = target.find('?');
  out.path = target.substr(0, question);
  if (question != std::string_view::npos) out.query = target.substr(question + 1);
  return out;
}

}  // namespace crampbot::server
