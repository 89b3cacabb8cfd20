#include "server/client_address.h"

#include <optional>
#include <string>

namespace crampbot::server {

namespace asio = boost::asio;

namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

// One X-Forwarded-For entry as an address: "192.0.2.1", "192.0.2.1:80", "2001:db8::1", "[2001:db8::1]:80".
std::optional<asio::ip::address> entry_address(std::string_view entry) {
  entry = trimmed(entry);
  if (!entry.empty() && entry.front() == '[') {
    const auto close = entry.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    entry = entry.substr(1, close - 1);
  } else if (entry.find(':') == entry.rfind(':') && entry.find(':') != std::string_view::npos) {
    entry = entry.substr(0, entry.find(':'));  // one colon: IPv4 with a port
  }
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(std::string(entry), ec);
  if (ec) return std::nullopt;
  return unmapped(address);
}

}  // namespace

std::string client_key(const asio::ip::address& client) {
  const asio::ip::address address = unmapped(client);
  if (address.is_v4()) {
    const auto bytes = address.to_v4().to_bytes();
    return std::string("4") + std::string(bytes.begin(), bytes.end());
  }
  const auto bytes = address.to_v6().to_bytes();
  return std::string("6") + std::string(bytes.begin(), bytes.begin() + 8);
}

asio::ip::address client_address(const asio::ip::address& peer, std::string_view forwarded_for,
                                 const AddressRanges& trusted) {
  asio::ip::address client = unmapped(peer);
  if (!trusted.contains(client)) return client;
  while (!trimmed(forwarded_for).empty()) {
    const auto comma = forwarded_for.rfind(',');
    const std::string_view entry =
        comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
    forwarded_for = comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    if (trimmed(entry).empty()) continue;
    const auto address = entry_address(entry);
    if (!address) return client;
    client = *address;
    if (!trusted.contains(client)) return client;
  }
  return client;
}

}  // namespace crampbot::server
