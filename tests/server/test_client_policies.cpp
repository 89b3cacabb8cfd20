// The rules behind the server's defences, one at a time: trusted proxy ranges, the client an
// X-Forwarded-For names, token buckets per client, the Host allow-list, and request targets and Host values
// as RFC 9112 reads them.
#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>

#include <boost/asio/ip/address.hpp>

#include "server/address_ranges.h"
#include "server/client_address.h"
#include "server/client_rate_limiter.h"
#include "server/host_allow_list.h"
#include "server/request_target.h"

using namespace crampbot::server;
using boost::asio::ip::make_address;
using namespace std::chrono_literals;

TEST_CASE("address ranges: addresses, CIDR ranges of both families, IPv4-mapped peers", "[policies]") {
  const AddressRanges ranges = AddressRanges::parse({"127.0.0.0/8", "::1", "10.1.0.0/16", "fd00::/8"});
  CHECK(ranges.contains(make_address("127.0.0.1")));
  CHECK(ranges.contains(make_address("127.255.0.9")));
  CHECK(ranges.contains(make_address("::ffff:127.0.0.1")));
  CHECK(ranges.contains(make_address("::1")));
  CHECK(ranges.contains(make_address("10.1.200.3")));
  CHECK(ranges.contains(make_address("fd12:3456::1")));
  CHECK_FALSE(ranges.contains(make_address("10.2.0.1")));
  CHECK_FALSE(ranges.contains(make_address("128.0.0.1")));
  CHECK_FALSE(ranges.contains(make_address("::2")));
  CHECK_FALSE(ranges.contains(make_address("fe00::1")));
  CHECK(AddressRanges::parse({"0.0.0.0/0"}).contains(make_address("203.0.113.9")));
  CHECK(AddressRanges::parse({}).empty());
  for (const char* bad : {"localhost", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/8x", "1.2.3"}) {
    INFO(bad);
    CHECK_FALSE(AddressRanges::problem(bad).empty());
    CHECK_THROWS_AS(AddressRanges::parse({bad}), std::invalid_argument);
  }
}

TEST_CASE("the client: the peer, or the last untrusted address its trusted proxies name", "[policies]") {
  const AddressRanges trusted = AddressRanges::parse({"127.0.0.0/8", "10.0.0.0/8"});
  const auto proxy = make_address("127.0.0.1");
  CHECK(client_address(make_address("203.0.113.5"), "198.51.100.1", trusted) == make_address("203.0.113.5"));
  CHECK(client_address(proxy, "", trusted) == proxy);
  CHECK(client_address(proxy, "198.51.100.1", trusted) == make_address("198.51.100.1"));
  CHECK(client_address(proxy, "6.6.6.6, 198.51.100.1, 10.0.0.3", trusted) == make_address("198.51.100.1"));
  CHECK(client_address(proxy, "198.51.100.1:4711, 10.0.0.3", trusted) == make_address("198.51.100.1"));
  CHECK(client_address(proxy, "[2001:db8::7]:80", trusted) == make_address("2001:db8::7"));
  CHECK(client_address(proxy, "2001:db8::7", trusted) == make_address("2001:db8::7"));
  // Every address trusted: the leftmost. Garbage stops the walk at the address read before it.
  CHECK(client_address(proxy, "10.0.0.9, 10.0.0.3", trusted) == make_address("10.0.0.9"));
  CHECK(client_address(proxy, "198.51.100.1, unknown", trusted) == proxy);
  CHECK(client_address(proxy, "unknown, 10.0.0.3", trusted) == make_address("10.0.0.3"));
  CHECK(client_address(proxy, " , ,198.51.100.2 ,", trusted) == make_address("198.51.100.2"));
}

TEST_CASE("client keys: an IPv4 address, or an IPv6 /64", "[policies]") {
  CHECK(client_key(make_address("192.0.2.1")) != client_key(make_address("192.0.2.2")));
  CHECK(client_key(make_address("::ffff:192.0.2.1")) == client_key(make_address("192.0.2.1")));
  CHECK(client_key(make_address("2001:db8:1:2::1")) == client_key(make_address("2001:db8:1:2:ffff::9")));
  CHECK(client_key(make_address("2001:db8:1:2::1")) != client_key(make_address("2001:db8:1:3::1")));
}

TEST_CASE("token buckets: a burst, then the rate; each client its own; least recently used forgotten",
          "[policies]") {
  ClientRateLimiter limiter(2.0, 3.0, 2);
  const auto a = make_address("192.0.2.1");
  const auto b = make_address("192.0.2.2");
  const auto t0 = std::chrono::steady_clock::time_point{} + 1000s;
  for (int i = 0; i < 3; ++i)
    CHECK(limiter.admit(a, t0).allowed);
  const auto refused = limiter.admit(a, t0);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after == 1s);  // half a second to the next token, said in whole seconds
  CHECK(limiter.admit(b, t0).allowed);
  CHECK_FALSE(limiter.admit(a, t0 + 400ms).allowed);
  CHECK(limiter.admit(a, t0 + 500ms).allowed);
  CHECK_FALSE(limiter.admit(a, t0 + 500ms).allowed);
  // A long pause refills the bucket up to the burst, not beyond.
  for (int i = 0; i < 3; ++i)
    CHECK(limiter.admit(a, t0 + 100s).allowed);
  CHECK_FALSE(limiter.admit(a, t0 + 100s).allowed);
  // Two clients at most: a third pushes out the least recently used (b), which starts afresh.
  CHECK(limiter.admit(make_address("192.0.2.3"), t0 + 100s).allowed);
  CHECK(limiter.clients() == 2);
  // Slow rates wait longer.
  ClientRateLimiter slow(0.1, 1.0);
  CHECK(slow.admit(a, t0).allowed);
  CHECK(slow.admit(a, t0).retry_after == 10s);
  // Rate 0: no limit.
  ClientRateLimiter off(0, 1);
  CHECK_FALSE(off.enabled());
  for (int i = 0; i < 100; ++i)
    CHECK(off.admit(a, t0).allowed);
}

TEST_CASE("the Host allow-list: names, ports, subdomains, any", "[policies]") {
  const HostAllowList list =
      HostAllowList::parse({"localhost", "127.0.0.1", "[::1]", "bot.example.com:443", "*.example.org"});
  auto allows = [&](std::string_view host) {
    const auto authority = parse_authority(host);
    REQUIRE(authority);
    return list.allows(*authority);
  };
  CHECK(allows("localhost"));
  CHECK(allows("LocalHost:8080"));
  CHECK(allows("localhost."));
  CHECK(allows("127.0.0.1:1"));
  CHECK(allows("[::1]:8080"));
  CHECK(allows("bot.example.com:443"));
  CHECK(allows("a.example.org"));
  CHECK(allows("deep.a.example.org:1"));
  CHECK_FALSE(allows("bot.example.com"));
  CHECK_FALSE(allows("example.org"));
  CHECK_FALSE(allows("evilexample.org"));
  CHECK_FALSE(allows("localhost.evil"));
  CHECK_FALSE(allows(""));
  CHECK(HostAllowList::parse({"*"}).allows(*parse_authority("anything:1")));
  for (const char* bad : {"", "a b", "*example.org", "ex*ample.org", "http://x", "x:port", "[::1"}) {
    INFO(bad);
    CHECK_FALSE(HostAllowList::problem(bad).empty());
    CHECK_THROWS_AS(HostAllowList::parse({bad}), std::invalid_argument);
  }
}

TEST_CASE("Host values and request targets as RFC 9112 reads them", "[policies]") {
  CHECK(parse_authority("example.org:8080")->port == "8080");
  CHECK(parse_authority("[2001:db8::1]:80")->host == "[2001:db8::1]");
  CHECK(parse_authority("")->host.empty());
  CHECK(parse_authority("a-b_c~d.%41!$&'()*+,;=")->host == "a-b_c~d.%41!$&'()*+,;=");
  for (const char* bad : {"a b", "user@host", "host:80:80", "host:123456", "host:8o", "[::1", "[::1]x",
                          "[fe80::1%25eth0]", "[not-v6]", "a/b", "%4"}) {
    INFO(bad);
    CHECK_FALSE(parse_authority(bad));
  }
  const auto origin = parse_request_target("/v1/chat?x=1");
  REQUIRE(origin);
  CHECK(origin->path == "/v1/chat");
  CHECK(origin->query == "x=1");
  CHECK_FALSE(origin->authority);
  const auto absolute = parse_request_target("HTTP://Example.org:8080/healthz?y");
  REQUIRE(absolute);
  CHECK(absolute->path == "/healthz");
  CHECK(absolute->authority->host == "Example.org");
  CHECK(absolute->authority->port == "8080");
  CHECK(parse_request_target("https://example.org")->path == "/");
  CHECK(parse_request_target("https://example.org?q")->query == "q");
  CHECK(parse_request_target("*")->path == "*");
  for (const char* bad : {"", "healthz", "ftp://example.org/", "http://", "http:///x", "http://a@b/",
                          "http://a b/", "http://example.org#frag", "example.org:443"}) {
    INFO(bad);
    CHECK_FALSE(parse_request_target(bad));
  }
}
