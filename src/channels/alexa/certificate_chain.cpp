#include "channels/alexa/certificate_chain.h"

#include <algorithm>
#include <ctime>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

namespace crampbot::alexa {

namespace {

using Clock = std::chrono::system_clock;

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

// An ASN1 time as OpenSSL prints it ("Jan  2 03:04:05 2030 GMT"), for messages.
std::string printable(const ASN1_TIME* time) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || ASN1_TIME_print(bio.get(), time) != 1) {
    ERR_clear_error();
    return "an unreadable time";
  }
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return length > 0 && data ? std::string(data, static_cast<std::size_t>(length)) : std::string("?");
}

Clock::time_point to_time_point(const ASN1_TIME* time) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(time, &tm) != 1) {
    ERR_clear_error();
    return Clock::time_point{};
  }
  const std::chrono::year_month_day day{std::chrono::year{tm.tm_year + 1900},
                                        std::chrono::month{static_cast<unsigned>(tm.tm_mon + 1)},
                                        std::chrono::day{static_cast<unsigned>(tm.tm_mday)}};
  return std::chrono::sys_days{day} + std::chrono::hours{tm.tm_hour} + std::chrono::minutes{tm.tm_min} +
         std::chrono::seconds{tm.tm_sec};
}

}  // namespace

ParsedChain CertificateChain::from_pem(std::string_view pem) {
  ParsedChain out;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(std::min<std::size_t>(pem.size(), INT32_MAX))));
  if (!bio) {
    out.failure = "out of memory";
    return out;
  }
  std::vector<X509Ptr> certificates;
  while (true) {
    X509Ptr certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!certificate) break;
    if (certificates.size() == kMaxCertificates) {
      ERR_clear_error();
      out.failure = "more than " + std::to_string(kMaxCertificates) + " certificates";
      return out;
    }
    // Fills OpenSSL's cached extension data now, so later checks from many threads only read it.
    X509_check_purpose(certificate.get(), -1, 0);
    certificates.push_back(std::move(certificate));
  }
  // Reading stops at the end of the text (no further start line) or at a block that does not parse.
  const unsigned long last = ERR_peek_last_error();
  ERR_clear_error();
  if (last != 0 && ERR_GET_REASON(last) != PEM_R_NO_START_LINE) {
    out.failure = "certificate " + std::to_string(certificates.size() + 1) + " does not parse";
    return out;
  }
  if (certificates.empty()) {
    out.failure = "no PEM certificate in the fetched text";
    return out;
  }
  out.chain = std::shared_ptr<const CertificateChain>(new CertificateChain(std::move(certificates)));
  return out;
}

Clock::time_point CertificateChain::not_before() const {
  return to_time_point(X509_get0_notBefore(certificates_.front().get()));
}

Clock::time_point CertificateChain::not_after() const {
  return to_time_point(X509_get0_notAfter(certificates_.front().get()));
}

CheckResult CertificateChain::check(const TrustStore& trust, Clock::time_point now) const {
  const std::time_t t = Clock::to_time_t(now);
  if (auto window = check_leaf_window(t); !window.passed()) return window;
  if (auto name = check_signing_name(); !name.passed()) return name;
  if (auto key = check_signing_key(); !key.passed()) return key;
  return check_path(trust, t);
}

CheckResult CertificateChain::check_leaf_window(std::time_t now) const {
  const X509* leaf = certificates_.front().get();
  const ASN1_TIME* not_before = X509_get0_notBefore(leaf);
  const ASN1_TIME* not_after = X509_get0_notAfter(leaf);
  // ASN1_TIME_cmp_time_t: -1 earlier than `now`, 0 equal, 1 later, -2 unreadable.
  const int start = ASN1_TIME_cmp_time_t(not_before, now);
  const int end = ASN1_TIME_cmp_time_t(not_after, now);
  if (start == -2 || end == -2) {
    ERR_clear_error();
    return CheckResult::fail("the signing certificate's validity dates are unreadable");
  }
  if (start > 0)
    return CheckResult::fail("the signing certificate is not valid before " + printable(not_before));
  if (end < 0) return CheckResult::fail("the signing certificate expired on " + printable(not_after));
  return CheckResult::pass();
}

CheckResult CertificateChain::check_signing_name() const {
  GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificates_.front().get(), NID_subject_alt_name, nullptr, nullptr)));
  ERR_clear_error();
  if (names) {
    for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
      if (name->type != GEN_DNS) continue;
      const ASN1_STRING* dns = name->d.dNSName;
      const std::string_view value(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                                   static_cast<std::size_t>(ASN1_STRING_length(dns)));
      // Exact name, any case; an embedded NUL makes the lengths differ.
      if (iequals(value, kSigningName)) return CheckResult::pass();
    }
  }
  return CheckResult::fail("the signing certificate's subjectAltName does not name " +
                           std::string(kSigningName));
}

CheckResult CertificateChain::check_signing_key() const {
  X509* leaf = certificates_.front().get();
  // X509_get0_pubkey: owned by the certificate.
  const EVP_PKEY* key = X509_get0_pubkey(leaf);
  if (!key) {
    ERR_clear_error();
    return CheckResult::fail("the signing certificate's public key is unreadable");
  }
  if (EVP_PKEY_is_a(key, "RSA") != 1) {
    const char* type = EVP_PKEY_get0_type_name(key);
    return CheckResult::fail(std::string("the signing certificate's key is not RSA (it is ") +
                             (type ? type : "of an unknown type") + ")");
  }
  if (const int bits = EVP_PKEY_get_bits(key); bits < kMinRsaKeyBits) {
    return CheckResult::fail("the signing certificate's RSA key has " + std::to_string(bits) +
                             " bits; at least " + std::to_string(kMinRsaKeyBits) + " are required");
  }
  // The extension flags were cached when the chain was parsed; this only reads them.
  if ((X509_get_extension_flags(leaf) & EXFLAG_INVALID) != 0)
    return CheckResult::fail("the signing certificate has an extension that does not parse");
  if ((X509_get_extension_flags(leaf) & EXFLAG_KUSAGE) != 0 &&
      (X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE) == 0) {
    return CheckResult::fail("the signing certificate's key usage does not allow digital signatures");
  }
  return CheckResult::pass();
}

CheckResult CertificateChain::check_path(const TrustStore& trust, std::time_t now) const {
  X509StackPtr intermediates(sk_X509_new_null());
  X509StoreCtxPtr context(X509_STORE_CTX_new());
  if (!intermediates || !context) return CheckResult::fail("out of memory");
  for (std::size_t i = 1; i < certificates_.size(); ++i) {
    if (sk_X509_push(intermediates.get(), certificates_[i].get()) <= 0) {
      ERR_clear_error();
      return CheckResult::fail("out of memory");
    }
  }
  if (X509_STORE_CTX_init(context.get(), trust.native(), certificates_.front().get(), intermediates.get()) !=
      1) {
    ERR_clear_error();
    return CheckResult::fail("cannot start chain verification");
  }
  // The caller's clock, not the system's: tests move it, and a cached chain is judged at each use.
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(context.get()), now);
  if (X509_verify_cert(context.get()) != 1) {
    const int error = X509_STORE_CTX_get_error(context.get());
    const int depth = X509_STORE_CTX_get_error_depth(context.get());
    ERR_clear_error();
    return CheckResult::fail("the certificate chain does not lead to a trusted root: " +
                             std::string(X509_verify_cert_error_string(error)) + " (certificate " +
                             std::to_string(depth + 1) + ")");
  }
  return CheckResult::pass();
}

CheckResult CertificateChain::verify_signature(std::string_view body,
                                               std::span<const unsigned char> signature) const {
  // X509_get0_pubkey: owned by the certificate.
  EVP_PKEY* key = X509_get0_pubkey(certificates_.front().get());
  if (!key) {
    ERR_clear_error();
    return CheckResult::fail("the signing certificate's public key is unreadable");
  }
  if (EVP_PKEY_is_a(key, "RSA") != 1) return CheckResult::fail("the signing certificate's key is not RSA");
  if (signature.empty()) return CheckResult::fail("the signature is empty");
  EvpMdCtxPtr context(EVP_MD_CTX_new());
  if (!context) return CheckResult::fail("out of memory");
  EVP_PKEY_CTX* key_context = nullptr;  // owned by `context`
  if (EVP_DigestVerifyInit(context.get(), &key_context, EVP_sha256(), nullptr, key) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PADDING) <= 0) {
    ERR_clear_error();
    return CheckResult::fail("cannot start signature verification");
  }
  const int verdict = EVP_DigestVerify(context.get(), signature.data(), signature.size(),
                                       reinterpret_cast<const unsigned char*>(body.data()), body.size());
  ERR_clear_error();
  if (verdict != 1)
    return CheckResult::fail("the signature does not match the body and the signing certificate");
  return CheckResult::pass();
}

}  // namespace crampbot::alexa
