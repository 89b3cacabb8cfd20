// Any bytes as a POST /alexa: first line the SignatureCertChainUrl header, second line the Signature-256
// header, the rest the body. Each input goes through a channel without verification (the envelope reader
// and the mapping to the engine) and one with it (URL rules, signature decoding, timestamp, and the body
// again as the PEM the fetcher hands back, so the certificate chain reader sees any bytes too).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>

#include "channels/alexa/alexa_channel.h"
#include "channels/alexa/certificate_url.h"
#include "channels/alexa/request_timestamp.h"
#include "channels/alexa/trust_store.h"
#include "fuzz_support.h"

using namespace crampbot;
using namespace crampbot::alexa;

namespace {

std::string_view next_line(std::string_view& rest) {
  const auto end = rest.find('\n');
  const std::string_view line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  return line;
}

ChannelOutcome run(const AlexaChannel& channel, const AlexaHttpRequest& request) {
  boost::asio::io_context io;
  std::optional<ChannelOutcome> outcome;
  boost::asio::co_spawn(io, channel.handle(fuzz::real_engines(), request),
                        [&](std::exception_ptr error, ChannelOutcome result) {
                          fuzz::require(!error, "the channel never throws");
                          outcome = std::move(result);
                        });
  io.run();
  fuzz::require(outcome.has_value(), "the channel answers");
  return *outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const AlexaChannel unverified(AlexaSettings{.verify = false}, nullptr, nullptr);
  static std::string served_pem;
  static const AlexaChannel verified(
      AlexaSettings{},
      [](std::string) -> boost::asio::awaitable<FetchResult> {
        co_return FetchResult{served_pem, ""};
      },
      TrustStore::system_default());

  std::string_view rest = fuzz::as_text(data, size);
  const std::string_view url = next_line(rest);
  const std::string_view signature = next_line(rest);
  const std::string_view body = rest;
  served_pem.assign(body);
  const auto now = std::chrono::system_clock::now();

  (void)check_certificate_url(url);
  (void)parse_request_timestamp(body);
  fuzz::require_well_formed(run(unverified, AlexaHttpRequest{body, signature, url, now}));
  const ChannelOutcome checked = run(verified, AlexaHttpRequest{body, signature, url, now});
  fuzz::require_well_formed(checked);
  fuzz::require(checked.status == 400, "no request passes verification without Amazon's signature");
  return 0;
}
