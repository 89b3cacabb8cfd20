#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "channels/alexa/certificate_cache.h"

namespace crampbot::alexa {

// The checks of Alexa request verification, in the order they run (cheap first, the fetch and the RSA work
// last).
enum class VerificationCheck {
  none,                    // every check passed
  signature_header,        // Signature-256 missing
  certificate_url_header,  // SignatureCertChainUrl missing
  certificate_url,         // the URL breaks the rules
  timestamp,               // request.timestamp missing, unreadable, or too far from now
  skill_id,                // the application id is missing or not allowed
  certificate_chain,       // fetch, parse, validity, subjectAltName, signing key, or path to a trusted root
  signature,               // not base64, not an RSA signature's length, or does not verify over the body
};

// The stable name of a check ("certificate_chain"), for error bodies and logs.
std::string_view check_name(VerificationCheck check);

// The outcome of verifying one request.
struct VerificationVerdict {
  VerificationCheck failed = VerificationCheck::none;
  std::string reason;  // what was wrong, for a person; "" when ok()

  bool ok() const { return failed == VerificationCheck::none; }
};

// What one request brings to verification. The views must stay valid until verify() completes.
struct SignedRequest {
  std::string_view body;            // the raw bytes, exactly as received
  const nlohmann::json* envelope;   // `body` parsed; not null
  std::string_view signature_256;   // header Signature-256, "" when absent
  std::string_view cert_chain_url;  // header SignatureCertChainUrl, "" when absent
  std::string_view client = {};     // who sent it (its address as text), for the certificate cache's limits
};

// The application id check alone (context.System.application.applicationId and, when present,
// session.application.applicationId; each present id must be in `skill_ids`, and one must be present). An
// empty list allows any id. Also applied when signature verification is switched off.
VerificationVerdict check_skill_id(const nlohmann::json& envelope, const std::vector<std::string>& skill_ids);

// Verifies that a request comes from Alexa for one of our skills, as Amazon requires of a web-service skill.
// Stateless apart from the shared certificate cache; thread-safe.
class AlexaRequestVerifier {
 public:
  // The lengths in bytes of the signatures of 2048-, 3072- and 4096-bit RSA keys: no other Signature-256 can
  // verify against a key the certificate checks accept, so no other costs a fetch.
  static constexpr std::size_t kRsaSignatureSizes[] = {256, 384, 512};

  struct Options {
    std::vector<std::string> skill_ids;             // allowed application ids; empty allows any
    std::chrono::seconds timestamp_tolerance{150};  // in both directions
  };

  // `certificates` must not be null.
  AlexaRequestVerifier(Options options, std::shared_ptr<CertificateCache> certificates);

  // Runs every check at `now`: both headers present, the certificate URL rules, request.timestamp within the
  // tolerance of `now` either way, the application id (context.System.application.applicationId and, when
  // present, session.application.applicationId; each present id must be allowed) in the allow-list, the
  // signature's base64 and its length (kRsaSignatureSizes), the certificate chain (through the cache, on
  // behalf of request.client) valid at `now`, and the signature over the raw body. Every check that needs no
  // fetch runs before the fetch. Stops at the first failure and names it. Never throws.
  boost::asio::awaitable<VerificationVerdict> verify(SignedRequest request,
                                                     std::chrono::system_clock::time_point now) const;

  // Only the checks that need no certificate (headers, URL, timestamp, skill id), in the same order; the
  // normalised certificate URL is stored in `*certificate_url` when they pass.
  VerificationVerdict check_envelope(const SignedRequest& request, std::chrono::system_clock::time_point now,
                                     std::string* certificate_url) const;

 private:
  VerificationVerdict check_timestamp(const nlohmann::json& envelope,
                                      std::chrono::system_clock::time_point now) const;

  Options options_;
  std::shared_ptr<CertificateCache> certificates_;
};

}  // namespace crampbot::alexa
