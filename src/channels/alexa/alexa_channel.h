#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "channels/alexa/certificate_cache.h"
#include "channels/alexa/request_verifier.h"
#include "channels/alexa/trust_store.h"
#include "channels/channel_outcome.h"
#include "engine/engine_set.h"

namespace crampbot::alexa {

struct AlexaSettings {
  bool verify = true;                  // signature, certificate chain and timestamp checks
  std::vector<std::string> skill_ids;  // allow-list, applied even when verify is off; empty accepts any id
  std::chrono::seconds timestamp_tolerance{150};
  std::chrono::seconds certificate_cache_ttl{3600};
};

// What the server passes in; it keeps these alive across co_await.
struct AlexaHttpRequest {
  std::string_view body;            // raw bytes, exactly as received
  std::string_view signature_256;   // header Signature-256 ("" when absent)
  std::string_view cert_chain_url;  // header SignatureCertChainUrl ("" when absent)
  std::chrono::system_clock::time_point now;
  // Who sent it: the client's address as text, an opaque key for the per-client limit on certificate
  // fetches ("" counts as one shared client).
  std::string_view client = {};
};

// POST /alexa: the Alexa custom-skill web-service protocol. Verifies the request, reads the envelope into a
// turn for the engine, and renders the reply as an Alexa response. Thread-safe; holds the certificate cache.
//
// Mapping: LaunchRequest → welcome; IntentRequest → our intent by name (intent_from_alexa_name; unknown →
// fallback), the catch-all AskIntent → our matcher on its raw `query` slot (nothing usable → fallback);
// SessionEndedRequest and request types we do not handle → 200 {"version":"1.0","response":{}}. Slot values
// come from entity resolution ids when they are our canonical values, else through our synonyms. The
// dialogue context travels in sessionAttributes.crampbot; a new session, or an attribute that does not read
// as a context, starts fresh.
class AlexaChannel {
 public:
  // `trust` may be null only when settings.verify is false; throws std::invalid_argument otherwise
  // (start-up only).
  AlexaChannel(AlexaSettings settings, CertificateFetcher fetcher, std::shared_ptr<const TrustStore> trust);

  // Verifies (when settings.verify) and answers one POST /alexa. Never throws. Refusals: 400 bad_json (body
  // is not a JSON object), 400 verification_failed with the failed check named (the engine is not called),
  // 400 missing_field (request.type, or the intent name of an IntentRequest).
  boost::asio::awaitable<ChannelOutcome> handle(const EngineSet& engines,
                                                const AlexaHttpRequest& request) const;

  const AlexaSettings& settings() const { return settings_; }

 private:
  AlexaSettings settings_;
  std::unique_ptr<AlexaRequestVerifier> verifier_;  // null when verification is off
};

}  // namespace crampbot::alexa
