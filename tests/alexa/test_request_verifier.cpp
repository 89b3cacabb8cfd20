// Request verification end to end with real signatures: each check passes when it should and fails, named,
// when it should, in the cheap-first order (nothing that can be refused without a fetch costs one).
#include <catch2/catch.hpp>

#include <future>
#include <string>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>

#include "alexa_test_support.h"
#include "channels/alexa/request_verifier.h"
#include "support/test_pki.h"

using namespace crampbot::alexa;
using namespace crampbot::alexa::test;
using crampbot::test::SigningCertificate;
using crampbot::test::TestPki;
using std::chrono::days;
using std::chrono::seconds;

namespace {

// A verifier over a map fetcher serving `chain` at kCertificateUrl.
struct Fixture {
  explicit Fixture(std::vector<std::string> skill_ids = {kSkillId}, std::string chain = pki().chain_pem())
      : served({{kCertificateUrl, std::move(chain)}}),
        cache(std::make_shared<CertificateCache>(served.fetcher(), test_trust(), seconds(3600))),
        verifier({std::move(skill_ids), seconds(150)}, cache) {}

  // Signs `body` properly unless told otherwise, and verifies it at `now`.
  VerificationVerdict verify(const std::string& body, std::chrono::system_clock::time_point now,
                             std::string signature = "", std::string url = kCertificateUrl) const {
    if (signature.empty()) signature = pki().sign_base64(body);
    const nlohmann::json parsed = nlohmann::json::parse(body);
    return run_sync(verifier.verify(SignedRequest{body, &parsed, signature, url}, now));
  }

  MapFetcher served;
  std::shared_ptr<CertificateCache> cache;
  AlexaRequestVerifier verifier;
};

// The base64 of `bytes` zero bytes: well-formed, and never a valid signature.
std::string base64_of_zeros(std::size_t bytes) {
  std::string out(4 * (bytes / 3), 'A');
  if (bytes % 3 == 1) out += "AA==";
  if (bytes % 3 == 2) out += "AAA=";
  return out;
}

// The envelope of a LaunchRequest stamped at `timestamp`, as body text.
std::string launch_body(std::chrono::system_clock::time_point timestamp,
                        const std::string& skill_id = kSkillId) {
  return envelope(launch_request(), timestamp, skill_id).dump();
}

}  // namespace

TEST_CASE("verifier: a properly signed, fresh request for our skill passes", "[alexa][verify]") {
  Fixture f;
  const auto verdict = f.verify(launch_body(now()), now());
  INFO(verdict.reason);
  CHECK(verdict.ok());
  CHECK(verdict.failed == VerificationCheck::none);
}

TEST_CASE("verifier: a missing header fails before anything else", "[alexa][verify]") {
  Fixture f;
  const std::string body = launch_body(now());
  const nlohmann::json parsed = nlohmann::json::parse(body);
  const auto no_signature = run_sync(f.verifier.verify({body, &parsed, "", kCertificateUrl}, now()));
  CHECK(no_signature.failed == VerificationCheck::signature_header);
  const auto no_url = run_sync(f.verifier.verify({body, &parsed, pki().sign_base64(body), ""}, now()));
  CHECK(no_url.failed == VerificationCheck::certificate_url_header);
  CHECK(f.served.calls() == 0);
}

TEST_CASE("verifier: a certificate URL that breaks the rules fails without a fetch", "[alexa][verify]") {
  Fixture f;
  const std::string body = launch_body(now());
  for (const char* url : {"http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
                          "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
                          "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem"}) {
    INFO(url);
    const auto verdict = f.verify(body, now(), "", url);
    CHECK(verdict.failed == VerificationCheck::certificate_url);
  }
  CHECK(f.served.calls() == 0);
}

TEST_CASE("verifier: a URL with '..' is fetched in its normalised form", "[alexa][verify]") {
  Fixture f;
  const auto verdict = f.verify(launch_body(now()), now(), "",
                                "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert-12.pem");
  INFO(verdict.reason);
  CHECK(verdict.ok());
}

TEST_CASE("verifier: timestamps within 150 s either way pass, beyond fail", "[alexa][verify][timestamp]") {
  Fixture f;
  for (int offset : {-149, -150, 0, 149, 150}) {
    INFO("offset " << offset);
    CHECK(f.verify(launch_body(now() + seconds(offset)), now()).ok());
  }
  for (int offset : {-151, 151, -3600, 86400}) {
    INFO("offset " << offset);
    const auto verdict = f.verify(launch_body(now() + seconds(offset)), now());
    CHECK(verdict.failed == VerificationCheck::timestamp);
    CHECK(verdict.reason.find(std::to_string(offset) + " s") != std::string::npos);
  }
}

TEST_CASE("verifier: fractional seconds and offsets in the timestamp", "[alexa][verify][timestamp]") {
  Fixture f;
  auto with_timestamp = [](const std::string& timestamp) {
    auto e = envelope(launch_request(), now());
    e["request"]["timestamp"] = timestamp;
    return e.dump();
  };
  // now() + 149.9 s passes; now() + 150.5 s does not.
  const std::string base = iso8601(now() + seconds(149));
  CHECK(f.verify(with_timestamp(base.substr(0, base.size() - 1) + ".900Z"), now()).ok());
  const std::string late = iso8601(now() + seconds(150));
  CHECK(f.verify(with_timestamp(late.substr(0, late.size() - 1) + ".5Z"), now()).failed ==
        VerificationCheck::timestamp);
}

TEST_CASE("verifier: a missing or garbage timestamp fails", "[alexa][verify][timestamp]") {
  Fixture f;
  auto e = envelope(launch_request(), now());
  e["request"]["timestamp"] = "yesterday";
  CHECK(f.verify(e.dump(), now()).failed == VerificationCheck::timestamp);
  e["request"]["timestamp"] = 1700000000;
  CHECK(f.verify(e.dump(), now()).failed == VerificationCheck::timestamp);
  e["request"].erase("timestamp");
  CHECK(f.verify(e.dump(), now()).failed == VerificationCheck::timestamp);
  CHECK(f.served.calls() == 0);
}

TEST_CASE("verifier: skill ids", "[alexa][verify][skill]") {
  SECTION("an allowed id passes") {
    Fixture f({"amzn1.ask.skill.other", kSkillId});
    CHECK(f.verify(launch_body(now()), now()).ok());
  }
  SECTION("another id fails") {
    Fixture f;
    const auto verdict = f.verify(launch_body(now(), "amzn1.ask.skill.someone-else"), now());
    CHECK(verdict.failed == VerificationCheck::skill_id);
    CHECK(verdict.reason.find("someone-else") != std::string::npos);
    CHECK(f.served.calls() == 0);
  }
  SECTION("an empty allow-list accepts any id") {
    Fixture f(std::vector<std::string>{});
    CHECK(f.verify(launch_body(now(), "amzn1.ask.skill.someone-else"), now()).ok());
  }
  SECTION("only the session's id, out of context, is enough when allowed") {
    Fixture f;
    auto e = envelope(launch_request(), now());
    e["context"]["System"].erase("application");
    CHECK(f.verify(e.dump(), now()).ok());
  }
  SECTION("an out-of-session request carries the id in context.System") {
    Fixture f;
    auto e = envelope(launch_request(), now());
    e.erase("session");
    CHECK(f.verify(e.dump(), now()).ok());
  }
  SECTION("a session id that differs from an allowed context id fails") {
    Fixture f;
    auto e = envelope(launch_request(), now());
    e["session"]["application"]["applicationId"] = "amzn1.ask.skill.someone-else";
    CHECK(f.verify(e.dump(), now()).failed == VerificationCheck::skill_id);
  }
  SECTION("no id at all fails when there is an allow-list") {
    Fixture f;
    auto e = envelope(launch_request(), now());
    e.erase("session");
    e.erase("context");
    CHECK(f.verify(e.dump(), now()).failed == VerificationCheck::skill_id);
  }
}

TEST_CASE("verifier: certificate chain failures are named", "[alexa][verify][chain]") {
  struct Case {
    SigningCertificate which;
    const char* reason;
  };
  for (const Case& c : {Case{SigningCertificate::expired, "expired"},
                        Case{SigningCertificate::not_yet_valid, "not valid before"},
                        Case{SigningCertificate::wrong_san, "echo-api.amazon.com"},
                        Case{SigningCertificate::untrusted, "trusted root"}}) {
    Fixture f({kSkillId}, pki().chain_pem(c.which));
    const auto verdict = f.verify(launch_body(now()), now());
    INFO(verdict.reason);
    CHECK(verdict.failed == VerificationCheck::certificate_chain);
    CHECK(verdict.reason.find(c.reason) != std::string::npos);
  }
}

TEST_CASE("verifier: an unreachable certificate fails as certificate_chain", "[alexa][verify][chain]") {
  Fixture f;
  f.served.stop_serving(kCertificateUrl);
  const auto verdict = f.verify(launch_body(now()), now());
  CHECK(verdict.failed == VerificationCheck::certificate_chain);
  CHECK(verdict.reason.find("cannot fetch") != std::string::npos);
}

TEST_CASE("verifier: signatures", "[alexa][verify][signature]") {
  Fixture f;
  const std::string body = launch_body(now());
  SECTION("a tampered body fails") {
    std::string tampered = body;
    tampered.insert(tampered.size() - 1, " ");
    const auto verdict = f.verify(tampered, now(), pki().sign_base64(body));
    CHECK(verdict.failed == VerificationCheck::signature);
  }
  SECTION("another key's signature fails") {
    CHECK(f.verify(body, now(), pki().sign_base64_with_wrong_key(body)).failed ==
          VerificationCheck::signature);
  }
  SECTION("garbage base64 fails before any fetch") {
    const auto verdict = f.verify(body, now(), "this is not base64!");
    CHECK(verdict.failed == VerificationCheck::signature);
    CHECK(verdict.reason.find("base64") != std::string::npos);
    CHECK(f.served.calls() == 0);
  }
  SECTION("well-formed base64 that is no signature fails") {
    CHECK(f.verify(body, now(), "AAAA").failed == VerificationCheck::signature);
  }
  SECTION("a signature of another length than an RSA key's fails before any fetch") {
    for (const std::size_t bytes : {1, 128, 255, 257, 383, 385, 511, 513, 1024}) {
      INFO(bytes << " bytes");
      const auto verdict = f.verify(body, now(), base64_of_zeros(bytes));
      CHECK(verdict.failed == VerificationCheck::signature);
      CHECK(verdict.reason.find("the signature is " + std::to_string(bytes) + " bytes") != std::string::npos);
    }
    CHECK(f.served.calls() == 0);
  }
  SECTION("a signature of an RSA key's length goes on to the chain and the signature check") {
    for (const std::size_t bytes : AlexaRequestVerifier::kRsaSignatureSizes) {
      INFO(bytes << " bytes");
      const auto verdict = f.verify(body, now(), base64_of_zeros(bytes));
      CHECK(verdict.failed == VerificationCheck::signature);
      CHECK(verdict.reason.find("does not match") != std::string::npos);
    }
    CHECK(f.served.calls() == 1);
  }
}

TEST_CASE("verifier: the client is the one the certificate cache limits", "[alexa][verify][client]") {
  Fixture f;
  f.served.hold_unserved();
  const std::string body = launch_body(now());
  const nlohmann::json parsed = nlohmann::json::parse(body);
  const std::string signature = pki().sign_base64(body);
  const std::string url_a = "https://s3.amazonaws.com/echo.api/echo-api-cert-a.pem";
  const std::string url_b = "https://s3.amazonaws.com/echo.api/echo-api-cert-b.pem";
  boost::asio::io_context io;
  auto verify_as = [&](const std::string& url, const char* client) {
    return boost::asio::co_spawn(io, f.verifier.verify({body, &parsed, signature, url, client}, now()),
                                 boost::asio::use_future);
  };
  auto held = verify_as(url_a, "203.0.113.7");
  REQUIRE(run_until(io, [&] { return f.served.held() == 1; }));
  auto refused = verify_as(url_b, "203.0.113.7");
  REQUIRE(run_until(io, [&] { return refused.wait_for(seconds(0)) == std::future_status::ready; }));
  const auto verdict = refused.get();
  CHECK(verdict.failed == VerificationCheck::certificate_chain);
  CHECK(verdict.reason.find("this client already has") != std::string::npos);
  // Another client's request is not held back by it.
  auto other = verify_as(url_b, "203.0.113.8");
  REQUIRE(run_until(io, [&] { return f.served.held() == 2; }));
  CHECK(f.served.calls() == 2);
  f.served.release_held();
  REQUIRE(run_until(io, [&] {
    return held.wait_for(seconds(0)) == std::future_status::ready &&
           other.wait_for(seconds(0)) == std::future_status::ready;
  }));
  CHECK(held.get().failed == VerificationCheck::certificate_chain);
  CHECK(other.get().failed == VerificationCheck::certificate_chain);
}

TEST_CASE("verifier: the chain is fetched once for many requests, and re-checked at each",
          "[alexa][verify][cache]") {
  Fixture f;
  for (int i = 0; i < 5; ++i)
    CHECK(f.verify(launch_body(now() + seconds(i)), now() + seconds(i)).ok());
  CHECK(f.served.calls() == 1);
  // A month on, the cached certificate has expired: refused though the request itself is fresh.
  const auto later = now() + days(31);
  const auto verdict = f.verify(launch_body(later), later);
  CHECK(verdict.failed == VerificationCheck::certificate_chain);
  CHECK(verdict.reason.find("expired") != std::string::npos);
}

TEST_CASE("verifier: many requests at once on several threads share one cache", "[alexa][verify][cache]") {
  Fixture f;
  constexpr int kRequests = 64;
  std::vector<std::string> bodies;
  std::vector<std::string> signatures;
  std::vector<nlohmann::json> envelopes;
  for (int i = 0; i < kRequests; ++i) {
    bodies.push_back(launch_body(now() + seconds(i % 100)));
    signatures.push_back(i % 4 == 3 ? pki().sign_base64_with_wrong_key(bodies.back())
                                    : pki().sign_base64(bodies.back()));
    envelopes.push_back(nlohmann::json::parse(bodies.back()));
  }
  std::vector<VerificationVerdict> verdicts(kRequests);
  boost::asio::thread_pool pool(4);
  for (int i = 0; i < kRequests; ++i) {
    boost::asio::co_spawn(
        pool,
        [&, i]() -> boost::asio::awaitable<void> {
          verdicts[i] =
              co_await f.verifier.verify({bodies[i], &envelopes[i], signatures[i], kCertificateUrl}, now());
        },
        boost::asio::detached);
  }
  pool.join();
  for (int i = 0; i < kRequests; ++i) {
    INFO("request " << i << ": " << verdicts[i].reason);
    CHECK(verdicts[i].failed == (i % 4 == 3 ? VerificationCheck::signature : VerificationCheck::none));
  }
  CHECK(f.cache->size() == 1);
  CHECK(f.served.calls() >= 1);
}

TEST_CASE("verifier: check names are stable words", "[alexa][verify]") {
  CHECK(check_name(VerificationCheck::signature_header) == "signature_header");
  CHECK(check_name(VerificationCheck::certificate_url_header) == "certificate_url_header");
  CHECK(check_name(VerificationCheck::certificate_url) == "certificate_url");
  CHECK(check_name(VerificationCheck::timestamp) == "timestamp");
  CHECK(check_name(VerificationCheck::skill_id) == "skill_id");
  CHECK(check_name(VerificationCheck::certificate_chain) == "certificate_chain");
  CHECK(check_name(VerificationCheck::signature) == "signature");
}
