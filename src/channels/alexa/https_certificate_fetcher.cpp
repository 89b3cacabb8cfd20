#include "channels/alexa/https_certificate_fetcher.h"

#include <stdexcept>

namespace crampbot::alexa {

namespace {

boost::asio::awaitable<FetchResult> fetch(std::shared_ptr<boost::asio::ssl::context> tls,
                                          net::HttpsLimits limits, std::string url) {
  net::HttpsResponse response = co_await net::https_get(std::move(url), *tls, limits);
  co_return FetchResult{std::move(response.body), std::move(response.error)};
}

}  // namespace

CertificateFetcher https_certificate_fetcher(std::shared_ptr<boost::asio::ssl::context> tls,
                                             net::HttpsLimits limits) {
  if (!tls) throw std::invalid_argument("certificate fetcher: no TLS context");
  // The coroutine takes its arguments by value, so nothing it uses lives in this lambda.
  return [tls = std::move(tls), limits](std::string url) { return fetch(tls, limits, std::move(url)); };
}

}  // namespace crampbot::alexa
