#pragma once

#include <memory>

#include <boost/asio/ssl/context.hpp>

#include "channels/alexa/certificate_cache.h"
#include "net/https_client.h"

namespace crampbot::alexa {

// The production CertificateFetcher: net::https_get through `tls` (whose trust decides which servers are
// believed; net::make_client_tls_context() gives the system's roots), within `limits`. The fetcher shares
// ownership of `tls`.
CertificateFetcher https_certificate_fetcher(std::shared_ptr<boost::asio::ssl::context> tls,
                                             net::HttpsLimits limits = {});

}  // namespace crampbot::alexa
