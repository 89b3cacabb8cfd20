#pragma once

#include <string>
#include <string_view>

#include <boost/asio/ip/address.hpp>

#include "server/address_ranges.h"

namespace crampbot::server {

// The client a request speaks for. The TCP peer, unless the peer is a trusted proxy: then the last address
// in `forwarded_for` (the X-Forwarded-For fields, joined with commas) that is not a trusted proxy, reading
// from the right, as each proxy appends the address it saw and everything to its left may be forged. When
// every listed address is trusted, the leftmost; an entry that is not an address stops the walk at the
// address read before it (the peer when it is the last entry). Entries may carry a port ("203.0.113.7:4711",
// "[2001:db8::1]:80"), which is ignored.
boost::asio::ip::address client_address(const boost::asio::ip::address& peer, std::string_view forwarded_for,
                                        const AddressRanges& trusted);

// What one client is counted as, for limits per client: an IPv4 address, or the /64 of an IPv6 address (one
// host is usually given a whole /64, and could otherwise count as a new client per address). Binary, not
// for display.
std::string client_key(const boost::asio::ip::address& client);

}  // namespace crampbot::server
