// The certificate cache: fetch once, re-check at each use, expire, bound, and never keep a failure as good.
#include <catch2/catch.hpp>

#include <stdexcept>

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

TEST_CASE("cache: a failed fetch is not cached", "[alexa][cache]") {
  MapFetcher served({});
  CertificateCache cache(served.fetcher(), test_trust(), seconds(3600));
  const auto failed = lookup(cache, kCertificateUrl, pki().now());
  CHECK_FALSE(failed.ok());
  CHECK(contains(failed.failure, "404"));
  CHECK(cache.size() == 0);
  served.serve_at(kCertificateUrl, pki().chain_pem());
  CHECK(lookup(cache, kCertificateUrl, pki().now()).ok());
  CHECK(served.calls() == 2);
}

TEST_CASE("cache: an unusable or invalid chain is not cached", "[alexa][cache]") {
  MapFetcher served({{kCertificateUrl, std::string("<Error>AccessDenied</Error>")}});
  CertificateCache cache(served.fetcher(), test_trust(), seconds(3600));
  CHECK(contains(lookup(cache, kCertificateUrl, pki().now()).failure, "unusable"));
  served.serve_at(kCertificateUrl, pki().chain_pem(SigningCertificate::untrusted));
  CHECK(contains(lookup(cache, kCertificateUrl, pki().now()).failure, "trusted root"));
  CHECK(cache.size() == 0);
  served.serve_at(kCertificateUrl, pki().chain_pem());
  CHECK(lookup(cache, kCertificateUrl, pki().now()).ok());
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
