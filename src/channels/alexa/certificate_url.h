#pragma once

#include <string>
#include <string_view>

namespace crampbot::alexa {

// A SignatureCertChainUrl judged against Alexa's rules.
struct CertificateUrl {
  std::string
      url;  // when ok(): the normalised URL to fetch and cache by ("https://s3.amazonaws.com/echo.api/…")
  std::string failure;  // "" when the URL passes; otherwise which rule it breaks

  bool ok() const { return failure.empty(); }
};

// Checks Alexa's rules for the certificate chain URL: scheme https (any case), host exactly s3.amazonaws.com
// (any case), port 443 if one is given, and a path that starts with "/echo.api/" (exact case) once its "."
// and ".." segments are resolved. User info, percent-encoded dots, slashes or backslashes, backslashes and
// control characters are refused, so the URL checked is the URL fetched, and so is a query or a fragment
// (Amazon's URLs have neither; allowing them would let every unsigned request name a fresh URL to fetch).
// Beyond Amazon's published rules, the file must have the shape of Amazon's own names, directly under
// /echo.api/: "echo-api-cert-" then 1 to 32 of [A-Za-z0-9-] then ".pem" ("echo-api-cert-12.pem",
// "echo-api-cert-6-ats.pem"), so no other name costs a fetch.
CertificateUrl check_certificate_url(std::string_view url);

// RFC 3986 remove_dot_segments: "/echo.api/../echo.api/a.pem" → "/echo.api/a.pem". Never climbs above "/".
std::string remove_dot_segments(std::string_view path);

}  // namespace crampbot::alexa
