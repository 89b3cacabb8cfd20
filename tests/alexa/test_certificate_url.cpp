// SignatureCertChainUrl rules: every example of the platform notes, the tricks they invite, and the shape of
// Amazon's own file names.
#include <catch2/catch.hpp>

#include <string>

#include "channels/alexa/certificate_url.h"

using crampbot::alexa::check_certificate_url;
using crampbot::alexa::remove_dot_segments;

TEST_CASE("certificate URL: the valid examples of the platform notes pass, with Amazon's file names",
          "[alexa][url]") {
  // The platform notes write "echo-api-cert.pem"; Amazon's requests name versioned files.
  const auto plain = check_certificate_url("https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem");
  CHECK(plain.ok());
  CHECK(plain.url == "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem");

  const auto with_port = check_certificate_url("https://s3.amazonaws.com:443/echo.api/echo-api-cert-12.pem");
  CHECK(with_port.ok());
  CHECK(with_port.url == plain.url);

  const auto dot_dot =
      check_certificate_url("https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert-12.pem");
  CHECK(dot_dot.ok());
  CHECK(dot_dot.url == plain.url);
}

TEST_CASE("certificate URL: scheme and host are case-insensitive", "[alexa][url]") {
  const auto url = check_certificate_url("HTTPS://S3.AmazonAWS.COM/echo.api/echo-api-cert-12.pem");
  CHECK(url.ok());
  CHECK(url.url == "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem");
  CHECK(check_certificate_url("Https://s3.amazonaws.com:443/echo.api/echo-api-cert-6-ats.pem").ok());
}

TEST_CASE("certificate URL: single dots and a climb above the root normalise too", "[alexa][url]") {
  CHECK(check_certificate_url("https://s3.amazonaws.com/./echo.api/./echo-api-cert-12.pem").url ==
        "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem");
  CHECK(check_certificate_url("https://s3.amazonaws.com/../echo.api/echo-api-cert-12.pem").url ==
        "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem");
  CHECK(check_certificate_url("https://s3.amazonaws.com/other/../echo.api/echo-api-cert-12.pem").ok());
}

TEST_CASE("certificate URL: the invalid examples of the platform notes fail, each for its own rule",
          "[alexa][url]") {
  struct Case {
    const char* url;
    const char* reason;
  };
  const Case cases[] = {
      {"http://s3.amazonaws.com/echo.api/echo-api-cert-12.pem", "scheme"},
      {"https://notamazon.com/echo.api/echo-api-cert-12.pem", "host"},
      {"https://s3.amazonaws.com/EcHo.aPi/echo-api-cert-12.pem", "/echo.api/"},
      {"https://s3.amazonaws.com/invalid.path/echo-api-cert-12.pem", "/echo.api/"},
      {"https://s3.amazonaws.com:563/echo.api/echo-api-cert-12.pem", "port"},
  };
  for (const auto& c : cases) {
    INFO(c.url);
    const auto verdict = check_certificate_url(c.url);
    CHECK_FALSE(verdict.ok());
    CHECK(verdict.failure.find(c.reason) != std::string::npos);
  }
}

TEST_CASE("certificate URL: look-alike hosts, escapes and tricks are refused, each for its own rule",
          "[alexa][url]") {
  struct Case {
    const char* url;
    const char* reason;
  };
  // Every file name has Amazon's shape, so only the rule named refuses it.
  const Case cases[] = {
      {"", "empty"},
      {"s3.amazonaws.com/echo.api/echo-api-cert-12.pem", "no scheme"},
      {"ftp://s3.amazonaws.com/echo.api/echo-api-cert-12.pem", "scheme is not https"},
      {"https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert-12.pem", "host"},  // suffix host
      {"https://evil.s3.amazonaws.com/echo.api/echo-api-cert-12.pem", "host"},          // subdomain
      {"https://s3.amazonaws.com@evil.example/echo.api/echo-api-cert-12.pem", "user info"},
      {"https://user@s3.amazonaws.com/echo.api/echo-api-cert-12.pem", "user info"},
      {"https://s3.amazonaws.com:/echo.api/echo-api-cert-12.pem", "port"},  // empty port
      {"https://s3.amazonaws.com:4433/echo.api/echo-api-cert-12.pem", "port"},
      {"https://s3.amazonaws.com:80/echo.api/echo-api-cert-12.pem", "port"},
      {"https://s3.amazonaws.com/echo.api/../echo-api-cert-12.pem", "/echo.api/"},  // climbs out
      {"https://s3.amazonaws.com/echo.api/%2e%2e/echo-api-cert-12.pem", "percent-encoded"},
      {"https://s3.amazonaws.com/echo.api%2Fecho-api-cert-12.pem", "percent-encoded"},
      {"https://s3.amazonaws.com/echo.api\\..\\echo-api-cert-12.pem", "backslash"},
      {"https://s3.amazonaws.com/echo.api", "/echo.api/"},  // the folder itself, no slash
      {"https://s3.amazonaws.com/", "/echo.api/"},
      {"https://s3.amazonaws.com", "/echo.api/"},  // no path at all
      {"https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem ", "white space"},
      {"https://s3.amazonaws.com/echo.api/\necho-api-cert-12.pem", "control character"},
      {"https://s3.amazonaws.com/ECHO.API/echo-api-cert-12.pem", "/echo.api/"},   // the path's case matters
      {"https://s3.amazonaws.com/echo.apis/echo-api-cert-12.pem", "/echo.api/"},  // prefix without the slash
  };
  for (const auto& c : cases) {
    INFO(c.url);
    const auto verdict = check_certificate_url(c.url);
    CHECK_FALSE(verdict.ok());
    CHECK(verdict.failure.find(c.reason) != std::string::npos);
  }
}

TEST_CASE("certificate URL: the file must have the shape of Amazon's names", "[alexa][url][shape]") {
  for (const char* name : {"echo-api-cert-12.pem", "echo-api-cert-6-ats.pem", "echo-api-cert-1.pem",
                           "echo-api-cert-Ab9-z.pem", "echo-api-cert-12345678901234567890123456789012.pem"}) {
    INFO(name);
    const auto verdict = check_certificate_url(std::string("https://s3.amazonaws.com/echo.api/") + name);
    CHECK(verdict.ok());
    CHECK(verdict.failure.empty());
  }
  for (const char* path : {
           "/echo.api/echo-api-cert.pem",  // the platform notes' example: no version
           "/echo.api/cert.pem",
           "/echo.api/",
           "/echo.api/echo-api-cert-.pem",                                   // an empty version
           "/echo.api/echo-api-cert-123456789012345678901234567890123.pem",  // 33 characters
           "/echo.api/echo-api-cert-12.PEM",                                 // Amazon writes it in lower case
           "/echo.api/ECHO-API-CERT-12.pem",
           "/echo.api/Echo-api-cert-12.pem",
           "/echo.api/echo-api-cert-12.pem/",     // a folder of that name
           "/echo.api/sub/echo-api-cert-12.pem",  // not directly under /echo.api/
           "/echo.api/echo-api-cert-12/echo-api-cert-12.pem",
           "/echo.api/echo-api-cert-1_2.pem",  // not [A-Za-z0-9-]
           "/echo.api/echo-api-cert-12.pem.pem",
           "/echo.api/echo-api-cert-%31%32.pem",  // percent-encoded digits
           "/echo.api/echo-api-cert-12.pemx",
           "/echo.api/xecho-api-cert-12.pem",
       }) {
    INFO(path);
    const auto verdict = check_certificate_url(std::string("https://s3.amazonaws.com") + path);
    CHECK_FALSE(verdict.ok());
    CHECK(verdict.failure.find("file name") != std::string::npos);
  }
}

TEST_CASE("certificate URL: a query or a fragment is refused", "[alexa][url]") {
  for (const char* url : {"https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem?v=2",
                          "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem?",
                          "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem#x",
                          // A fragment cannot smuggle the host: what follows '#' is not part of the
                          // authority check.
                          "https://evil.example#@s3.amazonaws.com/echo.api/echo-api-cert-12.pem"}) {
    INFO(url);
    const auto verdict = check_certificate_url(url);
    CHECK_FALSE(verdict.ok());
    CHECK(verdict.failure.find("query or a fragment") != std::string::npos);
  }
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
