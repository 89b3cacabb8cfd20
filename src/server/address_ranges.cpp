#include "server/address_ranges.h"

#include <charconv>
#include <optional>
#include <stdexcept>

namespace crampbot::server {

namespace asio = boost::asio;

namespace {

struct ParsedRange {
  asio::ip::address network;
  unsigned prefix = 0;
  std::string problem;  // "" when parsed
};

ParsedRange parse_range(std::string_view entry) {
  ParsedRange out;
  const auto slash = entry.find('/');
  const std::string address_text(entry.substr(0, slash));
  boost::system::error_code ec;
  out.network = unmapped(asio::ip::make_address(address_text, ec));
  if (ec) {
    out.problem = "\"" + std::string(entry) + "\" is not an IP address or a CIDR range such as 10.0.0.0/8";
    return out;
  }
  const unsigned bits = out.network.is_v4() ? 32 : 128;
  out.prefix = bits;
  if (slash != std::string_view::npos) {
    const std::string_view length = entry.substr(slash + 1);
    unsigned prefix = 0;
    const auto [end, error] = std::from_chars(length.data(), length.data() + length.size(), prefix);
    if (length.empty() || error != std::errc() || end != length.data() + length.size() || prefix > bits) {
      out.problem = "\"" + std::string(entry) + "\": the prefix length must be 0 to " + std::to_string(bits);
      return out;
    }
    out.prefix = prefix;
  }
  return out;
}

// Whether the first `prefix` bits of the two byte arrays agree.
template <typename Bytes>
bool same_prefix(const Bytes& a, const Bytes& b, unsigned prefix) {
  for (std::size_t i = 0; i < a.size() && prefix > 0; ++i) {
    const unsigned take = prefix >= 8 ? 8 : prefix;
    const auto mask = static_cast<unsigned char>(0xFFu << (8 - take));
    if ((a[i] & mask) != (b[i] & mask)) return false;
    prefix -= take;
  }
  return true;
}

}  // namespace

asio::ip::address unmapped(const asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  return address;
}

std::string AddressRanges::problem(std::string_view entry) {
  return parse_range(entry).problem;
}

AddressRanges AddressRanges::parse(const std::vector<std::string>& entries) {
  AddressRanges out;
  for (const auto& entry : entries) {
    ParsedRange parsed = parse_range(entry);
    if (!parsed.problem.empty()) throw std::invalid_argument(parsed.problem);
    out.ranges_.push_back({parsed.network, parsed.prefix});
  }
  return out;
}

bool AddressRanges::contains(const asio::ip::address& address) const {
  const asio::ip::address plain = unmapped(address);
  for (const auto& range : ranges_) {
    if (plain.is_v4() != range.network.is_v4()) continue;
    const bool inside =
        plain.is_v4() ? same_prefix(plain.to_v4().to_bytes(), range.network.to_v4().to_bytes(), range.prefix)
                      : same_prefix(plain.to_v6().to_bytes(), range.network.to_v6().to_bytes(), range.prefix);
    if (inside) return true;
  }
  return false;
}

}  // namespace crampbot::server
