#include "channels/alexa/certificate_url.h"

#include <algorithm>
#include <vector>

namespace crampbot::alexa {

namespace {

constexpr std::string_view kScheme = "https";
constexpr std::string_view kHost = "s3.amazonaws.com";
constexpr std::string_view kPathPrefix = "/echo.api/";
constexpr std::string_view kFilePrefix = "echo-api-cert-";
constexpr std::string_view kFileSuffix = ".pem";
constexpr std::size_t kMaxFileVersion = 32;

char to_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return to_lower(x) == to_lower(y); });
}

CertificateUrl refuse(std::string reason) {
  CertificateUrl out;
  out.failure = std::move(reason);
  return out;
}

// True when `text` has a percent-encoding of '.', '/' or '\': a server might decode it into a segment that
// escapes /echo.api/ after our check has passed.
bool has_encoded_separator(std::string_view text) {
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {
    if (text[i] != '%') continue;
    const char high = text[i + 1];
    const char low = to_lower(text[i + 2]);
    if ((high == '2' && (low == 'e' || low == 'f')) || (high == '5' && low == 'c')) return true;
  }
  return false;
}

// "echo-api-cert-12.pem", "echo-api-cert-6-ats.pem": the names Amazon gives its signing chains, exact case.
bool is_amazon_file_name(std::string_view name) {
  if (!name.starts_with(kFilePrefix) || !name.ends_with(kFileSuffix)) return false;
  const std::string_view version =
      name.substr(kFilePrefix.size(), name.size() - kFilePrefix.size() - kFileSuffix.size());
  if (version.empty() || version.size() > kMaxFileVersion) return false;
  return std::all_of(version.begin(), version.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

std::string remove_dot_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  const bool absolute = !path.empty() && path.front() == '/';
  std::string_view rest = absolute ? path.substr(1) : path;
  bool trailing_slash = false;
  while (true) {
    const std::size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    const bool last = slash == std::string_view::npos;
    if (segment == ".") {
      trailing_slash = last;
    } else if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      trailing_slash = last;
    } else {
      segments.push_back(segment);
      trailing_slash = false;
    }
    if (last) break;
    rest = rest.substr(slash + 1);
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out += '/';
    out += segments[i];
  }
  if (trailing_slash && !out.empty() && out.back() != '/') out += '/';
  return out;
}

CertificateUrl check_certificate_url(std::string_view url) {
  if (url.empty()) return refuse("the URL is empty");
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return refuse("the URL has white space or a control character");
    if (c == '\\') return refuse("the URL has a backslash");
  }
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return refuse("the URL has no scheme");
  if (!iequals(url.substr(0, scheme_end), kScheme)) return refuse("the scheme is not https");

  std::string_view rest = url.substr(scheme_end + 3);
  // Amazon's chain URLs have neither; refusing them keeps an unsigned request from making us fetch a new
  // URL ("…/echo.api/cert.pem?n=1", "?n=2", …) on every call.
  if (rest.find_first_of("?#") != std::string_view::npos) return refuse("the URL has a query or a fragment");
  const std::size_t path_start = rest.find('/');
  const std::string_view authority = rest.substr(0, path_start);
  const std::string_view path = path_start == std::string_view::npos ? "" : rest.substr(path_start);

  if (authority.find('@') != std::string_view::npos) return refuse("the URL has user info");
  const std::size_t colon = authority.find(':');
  const std::string_view host = authority.substr(0, colon);
  if (!iequals(host, kHost)) return refuse("the host is not s3.amazonaws.com");
  if (colon != std::string_view::npos && authority.substr(colon + 1) != "443")
    return refuse("the port is not 443");

  if (has_encoded_separator(path)) return refuse("the path has a percent-encoded dot or slash");
  const std::string normalised = remove_dot_segments(path);
  if (!normalised.starts_with(kPathPrefix)) return refuse("the path does not start with /echo.api/");
  // Any other name cannot be Amazon's, and a free name would let every unsigned request cost us a fetch.
  if (!is_amazon_file_name(std::string_view(normalised).substr(kPathPrefix.size())))
    return refuse("the file name is not of Amazon's shape /echo.api/echo-api-cert-<version>.pem");

  CertificateUrl out;
  out.url = std::string("https://") + std::string(kHost) + normalised;
  return out;
}

}  // namespace crampbot::alexa
