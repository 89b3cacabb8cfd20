#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "channels/alexa/openssl_handles.h"

namespace crampbot::alexa {

// The roots a certificate chain must lead to: an OpenSSL X509_STORE, owned. Immutable once built, so one
// store serves every thread (OpenSSL locks its own lookups).
class TrustStore {
 public:
  // The system's trusted roots (Debian's ca-certificates, through OpenSSL's default paths). Throws
  // std::runtime_error when OpenSSL cannot set them up (start-up only).
  static std::shared_ptr<const TrustStore> system_default();

  // The certificates in `pem` (one or more PEM blocks) as the only roots. Throws std::runtime_error when the
  // text holds no certificate or a block does not parse (start-up and tests only).
  static std::shared_ptr<const TrustStore> from_pem(std::string_view pem);

  // As from_pem, reading the text from `file`; the message names the file.
  static std::shared_ptr<const TrustStore> from_pem_file(const std::filesystem::path& file);

  // The store, for X509_STORE_CTX_init. OpenSSL's API takes it non-const; verification only reads it.
  X509_STORE* native() const { return store_.get(); }

 private:
  explicit TrustStore(X509StorePtr store) : store_(std::move(store)) {}
  X509StorePtr store_;
};

}  // namespace crampbot::alexa
