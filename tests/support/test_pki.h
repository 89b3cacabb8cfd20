#pragma once

// A public-key infrastructure made at test time with OpenSSL, for signing Alexa requests the way Alexa does
// and for serving TLS on localhost. Nothing here is read from disk or the network, and no key outlives the
// process. Link `crampbot_test_pki`.
//
// Typical use (a signed Alexa request the server must accept):
//
//   const auto& pki = crampbot::test::TestPki::shared();
//   auto trust = crampbot::alexa::TrustStore::from_pem(pki.root_pem());        // the server's trust
//   std::map<std::string, std::string> served = {{kCertificateUrl, pki.chain_pem()}};  // the fetcher's
//   answers headers: "Signature-256: " + pki.sign_base64(body), "SignatureCertChainUrl: " + kCertificateUrl

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace crampbot::test {

// Which signing certificate a chain or a signature uses. Validity windows are relative to the PKI's `now`.
enum class SigningCertificate {
  good,     // SAN echo-api.amazon.com, valid from now − 1 day to now + 30 days, issued by the intermediate
  expired,  // as good, valid from now − 60 days to now − 1 day
  not_yet_valid,         // as good, valid from now + 1 day to now + 60 days
  wrong_san,             // as good, but its only SAN is echo-api.example.com
  untrusted,             // SAN echo-api.amazon.com, valid, issued by a root that no test trust store holds
  weak_key,              // as good, but with an RSA-1024 key of its own
  ec_key,                // as good, but with an EC P-256 key of its own
  no_digital_signature,  // as good, but its keyUsage is keyEncipherment alone
  no_key_usage,          // as good, but without a keyUsage extension
};

// A certificate (chain) and its private key, PEM-encoded, for a TLS server.
struct TlsIdentity {
  std::string certificate_chain_pem;  // leaf first, then its issuing intermediate when there is one
  std::string private_key_pem;        // PKCS#8, unencrypted
};

// The whole PKI: a trusted root CA (valid now − 1 year to now + 10 years), an intermediate CA under it (same
// window), an untrusted root, and signing leaves of every SigningCertificate kind. The CAs have EC P-256 keys
// (fast to make); the leaves share one RSA-2048 key, as Alexa signs with RSA, so `sign_base64` gives the same
// signature for every kind; what differs is the chain (weak_key and ec_key leaves have keys of their own,
// which `sign_base64` does not use).
// Immutable after construction and safe to use from several threads.
class TestPki {
 public:
  // Builds everything around `now`. Generating RSA keys takes a fraction of a second: prefer shared().
  explicit TestPki(std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
  ~TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  // One PKI per process, built on first use around the real clock.
  static const TestPki& shared();

  // The instant the validity windows are relative to.
  std::chrono::system_clock::time_point now() const;

  // The trusted root certificate, the trust anchor to give the verifier (TrustStore::from_pem) or a TLS
  // client (ssl::context::add_certificate_authority).
  std::string root_pem() const;
  // The untrusted root, for tests that need a valid-looking CA nobody trusts.
  std::string untrusted_root_pem() const;

  // The PEM chain a SignatureCertChainUrl serves: the `which` leaf first, then the intermediate that issued
  // it (for `untrusted`, the untrusted root). Without `with_intermediate`, the leaf alone, which cannot be
  // chained to the root.
  std::string chain_pem(SigningCertificate which = SigningCertificate::good,
                        bool with_intermediate = true) const;

  // The Signature-256 header value for `body`: base64 of the RSA PKCS#1 v1.5 SHA-256 signature made with the
  // signing leaves' private key.
  std::string sign_base64(std::string_view body) const;
  // The same, made with another RSA-2048 key: well-formed but never valid for these certificates.
  std::string sign_base64_with_wrong_key(std::string_view body) const;

  // A TLS server certificate for DNS name `dns_name` (also its CN), issued by the intermediate (trusted) or
  // by the untrusted root, valid like `good`, with the private key. Each call makes a new certificate
  // (fast: the key is shared).
  TlsIdentity tls_server_identity(const std::string& dns_name, bool trusted = true) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace crampbot::test
