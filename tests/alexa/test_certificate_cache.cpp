// The certificate cache: fetch once, re-check at each use, expire, bound, and never keep a failure as good;
// fetch slots kept for URLs that worked before, one unknown-URL fetch per client, and no remembered failure
// for a URL that worked before.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <future>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include "alexa_test_support.h"
#include "channels/alexa/certificate_cache.h"
#include "support/test_pki.h"

using namespace crampbot::alexa;
using namespace crampbot::alexa::test;
using crampbot::test::SigningCertificate;
using crampbot::test::TestPki;
using std::chrono::days;
using std::chrono::seconds;

namespace {

constexpr const char* kClient = "192.0.2.1";

ChainLookup lookup(CertificateCache& cache, const std::string& url, std::chrono::system_clock::time_point now,
                   const std::string& client = kClient) {
  return run_sync(cache.get(url, now, client));
}

// A URL of Amazon's shape that the test PKI's fetchers do not serve unless told to.
std::string fresh_url(const std::string& name) {
  return "https://s3.amazonaws.com/echo.api/echo-api-cert-" + name + ".pem";
}

bool ready(const std::future<ChainLookup>& result) {
  return result.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

std::future<ChainLookup> spawn_lookup(boost::asio::io_context& io, CertificateCache& cache,
                                      const std::string& url, const std::string& client) {
  return boost::asio::co_spawn(io, cache.get(url, pki().now(), client), boost::asio::use_future);
}

}  // namespace

TEST_CASE("cache: the first use fetches, later uses do not", "[alexa][cache]") {
  MapFetcher served({{kCertificateUrl, pki().chain_pem()}});
  CertificateCache cache(served.fetcher(), test_trust(), seconds(3600));
  const auto now = pki().now();
  const auto first = lookup(cache, kCertificateUrl, now);
  REQUIRE(first.ok());
  const auto second = lookup(cache, kCertificateUrl, now + seconds(10));
  REQUIRE(second.ok());
  CHECK(second.chain == first.chain);
  CHECK(served.calls() == 1);
  CHECK(cache.size() == 1);
}

TEST_CASE("cache: a cached chain that has expired since is refused at its next use", "[alexa][cache]") {
  MapFetcher served({{kCertificateUrl, pki().chain_pem()}});
  // A TTL far beyond the certificate's life, so only the re-check can refuse it.
  CertificateCache cache(served.fetcher(), test_trust(), seconds(days(365)));
  REQUIRE(lookup(cache, kCertificateUrl, pki().now()).ok());
  const auto later = lookup(cache, kCertificateUrl, pki().now() + days(31));
  CHECK_FALSE(later.ok());
  CHECK(contains(later.failure, "expired"));
  CHECK(served.calls() == 1);  // refused from the cache, not from a new fetch
  // Dropped: the next lookup fetches again (and the certificate is still expired at that time).
  CHECK_FALSE(lookup(cache, kCertificateUrl, pki().now() + days(31)).ok());
  CHECK(served.calls() == 2);
}

TEST_CASE("cache: an entry older than the TTL is fetched again", "[alexa][cache]") {
  MapFetcher served({{kCertificateUrl, pki().chain_pem()}});
  CertificateCache cache(served.fetcher(), test_trust(), seconds(60));
  const auto now = pki().now();
  REQUIRE(lookup(cache, kCertificateUrl, now).ok());
  REQUIRE(lookup(cache, kCertificateUrl, now + seconds(59)).ok());
  CHECK(served.calls() == 1);
  REQUIRE(lookup(cache, kCertificateUrl, now + seconds(60)).ok());
  CHECK(served.calls() == 2);
  // A clock that went back makes the entry's age unknowable: fetched again.
  REQUIRE(lookup(cache, kCertificateUrl, now).ok());
  CHECK(served.calls() == 3);
}

TEST_CASE("cache: a failed fetch is not cached as good, and not retried for a while", "[alexa][cache]") {
  MapFetcher served({});
  CertificateCache cache(served.fetcher(), test_trust(), seconds(3600));
  const auto now = pki().now();
  const auto failed = lookup(cache, kCertificateUrl, now);
  CHECK_FALSE(failed.ok());
  CHECK(contains(failed.failure, "404"));
  CHECK(cache.size() == 0);
  served.serve_at(kCertificateUrl, pki().chain_pem());
  // Within the failure memory: refused without a fetch (unsigned requests cannot make us fetch in a loop).
  const auto soon = lookup(cache, kCertificateUrl, now + seconds(5));
  CHECK_FALSE(soon.ok());
  CHECK(contains(soon.failure, "a moment ago"));
  CHECK(served.calls() == 1);
  CHECK(lookup(cache, kCertificateUrl, now + CertificateCache::kFailureMemory + seconds(1)).ok());
  CHECK(served.calls() == 2);
}

TEST_CASE("cache: when a refresh fails, the cached chain keeps serving while it is valid", "[alexa][cache]") {
  MapFetcher served({{kCertificateUrl, pki().chain_pem()}});
  CertificateCache cache(served.fetcher(), test_trust(), seconds(60));
  const auto now = pki().now();
  REQUIRE(lookup(cache, kCertificateUrl, now).ok());
  served.stop_serving(kCertificateUrl);
  CHECK(lookup(cache, kCertificateUrl, now + seconds(120)).ok());  // stale, refresh failed, still valid
  CHECK(served.calls() == 2);
  // The URL served a good chain before, so its failed fetch is not remembered: the next lookup tries again.
  CHECK(lookup(cache, kCertificateUrl, now + seconds(130)).ok());
  CHECK(served.calls() == 3);
  CHECK_FALSE(lookup(cache, kCertificateUrl, now + days(31)).ok());  // but not past its expiry
}

TEST_CASE("cache: concurrent lookups of one URL share one fetch, and fetches at once are capped",
          "[alexa][cache]") {
  // A fetcher that takes 50 ms, so the lookups overlap.
  auto calls = std::make_shared<std::atomic<int>>(0);
  CertificateFetcher slow = [calls](std::string url) -> boost::asio::awaitable<FetchResult> {
    ++*calls;
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, std::chrono::milliseconds(50));
    co_await timer.async_wait(boost::asio::use_awaitable);
    if (url == kCertificateUrl) co_return FetchResult{pki().chain_pem(), ""};
    co_return FetchResult{"", "404"};
  };
  CertificateCache cache(slow, test_trust(), seconds(3600));
  boost::asio::io_context io;
  std::vector<std::future<ChainLookup>> same;
  for (int i = 0; i < 20; ++i) {
    same.push_back(
        boost::asio::co_spawn(io, cache.get(kCertificateUrl, pki().now(), kClient), boost::asio::use_future));
  }
  io.run();
  for (auto& result : same)
    CHECK(result.get().ok());
  CHECK(*calls == 1);

  io.restart();
  std::vector<std::future<ChainLookup>> different;
  for (std::size_t i = 0; i <= CertificateCache::kMaxConcurrentFetches; ++i) {
    // Each from a client of its own: the per-client limit is not what is tested here.
    different.push_back(
        spawn_lookup(io, cache, fresh_url("other-" + std::to_string(i)), "client-" + std::to_string(i)));
  }
  io.run();
  int refused_at_once = 0;
  for (auto& result : different)
    refused_at_once += contains(result.get().failure, "too many") ? 1 : 0;
  CHECK(refused_at_once == 1);
  CHECK(*calls == 1 + static_cast<int>(CertificateCache::kMaxConcurrentFetches));
}

TEST_CASE("cache: an unusable or invalid chain is not cached", "[alexa][cache]") {
  MapFetcher served({{kCertificateUrl, std::string("<Error>AccessDenied</Error>")}});
  CertificateCache cache(served.fetcher(), test_trust(), seconds(3600));
  const auto later = CertificateCache::kFailureMemory + seconds(1);  // past the failure memory each time
  CHECK(contains(lookup(cache, kCertificateUrl, pki().now()).failure, "unusable"));
  served.serve_at(kCertificateUrl, pki().chain_pem(SigningCertificate::untrusted));
  CHECK(contains(lookup(cache, kCertificateUrl, pki().now() + later).failure, "trusted root"));
  CHECK(cache.size() == 0);
  served.serve_at(kCertificateUrl, pki().chain_pem());
  CHECK(lookup(cache, kCertificateUrl, pki().now() + 2 * later).ok());
  CHECK(served.calls() == 3);
}

TEST_CASE("cache: a throwing fetcher is a failed fetch", "[alexa][cache]") {
  CertificateFetcher throwing = [](std::string) -> boost::asio::awaitable<FetchResult> {
    throw std::runtime_error("boom");
  };
  CertificateCache cache(throwing, test_trust(), seconds(3600));
  const auto failed = lookup(cache, kCertificateUrl, pki().now());
  CHECK_FALSE(failed.ok());
  CHECK(contains(failed.failure, "boom"));
}

TEST_CASE("cache: holds at most its capacity, dropping the least recently used", "[alexa][cache]") {
  const std::string a = fresh_url("a");
  const std::string b = fresh_url("b");
  const std::string c = fresh_url("c");
  MapFetcher served({{a, pki().chain_pem()}, {b, pki().chain_pem()}, {c, pki().chain_pem()}});
  CertificateCache cache(served.fetcher(), test_trust(), seconds(3600), 2);
  const auto now = pki().now();
  REQUIRE(lookup(cache, a, now).ok());
  REQUIRE(lookup(cache, b, now + seconds(1)).ok());
  REQUIRE(lookup(cache, a, now + seconds(2)).ok());  // a is now the more recently used
  REQUIRE(lookup(cache, c, now + seconds(3)).ok());  // evicts b
  CHECK(cache.size() == 2);
  CHECK(served.calls() == 3);
  REQUIRE(lookup(cache, a, now + seconds(4)).ok());
  CHECK(served.calls() == 3);
  REQUIRE(lookup(cache, b, now + seconds(5)).ok());
  CHECK(served.calls() == 4);
}

TEST_CASE("cache: needs a fetcher and a trust store", "[alexa][cache]") {
  MapFetcher served({});
  CHECK_THROWS_AS(CertificateCache(served.fetcher(), nullptr, seconds(1)), std::invalid_argument);
  CHECK_THROWS_AS(CertificateCache(CertificateFetcher{}, test_trust(), seconds(1)), std::invalid_argument);
}

TEST_CASE("cache: unknown URLs cannot take the fetch slots kept for a URL that worked before",
          "[alexa][cache][slots]") {
  const std::string known = fresh_url("12");
  const std::string other_known = fresh_url("13");
  MapFetcher served({{known, pki().chain_pem()}, {other_known, pki().chain_pem()}});
  // Room for one chain: the second good URL pushes the first out, so the first needs a fetch again while
  // it is still known good.
  CertificateCache cache(served.fetcher(), test_trust(), seconds(3600), 1);
  REQUIRE(lookup(cache, known, pki().now()).ok());
  REQUIRE(lookup(cache, other_known, pki().now()).ok());
  REQUIRE(cache.known_good(known));
  REQUIRE(served.calls(known) == 1);

  // Fresh URLs from as many clients as there are slots for unknown URLs: their fetches hang.
  served.hold_unserved();
  boost::asio::io_context io;
  std::vector<std::future<ChainLookup>> flood;
  for (std::size_t i = 0; i < CertificateCache::kMaxConcurrentFetches; ++i)
    flood.push_back(
        spawn_lookup(io, cache, fresh_url("flood-" + std::to_string(i)), "flood-" + std::to_string(i)));
  REQUIRE(run_until(io, [&] { return served.held() == CertificateCache::kMaxConcurrentFetches; }));

  // One more unknown URL, from yet another client, is refused at once…
  auto refused = spawn_lookup(io, cache, fresh_url("flood-extra"), "flood-extra");
  REQUIRE(run_until(io, [&] { return ready(refused); }));
  CHECK(contains(refused.get().failure, "too many certificate chains"));
  // …but the URL that worked before is fetched and served.
  auto genuine = spawn_lookup(io, cache, known, kClient);
  REQUIRE(run_until(io, [&] { return ready(genuine); }));
  const ChainLookup result = genuine.get();
  INFO(result.failure);
  CHECK(result.ok());
  CHECK(served.calls(known) == 2);
  CHECK(served.held() == CertificateCache::kMaxConcurrentFetches);

  served.release_held();
  REQUIRE(run_until(
      io, [&] { return std::all_of(flood.begin(), flood.end(), [](auto& f) { return ready(f); }); }));
  for (auto& f : flood)
    CHECK(contains(f.get().failure, "404"));
}

TEST_CASE("cache: a client has at most one fetch of an unknown URL in flight", "[alexa][cache][client]") {
  MapFetcher served({});
  CertificateCache cache(served.fetcher(), test_trust(), seconds(60));
  served.hold_unserved();
  boost::asio::io_context io;
  auto first = spawn_lookup(io, cache, fresh_url("one"), "attacker");
  REQUIRE(run_until(io, [&] { return served.held() == 1; }));

  // A second fresh URL from the same client is refused at once, naming why.
  auto second = spawn_lookup(io, cache, fresh_url("two"), "attacker");
  REQUIRE(run_until(io, [&] { return ready(second); }));
  CHECK(contains(second.get().failure, "this client already has a certificate chain fetch in progress"));
  // Joining the fetch already under way for the same URL costs no slot: it waits with the first.
  auto same_url = spawn_lookup(io, cache, fresh_url("one"), "attacker");
  // Another client is not held back by it, and the empty client is a client like any other.
  auto other = spawn_lookup(io, cache, fresh_url("three"), "bystander");
  auto shared = spawn_lookup(io, cache, fresh_url("four"), "");
  REQUIRE(run_until(io, [&] { return served.held() == 3; }));
  auto shared_again = spawn_lookup(io, cache, fresh_url("five"), "");
  REQUIRE(run_until(io, [&] { return ready(shared_again); }));
  CHECK(contains(shared_again.get().failure, "this client already has"));
  CHECK_FALSE(ready(same_url));

  served.release_held();
  REQUIRE(run_until(io, [&] { return ready(first) && ready(same_url) && ready(other) && ready(shared); }));
  CHECK(contains(first.get().failure, "404"));
  CHECK(contains(same_url.get().failure, "404"));
  CHECK(served.calls(fresh_url("one")) == 1);
  CHECK(served.calls(fresh_url("two")) == 0);
  CHECK(served.calls(fresh_url("five")) == 0);

  // Its fetch over, the client may fetch again (its entry in the per-client table is gone).
  served.serve_at(fresh_url("six"), pki().chain_pem());
  auto after = spawn_lookup(io, cache, fresh_url("six"), "attacker");
  REQUIRE(run_until(io, [&] { return ready(after); }));
  const ChainLookup result = after.get();
  INFO(result.failure);
  CHECK(result.ok());
}

TEST_CASE("cache: a URL that worked before is fetched whatever the client has in flight",
          "[alexa][cache][client]") {
  const std::string known = fresh_url("12");
  MapFetcher served(std::map<std::string, std::string>{{known, pki().chain_pem()}});
  CertificateCache cache(served.fetcher(), test_trust(), seconds(60));
  REQUIRE(lookup(cache, known, pki().now()).ok());
  served.hold_unserved();
  boost::asio::io_context io;
  auto unknown = spawn_lookup(io, cache, fresh_url("pending"), kClient);
  REQUIRE(run_until(io, [&] { return served.held() == 1; }));
  // Stale (past the ttl of 60 s): a refresh of the known URL, from the client whose unknown fetch hangs.
  auto refresh = boost::asio::co_spawn(io, cache.get(known, pki().now() + seconds(61), kClient),
                                       boost::asio::use_future);
  REQUIRE(run_until(io, [&] { return ready(refresh); }));
  CHECK(refresh.get().ok());
  CHECK(served.calls(known) == 2);
  served.release_held();
  REQUIRE(run_until(io, [&] { return ready(unknown); }));
  CHECK_FALSE(unknown.get().ok());
}

TEST_CASE("cache: a failed fetch of a URL that worked before is not remembered", "[alexa][cache][failure]") {
  const std::string known = fresh_url("12");
  const std::string other_known = fresh_url("13");
  MapFetcher served({{known, pki().chain_pem()}, {other_known, pki().chain_pem()}});
  CertificateCache cache(served.fetcher(), test_trust(), seconds(3600), 1);
  const auto now = pki().now();
  REQUIRE(lookup(cache, known, now).ok());
  REQUIRE(lookup(cache, other_known, now).ok());  // pushes `known` out of the cache; it stays known good

  // A timeout or any other failed fetch: refused this time, fetched again at the very next lookup.
  served.stop_serving(known);
  CHECK(contains(lookup(cache, known, now + seconds(1)).failure, "cannot fetch"));
  served.serve_at(known, pki().chain_pem());
  const ChainLookup again = lookup(cache, known, now + seconds(2));
  INFO(again.failure);
  CHECK(again.ok());
  CHECK(served.calls(known) == 3);

  // An unknown URL's failure is remembered, as before.
  const std::string unknown = fresh_url("never");
  CHECK_FALSE(lookup(cache, unknown, now).ok());
  served.serve_at(unknown, pki().chain_pem());
  CHECK(contains(lookup(cache, unknown, now + seconds(1)).failure, "a moment ago"));
  CHECK(served.calls(unknown) == 1);

  // So is a known URL that now serves a chain that fails its checks: fetching it again will not help.
  // (`other_known` left the cache when `known` came back, so the first lookup fetches.)
  REQUIRE(cache.known_good(other_known));
  served.serve_at(other_known, pki().chain_pem(SigningCertificate::untrusted));
  CHECK(contains(lookup(cache, other_known, now + seconds(4)).failure, "trusted root"));
  CHECK(contains(lookup(cache, other_known, now + seconds(5)).failure, "a moment ago"));
  CHECK(served.calls(other_known) == 2);
}

TEST_CASE("cache: the URLs known good are bounded, least recently used first out", "[alexa][cache][slots]") {
  MapFetcher served({});
  std::vector<std::string> urls;
  for (std::size_t i = 0; i <= CertificateCache::kMaxKnownGoodUrls; ++i) {
    urls.push_back(fresh_url("good-" + std::to_string(i)));
    served.serve_at(urls.back(), pki().chain_pem());
  }
  CertificateCache cache(served.fetcher(), test_trust(), seconds(3600), 64);
  const auto now = pki().now();
  for (std::size_t i = 0; i < CertificateCache::kMaxKnownGoodUrls; ++i)
    REQUIRE(lookup(cache, urls[i], now).ok());
  CHECK(cache.known_good(urls[0]));
  CHECK(cache.known_good(urls[1]));
  REQUIRE(lookup(cache, urls[0], now + seconds(1)).ok());  // used again: now the most recent
  REQUIRE(lookup(cache, urls.back(), now + seconds(2)).ok());
  CHECK(cache.known_good(urls.back()));
  CHECK(cache.known_good(urls[0]));
  CHECK_FALSE(cache.known_good(urls[1]));  // the least recently used went
  CHECK_FALSE(cache.known_good(fresh_url("never-fetched")));
}
