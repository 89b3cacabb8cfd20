// Certificate chains and signatures, with a PKI made at test time: validity windows at a moving `now`, the
// signing name, the signing key (RSA, 2048 bits or more, usable for signatures), the path to a trusted root,
// and RSA SHA-256 signatures over the raw body.
#include <catch2/catch.hpp>

#include "alexa_test_support.h"
#include "channels/alexa/certificate_chain.h"
#include "channels/alexa/trust_store.h"
#include "channels/base64.h"
#include "support/test_pki.h"

using crampbot::decode_base64;
using crampbot::alexa::CertificateChain;
using crampbot::alexa::TrustStore;
using crampbot::alexa::test::contains;
using crampbot::alexa::test::pki;
using crampbot::alexa::test::test_trust;
using crampbot::test::SigningCertificate;
using crampbot::test::TestPki;
using std::chrono::days;

namespace {

std::shared_ptr<const CertificateChain> parse(const std::string& pem) {
  auto parsed = CertificateChain::from_pem(pem);
  INFO(parsed.failure);
  REQUIRE(parsed.ok());
  return parsed.chain;
}

std::string check(SigningCertificate which, std::chrono::system_clock::time_point now,
                  bool with_intermediate = true) {
  return parse(pki().chain_pem(which, with_intermediate))->check(*test_trust(), now).failure;
}

std::vector<unsigned char> bytes(const std::string& base64) {
  auto decoded = decode_base64(base64);
  REQUIRE(decoded.has_value());
  return std::vector<unsigned char>(decoded->begin(), decoded->end());
}

}  // namespace

TEST_CASE("chain: parses a PEM chain, leaf first", "[alexa][chain]") {
  const auto chain = parse(pki().chain_pem());
  CHECK(chain->size() == 2);
  CHECK(chain->not_before() <= pki().now());
  CHECK(chain->not_after() > pki().now() + days(29));
  CHECK(parse(pki().chain_pem(SigningCertificate::good, false))->size() == 1);
}

TEST_CASE("chain: unparsable text is refused with a reason", "[alexa][chain]") {
  CHECK_FALSE(CertificateChain::from_pem("").ok());
  CHECK_FALSE(CertificateChain::from_pem("<html>Access Denied</html>").ok());
  const std::string pem = pki().chain_pem();
  // A block whose base64 is damaged.
  std::string damaged = pem;
  damaged[pem.find("MII") + 40] = '*';
  const auto broken = CertificateChain::from_pem(damaged);
  CHECK_FALSE(broken.ok());
  CHECK(contains(broken.failure, "does not parse"));
  // A second block cut short.
  const auto truncated = CertificateChain::from_pem(pem.substr(0, pem.size() - 200));
  CHECK_FALSE(truncated.ok());
  // Too many certificates.
  std::string many;
  for (int i = 0; i < 11; ++i)
    many += pki().root_pem();
  CHECK(contains(CertificateChain::from_pem(many).failure, "more than"));
}

TEST_CASE("chain: a good chain is valid through its window and not outside it", "[alexa][chain]") {
  const auto now = pki().now();
  CHECK(check(SigningCertificate::good, now) == "");
  CHECK(check(SigningCertificate::good, now - days(1) + std::chrono::minutes(1)) == "");
  CHECK(check(SigningCertificate::good, now + days(30) - std::chrono::minutes(1)) == "");
  CHECK(contains(check(SigningCertificate::good, now + days(31)), "expired"));
  CHECK(contains(check(SigningCertificate::good, now - days(2)), "not valid before"));
}

TEST_CASE("chain: expired and not-yet-valid signing certificates are refused", "[alexa][chain]") {
  CHECK(contains(check(SigningCertificate::expired, pki().now()), "expired"));
  CHECK(contains(check(SigningCertificate::not_yet_valid, pki().now()), "not valid before"));
  // Each is fine inside its own window: the refusal is about time, not the certificate.
  CHECK(check(SigningCertificate::expired, pki().now() - days(30)) == "");
  CHECK(check(SigningCertificate::not_yet_valid, pki().now() + days(30)) == "");
}

TEST_CASE("chain: the signing certificate must name echo-api.amazon.com", "[alexa][chain]") {
  CHECK(contains(check(SigningCertificate::wrong_san, pki().now()), "echo-api.amazon.com"));
}

TEST_CASE("chain: the signing key must be RSA of 2048 bits or more", "[alexa][chain][key]") {
  const std::string weak = check(SigningCertificate::weak_key, pki().now());
  CHECK(contains(weak, "RSA key has 1024 bits"));
  CHECK(contains(weak, "at least 2048"));
  const std::string ec = check(SigningCertificate::ec_key, pki().now());
  CHECK(contains(ec, "key is not RSA"));
  CHECK(contains(ec, "EC"));
  // Both chains are otherwise good: issued by the trusted intermediate, valid now, for the right name.
  CHECK(check(SigningCertificate::good, pki().now()) == "");
}

TEST_CASE("chain: a key usage, when present, must allow digital signatures", "[alexa][chain][key]") {
  CHECK(contains(check(SigningCertificate::no_digital_signature, pki().now()),
                 "key usage does not allow digital signatures"));
  // No keyUsage extension at all restricts nothing.
  CHECK(check(SigningCertificate::no_key_usage, pki().now()) == "");
}

TEST_CASE("chain: it must lead to a trusted root", "[alexa][chain]") {
  // Issued by a root the store does not hold, even with that root in the chain.
  CHECK(contains(check(SigningCertificate::untrusted, pki().now()), "trusted root"));
  // The intermediate missing: no path.
  CHECK(contains(check(SigningCertificate::good, pki().now(), false), "trusted root"));
  // The same chain against a store that trusts only the other root.
  const auto other = TrustStore::from_pem(pki().untrusted_root_pem());
  CHECK(contains(parse(pki().chain_pem())->check(*other, pki().now()).failure, "trusted root"));
  // The untrusted chain is fine for whoever does trust its root: no pinning.
  CHECK(parse(pki().chain_pem(SigningCertificate::untrusted))->check(*other, pki().now()).passed());
}

TEST_CASE("chain: the system store does not trust the test root", "[alexa][chain]") {
  const auto system = TrustStore::system_default();
  CHECK(contains(parse(pki().chain_pem())->check(*system, pki().now()).failure, "trusted root"));
}

TEST_CASE("trust store: refuses text without certificates", "[alexa][trust]") {
  CHECK_THROWS_AS(TrustStore::from_pem(""), std::runtime_error);
  CHECK_THROWS_AS(TrustStore::from_pem("not a certificate"), std::runtime_error);
  CHECK_THROWS_AS(TrustStore::from_pem_file("/nonexistent/ca.pem"), std::runtime_error);
  CHECK_NOTHROW(TrustStore::from_pem(pki().root_pem() + pki().untrusted_root_pem()));
}

TEST_CASE("signature: valid over the exact body", "[alexa][signature]") {
  const auto chain = parse(pki().chain_pem());
  const std::string body = R"({"version":"1.0","request":{"type":"LaunchRequest"}})";
  CHECK(chain->verify_signature(body, bytes(pki().sign_base64(body))).passed());
}

TEST_CASE("signature: a tampered body fails", "[alexa][signature]") {
  const auto chain = parse(pki().chain_pem());
  const std::string body = R"({"version":"1.0","request":{"type":"LaunchRequest"}})";
  const auto signature = bytes(pki().sign_base64(body));
  std::string tampered = body;
  tampered[tampered.find("Launch")] = 'l';
  CHECK_FALSE(chain->verify_signature(tampered, signature).passed());
  CHECK_FALSE(chain->verify_signature(body + " ", signature).passed());
  CHECK_FALSE(chain->verify_signature("", signature).passed());
}

TEST_CASE("signature: another key's signature fails", "[alexa][signature]") {
  const auto chain = parse(pki().chain_pem());
  const std::string body = "{}";
  const auto result = chain->verify_signature(body, bytes(pki().sign_base64_with_wrong_key(body)));
  CHECK_FALSE(result.passed());
  CHECK(contains(result.failure, "does not match"));
}

TEST_CASE("signature: damaged or empty signature bytes fail", "[alexa][signature]") {
  const auto chain = parse(pki().chain_pem());
  const std::string body = "{}";
  auto signature = bytes(pki().sign_base64(body));
  signature[10] ^= 0x01;
  CHECK_FALSE(chain->verify_signature(body, signature).passed());
  signature.resize(100);
  CHECK_FALSE(chain->verify_signature(body, signature).passed());
  CHECK_FALSE(chain->verify_signature(body, {}).passed());
}
