#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>

namespace crampbot::server {

// A set of IP address ranges, each written as an address ("10.1.2.3", "::1") or a CIDR range
// ("127.0.0.0/8", "fd00::/8"): the trusted proxies. An IPv4-mapped IPv6 address ("::ffff:127.0.0.1") is
// judged as the IPv4 address it carries, as a dual-stack socket reports IPv4 peers that way.
class AddressRanges {
 public:
  AddressRanges() = default;

  // The ranges of `entries`. Throws std::invalid_argument naming the first entry that is not an address or a
  // range with a prefix length that fits its family (start-up only).
  static AddressRanges parse(const std::vector<std::string>& entries);

  // Whether `entry` is an address or a CIDR range; the reason it is not otherwise, "" when it is.
  static std::string problem(std::string_view entry);

  bool contains(const boost::asio::ip::address& address) const;
  bool empty() const { return ranges_.empty(); }

 private:
  struct Range {
    boost::asio::ip::address network;
    unsigned prefix = 0;  // leading bits that must match
  };
  std::vector<Range> ranges_;
};

// `address` with an IPv4-mapped IPv6 address ("::ffff:10.0.0.1") turned into the IPv4 address it carries.
boost::asio::ip::address unmapped(const boost::asio::ip::address& address);

}  // namespace crampbot::server
