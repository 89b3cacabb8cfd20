#pragma once

#include <chrono>
#include <cstddef>
#include <ctime>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "channels/alexa/check_result.h"
#include "channels/alexa/openssl_handles.h"
#include "channels/alexa/trust_store.h"

namespace crampbot::alexa {

class CertificateChain;

// The result of parsing a fetched chain.
struct ParsedChain {
  std::shared_ptr<const CertificateChain> chain;  // set when ok()
  std::string failure;                            // why the text is not a chain; "" when ok()

  bool ok() const { return failure.empty(); }
};

// The certificates Alexa signs with, leaf first, as fetched from SignatureCertChainUrl. Immutable after
// parsing, so one chain is shared by every request that names its URL, on any thread.
class CertificateChain {
 public:
  // The DNS name the signing certificate must carry in its subjectAltName.
  static constexpr std::string_view kSigningName = "echo-api.amazon.com";
  // More certificates than this is not a chain Amazon sends.
  static constexpr std::size_t kMaxCertificates = 10;
  // Amazon signs with RSA; a smaller key is not one a signing certificate may have today.
  static constexpr int kMinRsaKeyBits = 2048;

  // Parses one or more PEM certificates, leaf first. Refuses text with no certificate, a block that does not
  // parse, or more than kMaxCertificates. Never throws.
  static ParsedChain from_pem(std::string_view pem);

  // Checks the chain at `now`: the leaf's notBefore ≤ now ≤ notAfter, its subjectAltName has the DNS name
  // kSigningName, its key is RSA of at least kMinRsaKeyBits, its keyUsage (when it has one) allows
  // digitalSignature, and the chain leads to a root in `trust` with every certificate valid at `now`
  // (OpenSSL's X509_verify_cert, its clock set to `now`). The certificates after the leaf are only candidates
  // for the path: a root that `trust` does not hold is never trusted because the chain includes it.
  CheckResult check(const TrustStore& trust, std::chrono::system_clock::time_point now) const;

  // Verifies an RSA PKCS#1 v1.5 signature with SHA-256 over `body` with the leaf's public key. A leaf whose
  // key is not RSA fails.
  CheckResult verify_signature(std::string_view body, std::span<const unsigned char> signature) const;

  std::size_t size() const { return certificates_.size(); }
  // The leaf's validity window.
  std::chrono::system_clock::time_point not_before() const;
  std::chrono::system_clock::time_point not_after() const;

 private:
  explicit CertificateChain(std::vector<X509Ptr> certificates) : certificates_(std::move(certificates)) {}
  CheckResult check_leaf_window(std::time_t now) const;
  CheckResult check_signing_name() const;
  CheckResult check_signing_key() const;
  CheckResult check_path(const TrustStore& trust, std::time_t now) const;

  std::vector<X509Ptr> certificates_;
};

}  // namespace crampbot::alexa
