#include "channels/alexa/request_verifier.h"

#include <algorithm>
#include <exception>
#include <iterator>
#include <span>
#include <stdexcept>
#include <string>

#include "channels/alexa/certificate_url.h"
#include "channels/alexa/request_timestamp.h"
#include "channels/base64.h"

namespace crampbot::alexa {

namespace {

VerificationVerdict fail(VerificationCheck check, std::string reason) {
  return VerificationVerdict{check, std::move(reason)};
}

// The string at `path` inside `json`, or nullptr when any step is missing or not of the right type.
const std::string* string_at(const nlohmann::json& json, std::initializer_list<const char*> path) {
  const nlohmann::json* node = &json;
  for (const char* key : path) {
    if (!node->is_object()) return nullptr;
    const auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node->is_string() ? node->get_ptr<const std::string*>() : nullptr;
}

// Seconds, with a sign, for messages: "+151 s".
std::string signed_seconds(std::chrono::system_clock::duration d) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  return (s >= 0 ? "+" : "") + std::to_string(s) + " s";
}

}  // namespace

std::string_view check_name(VerificationCheck check) {
  switch (check) {
    case VerificationCheck::none:
      return "none";
    case VerificationCheck::signature_header:
      return "signature_header";
    case VerificationCheck::certificate_url_header:
      return "certificate_url_header";
    case VerificationCheck::certificate_url:
      return "certificate_url";
    case VerificationCheck::timestamp:
      return "timestamp";
    case VerificationCheck::skill_id:
      return "skill_id";
    case VerificationCheck::certificate_chain:
      return "certificate_chain";
    case VerificationCheck::signature:
      return "signature";
  }
  return "unknown";
}

AlexaRequestVerifier::AlexaRequestVerifier(Options options, std::shared_ptr<CertificateCache> certificates)
    : options_(std::move(options)), certificates_(std::move(certificates)) {
  if (!certificates_) throw std::invalid_argument("Alexa request verifier: no certificate cache");
}

VerificationVerdict AlexaRequestVerifier::check_timestamp(const nlohmann::json& envelope,
                                                          std::chrono::system_clock::time_point now) const {
  const std::string* text = string_at(envelope, {"request", "timestamp"});
  if (!text) return fail(VerificationCheck::timestamp, "request.timestamp is missing or not a string");
  const auto timestamp = parse_request_timestamp(*text);
  if (!timestamp) return fail(VerificationCheck::timestamp, "request.timestamp is not an ISO-8601 date-time");
  const auto skew = *timestamp - now;
  const auto tolerance =
      std::chrono::duration_cast<std::chrono::system_clock::duration>(options_.timestamp_tolerance);
  if (skew > tolerance || skew < -tolerance)
    return fail(VerificationCheck::timestamp,
                "request.timestamp is " + signed_seconds(skew) + " from now, outside ±" +
                    std::to_string(options_.timestamp_tolerance.count()) + " s");
  return {};
}

VerificationVerdict check_skill_id(const nlohmann::json& envelope,
                                   const std::vector<std::string>& skill_ids) {
  if (skill_ids.empty()) return {};
  const std::string* from_context =
      string_at(envelope, {"context", "System", "application", "applicationId"});
  const std::string* from_session = string_at(envelope, {"session", "application", "applicationId"});
  if (!from_context && !from_session)
    return fail(VerificationCheck::skill_id, "the request names no application id");
  for (const std::string* id : {from_context, from_session}) {
    if (id && std::find(skill_ids.begin(), skill_ids.end(), *id) == skill_ids.end())
      return fail(VerificationCheck::skill_id,
                  "application id \"" + *id + "\" is not one of this server's skills");
  }
  return {};
}

VerificationVerdict AlexaRequestVerifier::check_envelope(const SignedRequest& request,
                                                         std::chrono::system_clock::time_point now,
                                                         std::string* certificate_url) const {
  if (request.signature_256.empty())
    return fail(VerificationCheck::signature_header, "the Signature-256 header is missing");
  if (request.cert_chain_url.empty())
    return fail(VerificationCheck::certificate_url_header, "the SignatureCertChainUrl header is missing");
  CertificateUrl url = check_certificate_url(request.cert_chain_url);
  if (!url.ok()) return fail(VerificationCheck::certificate_url, url.failure);
  if (!request.envelope) return fail(VerificationCheck::timestamp, "no request body");
  if (auto verdict = check_timestamp(*request.envelope, now); !verdict.ok()) return verdict;
  if (auto verdict = check_skill_id(*request.envelope, options_.skill_ids); !verdict.ok()) return verdict;
  if (certificate_url) *certificate_url = std::move(url.url);
  return {};
}

boost::asio::awaitable<VerificationVerdict> AlexaRequestVerifier::verify(
    SignedRequest request, std::chrono::system_clock::time_point now) const {
  try {
    std::string url;
    if (auto verdict = check_envelope(request, now, &url); !verdict.ok()) co_return verdict;
    // Decoded before the fetch: garbage in the header must not cost a round trip to Amazon.
    const auto signature = decode_base64(request.signature_256);
    if (!signature || signature->empty())
      co_return fail(VerificationCheck::signature, "the Signature-256 header is not base64");
    if (std::find(std::begin(kRsaSignatureSizes), std::end(kRsaSignatureSizes), signature->size()) ==
        std::end(kRsaSignatureSizes)) {
      co_return fail(VerificationCheck::signature,
                     "the signature is " + std::to_string(signature->size()) +
                         " bytes; an RSA key of 2048, 3072 or 4096 bits signs with 256, 384 or 512");
    }
    const ChainLookup lookup = co_await certificates_->get(url, now, std::string(request.client));
    if (!lookup.ok()) co_return fail(VerificationCheck::certificate_chain, lookup.failure);
    CheckResult signed_by_alexa = lookup.chain->verify_signature(
        request.body,
        std::span(reinterpret_cast<const unsigned char*>(signature->data()), signature->size()));
    if (!signed_by_alexa.passed()) co_return fail(VerificationCheck::signature, signed_by_alexa.failure);
    co_return VerificationVerdict{};
  } catch (const std::exception& e) {
    co_return fail(VerificationCheck::certificate_chain,
                   std::string("verification failed unexpectedly: ") + e.what());
  }
}

}  // namespace crampbot::alexa
