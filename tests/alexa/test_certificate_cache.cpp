// The certificate cache: fetch once, re-check at each use, expire, bound, and never keep a failure as good.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <stdexcept>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

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

ChainLookup lookup(CertificateCache& cache, const std::string& url,
                   std::chrono::system_clock::time_point now) {
  return run_sync(cache.get(url, now));
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
  CHECK(lookup(cache, kCertificateUrl, now + seconds(130)).ok());  // the failure is remembered: no fetch
  CHECK(served.calls() == 2);
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
        boost::asio::co_spawn(io, cache.get(kCertificateUrl, pki().now()), boost::asio::use_future));
  }
  io.run();
  for (auto& result : same)
    CHECK(result.get().ok());
  CHECK(*calls == 1);

  io.restart();
  std::vector<std::future<ChainLookup>> different;
  for (std::size_t i = 0; i <= CertificateCache::kMaxConcurrentFetches; ++i) {
    different.push_back(boost::asio::co_spawn(
        io, cache.get("https://s3.amazonaws.com/echo.api/other-" + std::to_string(i) + ".pem", pki().now()),
        boost::asio::use_future));
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
  const std::string a = "https://s3.amazonaws.com/echo.api/a.pem";
  const std::string b = "https://s3.amazonaws.com/echo.api/b.pem";
  const std::string c = "https://s3.amazonaws.com/echo.api/c.pem";
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
