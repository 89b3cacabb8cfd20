#include "test_pki.h"

#include <ctime>
#include <mutex>
#include <stdexcept>
#include <vector>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace crampbot::test {

namespace {

using Clock = std::chrono::system_clock;
using days = std::chrono::days;

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Free>;
using CertPtr = std::unique_ptr<X509, Free>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Free>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Free>;
using BioPtr = std::unique_ptr<BIO, Free>;

// Test set-up failures are bugs in the test set-up: stop loudly, with OpenSSL's reason.
void require(bool ok, const char* what) {
  if (ok) return;
  char reason[256] = "";
  ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
  ERR_clear_error();
  throw std::runtime_error(std::string("test PKI: ") + what + ": " + reason);
}

KeyPtr new_rsa_key(unsigned bits = 2048) {
  KeyPtr key(EVP_RSA_gen(bits));
  require(key != nullptr, "RSA key generation");
  return key;
}

// CA keys: P-256 is generated in a millisecond where RSA takes a large part of a second, and the verifier
// does not care what kind of key signed the chain.
KeyPtr new_ca_key() {
  KeyPtr key(EVP_EC_gen("P-256"));
  require(key != nullptr, "EC key generation");
  return key;
}

// What distinguishes one certificate from another.
struct CertificateSpec {
  std::string common_name;
  std::vector<std::string> dns_names;  // subjectAltName; none for CAs
  Clock::time_point not_before;
  Clock::time_point not_after;
  bool is_ca = false;
  bool server_auth = false;  // extendedKeyUsage serverAuth, for TLS server certificates
  // keyUsage of a leaf: "" for digitalSignature and keyEncipherment, "none" for no extension at all.
  std::string leaf_key_usage = "";
};

void add_extension(X509* certificate, X509V3_CTX* context, int nid, const std::string& value) {
  ExtensionPtr extension(X509V3_EXT_nconf_nid(nullptr, context, nid, value.c_str()));
  require(extension != nullptr, "certificate extension");
  require(X509_add_ext(certificate, extension.get(), -1) == 1, "adding a certificate extension");
}

// A certificate for `key` as `spec` says, signed by `issuer_key` as `issuer` (nullptr: self-signed).
CertPtr make_certificate(const CertificateSpec& spec, EVP_PKEY* key, const X509* issuer,
                         EVP_PKEY* issuer_key) {
  static std::mutex serial_mutex;
  static long next_serial = 1;
  long serial = 0;
  {
    std::lock_guard lock(serial_mutex);
    serial = next_serial++;
  }
  CertPtr certificate(X509_new());
  require(certificate != nullptr, "X509_new");
  X509* x = certificate.get();
  require(X509_set_version(x, X509_VERSION_3) == 1, "version");
  require(ASN1_INTEGER_set(X509_get_serialNumber(x), serial) == 1, "serial number");
  require(ASN1_TIME_set(X509_getm_notBefore(x), Clock::to_time_t(spec.not_before)) != nullptr, "notBefore");
  require(ASN1_TIME_set(X509_getm_notAfter(x), Clock::to_time_t(spec.not_after)) != nullptr, "notAfter");
  require(X509_set_pubkey(x, key) == 1, "public key");
  X509_NAME* name = X509_get_subject_name(x);
  require(
      X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>("crampbot test PKI"), -1, -1, 0) == 1,
      "subject O");
  require(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1, -1,
                                     0) == 1,
          "subject CN");
  require(X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name) == 1, "issuer name");

  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer ? const_cast<X509*>(issuer) : x, x, nullptr, nullptr, 0);
  if (spec.is_ca) {
    add_extension(x, &context, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(x, &context, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(x, &context, NID_basic_constraints, "critical,CA:FALSE");
    if (spec.leaf_key_usage != "none") {
      add_extension(
          x, &context, NID_key_usage,
          "critical," + (spec.leaf_key_usage.empty() ? std::string("digitalSignature,keyEncipherment")
                                                     : spec.leaf_key_usage));
    }
  }
  add_extension(x, &context, NID_subject_key_identifier, "hash");
  if (issuer) add_extension(x, &context, NID_authority_key_identifier, "keyid:always");
  if (spec.server_auth) add_extension(x, &context, NID_ext_key_usage, "serverAuth");
  if (!spec.dns_names.empty()) {
    std::string names;
    for (const auto& dns : spec.dns_names)
      names += (names.empty() ? "DNS:" : ",DNS:") + dns;
    add_extension(x, &context, NID_subject_alt_name, names);
  }
  require(X509_sign(x, issuer_key, EVP_sha256()) > 0, "signing the certificate");
  return certificate;
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(length));
}

std::string certificate_pem(const X509* certificate) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  require(bio && PEM_write_bio_X509(bio.get(), certificate) == 1, "PEM of a certificate");
  return bio_text(bio.get());
}

std::string private_key_pem(const EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  require(bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "PEM of a private key");
  return bio_text(bio.get());
}

std::string sign_with(EVP_PKEY* key, std::string_view body) {
  MdCtxPtr context(EVP_MD_CTX_new());
  require(context != nullptr, "EVP_MD_CTX_new");
  EVP_PKEY_CTX* key_context = nullptr;
  require(EVP_DigestSignInit(context.get(), &key_context, EVP_sha256(), nullptr, key) == 1, "sign init");
  require(EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PADDING) > 0, "PKCS#1 padding");
  std::size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(body.data());
  require(EVP_DigestSign(context.get(), nullptr, &length, data, body.size()) == 1, "signature length");
  std::vector<unsigned char> signature(length);
  require(EVP_DigestSign(context.get(), signature.data(), &length, data, body.size()) == 1, "signing");
  std::string base64(4 * ((length + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(base64.data()), signature.data(),
                                      static_cast<int>(length));
  base64.resize(static_cast<std::size_t>(written));
  return base64;
}

}  // namespace

struct TestPki::Impl {
  Clock::time_point now;
  KeyPtr root_key, intermediate_key, untrusted_key, leaf_key;
  mutable std::once_flag wrong_key_made;  // made on first use: most tests never need it
  mutable KeyPtr wrong_key;
  CertPtr root, intermediate, untrusted_root;
  KeyPtr weak_leaf_key, ec_leaf_key;
  CertPtr good, expired, not_yet_valid, wrong_san, untrusted;
  CertPtr weak_key, ec_key, no_digital_signature, no_key_usage;

  CertificateSpec leaf_spec(std::vector<std::string> names, Clock::time_point from,
                            Clock::time_point to) const {
    return CertificateSpec{"echo-api.amazon.com", std::move(names), from, to, false, true};
  }
};

TestPki::TestPki(Clock::time_point now) : impl_(std::make_unique<Impl>()) {
  Impl& p = *impl_;
  p.now = now;
  p.root_key = new_ca_key();
  p.intermediate_key = new_ca_key();
  p.untrusted_key = new_ca_key();
  p.leaf_key = new_rsa_key();

  const auto ca_from = now - days(365);
  const auto ca_to = now + days(3650);
  p.root = make_certificate({"crampbot test root CA", {}, ca_from, ca_to, true, false}, p.root_key.get(),
                            nullptr, p.root_key.get());
  p.intermediate = make_certificate({"crampbot test intermediate CA", {}, ca_from, ca_to, true, false},
                                    p.intermediate_key.get(), p.root.get(), p.root_key.get());
  p.untrusted_root = make_certificate({"crampbot untrusted root CA", {}, ca_from, ca_to, true, false},
                                      p.untrusted_key.get(), nullptr, p.untrusted_key.get());

  const std::vector<std::string> alexa = {"echo-api.amazon.com"};
  EVP_PKEY* leaf = p.leaf_key.get();
  const X509* issuer = p.intermediate.get();
  EVP_PKEY* issuer_key = p.intermediate_key.get();
  p.good = make_certificate(p.leaf_spec(alexa, now - days(1), now + days(30)), leaf, issuer, issuer_key);
  p.expired = make_certificate(p.leaf_spec(alexa, now - days(60), now - days(1)), leaf, issuer, issuer_key);
  p.not_yet_valid =
      make_certificate(p.leaf_spec(alexa, now + days(1), now + days(60)), leaf, issuer, issuer_key);
  p.wrong_san = make_certificate(p.leaf_spec({"echo-api.example.com"}, now - days(1), now + days(30)), leaf,
                                 issuer, issuer_key);
  p.untrusted = make_certificate(p.leaf_spec(alexa, now - days(1), now + days(30)), leaf,
                                 p.untrusted_root.get(), p.untrusted_key.get());

  p.weak_leaf_key = new_rsa_key(1024);
  p.ec_leaf_key = new_ca_key();  // P-256, as the CAs'
  p.weak_key = make_certificate(p.leaf_spec(alexa, now - days(1), now + days(30)), p.weak_leaf_key.get(),
                                issuer, issuer_key);
  p.ec_key = make_certificate(p.leaf_spec(alexa, now - days(1), now + days(30)), p.ec_leaf_key.get(), issuer,
                              issuer_key);
  CertificateSpec encipher_only = p.leaf_spec(alexa, now - days(1), now + days(30));
  encipher_only.leaf_key_usage = "keyEncipherment";
  p.no_digital_signature = make_certificate(encipher_only, leaf, issuer, issuer_key);
  CertificateSpec no_usage = p.leaf_spec(alexa, now - days(1), now + days(30));
  no_usage.leaf_key_usage = "none";
  p.no_key_usage = make_certificate(no_usage, leaf, issuer, issuer_key);
}

TestPki::~TestPki() = default;

const TestPki& TestPki::shared() {
  static const TestPki pki;
  return pki;
}

Clock::time_point TestPki::now() const {
  return impl_->now;
}

std::string TestPki::root_pem() const {
  return certificate_pem(impl_->root.get());
}

std::string TestPki::untrusted_root_pem() const {
  return certificate_pem(impl_->untrusted_root.get());
}

std::string TestPki::chain_pem(SigningCertificate which, bool with_intermediate) const {
  const Impl& p = *impl_;
  const X509* leaf = nullptr;
  const X509* issuer = p.intermediate.get();
  switch (which) {
    case SigningCertificate::good:
      leaf = p.good.get();
      break;
    case SigningCertificate::expired:
      leaf = p.expired.get();
      break;
    case SigningCertificate::not_yet_valid:
      leaf = p.not_yet_valid.get();
      break;
    case SigningCertificate::wrong_san:
      leaf = p.wrong_san.get();
      break;
    case SigningCertificate::untrusted:
      leaf = p.untrusted.get();
      issuer = p.untrusted_root.get();
      break;
    case SigningCertificate::weak_key:
      leaf = p.weak_key.get();
      break;
    case SigningCertificate::ec_key:
      leaf = p.ec_key.get();
      break;
    case SigningCertificate::no_digital_signature:
      leaf = p.no_digital_signature.get();
      break;
    case SigningCertificate::no_key_usage:
      leaf = p.no_key_usage.get();
      break;
  }
  std::string out = certificate_pem(leaf);
  if (with_intermediate) out += certificate_pem(issuer);
  return out;
}

std::string TestPki::sign_base64(std::string_view body) const {
  return sign_with(impl_->leaf_key.get(), body);
}

std::string TestPki::sign_base64_with_wrong_key(std::string_view body) const {
  std::call_once(impl_->wrong_key_made, [this] { impl_->wrong_key = new_rsa_key(); });
  return sign_with(impl_->wrong_key.get(), body);
}

TlsIdentity TestPki::tls_server_identity(const std::string& dns_name, bool trusted) const {
  const Impl& p = *impl_;
  const CertificateSpec spec{dns_name, {dns_name}, p.now - days(1), p.now + days(30), false, true};
  const X509* issuer = trusted ? p.intermediate.get() : p.untrusted_root.get();
  EVP_PKEY* issuer_key = trusted ? p.intermediate_key.get() : p.untrusted_key.get();
  CertPtr certificate = make_certificate(spec, p.leaf_key.get(), issuer, issuer_key);
  TlsIdentity out;
  out.certificate_chain_pem = certificate_pem(certificate.get()) + (trusted ? certificate_pem(issuer) : "");
  out.private_key_pem = private_key_pem(p.leaf_key.get());
  return out;
}

}  // namespace crampbot::test
