// SignatureCertChainUrl rules: every example of the platform notes, and the tricks they invite.
#include <catch2/catch.hpp>

#include "channels/alexa/certificate_url.h"

using crampbot::alexa::check_certificate_url;
using crampbot::alexa::remove_dot_segments;

TEST_CASE("certificate URL: the valid examples of the platform notes pass", "[alexa][url]") {
  const auto plain = check_certificate_url("https://s3.amazonaws.com/echo.api/echo-api-cert.pem");
  CHECK(plain.ok());
  CHECK(plain.url == "https://s3.amazonaws.com/echo.api/echo-api-cert.pem");

  const auto with_port = check_certificate_url("https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem");
  CHECK(with_port.ok());
  CHECK(with_port.url == plain.url);

  const auto dot_dot =
      check_certificate_url("https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem");
  CHECK(dot_dot.ok());
  CHECK(dot_dot.url == plain.url);
}

TEST_CASE("certificate URL: scheme and host are case-insensitive", "[alexa][url]") {
  const auto url = check_certificate_url("HTTPS://S3.AmazonAWS.COM/echo.api/echo-api-cert.pem");
  CHECK(url.ok());
  CHECK(url.url == "https://s3.amazonaws.com/echo.api/echo-api-cert.pem");
  CHECK(check_certificate_url("Https://s3.amazonaws.com:443/echo.api/a.pem").ok());
}

TEST_CASE("certificate URL: single dots and a climb above the root normalise too", "[alexa][url]") {
  CHECK(check_certificate_url("https://s3.amazonaws.com/./echo.api/./cert.pem").url ==
        "https://s3.amazonaws.com/echo.api/cert.pem");
  CHECK(check_certificate_url("https://s3.amazonaws.com/../echo.api/cert.pem").url ==
        "https://s3.amazonaws.com/echo.api/cert.pem");
  CHECK(check_certificate_url("https://s3.amazonaws.com/other/../echo.api/cert.pem").ok());
}

TEST_CASE("certificate URL: the invalid examples of the platform notes fail, each for its own rule",
          "[alexa][url]") {
  struct Case {
    const char* url;
    const char* reason;
  };
  const Case cases[] = {
      {"http://s3.amazonaws.com/echo.api/echo-api-cert.pem", "scheme"},
      {"https://notamazon.com/echo.api/echo-api-cert.pem", "host"},
      {"https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem", "/echo.api/"},
      {"https://s3.amazonaws.com/invalid.path/echo-api-cert.pem", "/echo.api/"},
      {"https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", "port"},
  };
  for (const auto& c : cases) {
    INFO(c.url);
    const auto verdict = check_certificate_url(c.url);
    CHECK_FALSE(verdict.ok());
    CHECK(verdict.failure.find(c.reason) != std::string::npos);
  }
}

TEST_CASE("certificate URL: look-alike hosts, escapes and tricks are refused", "[alexa][url]") {
  const char* refused[] = {
      "",
      "s3.amazonaws.com/echo.api/cert.pem",                       // no scheme
      "ftp://s3.amazonaws.com/echo.api/cert.pem",                 // another scheme
      "https://s3.amazonaws.com.evil.example/echo.api/cert.pem",  // suffix host
      "https://evil.s3.amazonaws.com/echo.api/cert.pem",          // subdomain
      "https://s3.amazonaws.com@evil.example/echo.api/cert.pem",  // user info, real host elsewhere
      "https://user@s3.amazonaws.com/echo.api/cert.pem",          // user info
      "https://s3.amazonaws.com:/echo.api/cert.pem",              // empty port
      "https://s3.amazonaws.com:4433/echo.api/cert.pem",          // another port
      "https://s3.amazonaws.com:80/echo.api/cert.pem",            // another port
      "https://s3.amazonaws.com/echo.api/../cert.pem",            // climbs out of /echo.api/
      "https://s3.amazonaws.com/echo.api/%2e%2e/cert.pem",        // encoded climb
      "https://s3.amazonaws.com/echo.api%2Fcert.pem",             // encoded slash
      "https://s3.amazonaws.com/echo.api\\..\\cert.pem",          // backslashes
      "https://s3.amazonaws.com/echo.api",                        // the folder itself, no slash
      "https://s3.amazonaws.com/",                                // no path
      "https://s3.amazonaws.com",                                 // no path at all
      "https://s3.amazonaws.com/echo.api/cert.pem ",              // white space
      "https://s3.amazonaws.com/echo.api/\ncert.pem",             // control character
      "https://s3.amazonaws.com/ECHO.API/cert.pem",               // the path's case matters
      "https://s3.amazonaws.com/echo.apis/cert.pem",              // prefix without the slash
  };
  for (const char* url : refused) {
    INFO(url);
    CHECK_FALSE(check_certificate_url(url).ok());
  }
}

TEST_CASE("certificate URL: a query or a fragment is refused", "[alexa][url]") {
  CHECK_FALSE(check_certificate_url("https://s3.amazonaws.com/echo.api/cert.pem?v=2").ok());
  CHECK_FALSE(check_certificate_url("https://s3.amazonaws.com/echo.api/cert.pem?").ok());
  CHECK_FALSE(check_certificate_url("https://s3.amazonaws.com/echo.api/cert.pem#x").ok());
  // A fragment cannot smuggle the host: what follows '#' is not part of the authority check.
  CHECK_FALSE(check_certificate_url("https://evil.example#@s3.amazonaws.com/echo.api/cert.pem").ok());
}

TEST_CASE("remove_dot_segments follows RFC 3986", "[alexa][url]") {
  CHECK(remove_dot_segments("/a/b/c/./../../g") == "/a/g");
  CHECK(remove_dot_segments("/echo.api/../echo.api/x.pem") == "/echo.api/x.pem");
  CHECK(remove_dot_segments("/echo.api/.") == "/echo.api/");
  CHECK(remove_dot_segments("/echo.api/..") == "/");
  CHECK(remove_dot_segments("/../../x") == "/x");
  CHECK(remove_dot_segments("/a//b") == "/a//b");
  CHECK(remove_dot_segments("") == "");
}
