#include "channels/alexa/trust_store.h"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <openssl/err.h>
#include <openssl/pem.h>

namespace crampbot::alexa {

namespace {

X509StorePtr new_store() {
  X509StorePtr store(X509_STORE_new());
  if (!store) throw std::runtime_error("trust store: out of memory");
  return store;
}

}  // namespace

std::shared_ptr<const TrustStore> TrustStore::system_default() {
  X509StorePtr store = new_store();
  if (X509_STORE_set_default_paths(store.get()) != 1) {
    ERR_clear_error();
    throw std::runtime_error("trust store: cannot load the system's default certificate paths");
  }
  return std::shared_ptr<const TrustStore>(new TrustStore(std::move(store)));
}

std::shared_ptr<const TrustStore> TrustStore::from_pem(std::string_view pem) {
  X509StorePtr store = new_store();
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) throw std::runtime_error("trust store: out of memory");
  int count = 0;
  while (true) {
    X509Ptr certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!certificate) break;
    if (X509_STORE_add_cert(store.get(), certificate.get()) != 1) {
      ERR_clear_error();
      throw std::runtime_error("trust store: cannot add certificate " + std::to_string(count + 1));
    }
    ++count;
  }
  // The loop ends at the end of the text (no start line) or at a block that does not parse.
  const unsigned long last = ERR_peek_last_error();
  ERR_clear_error();
  if (ERR_GET_REASON(last) != PEM_R_NO_START_LINE && last != 0)
    throw std::runtime_error("trust store: certificate " + std::to_string(count + 1) + " does not parse");
  if (count == 0) throw std::runtime_error("trust store: no certificate in the PEM text");
  return std::shared_ptr<const TrustStore>(new TrustStore(std::move(store)));
}

std::shared_ptr<const TrustStore> TrustStore::from_pem_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("trust store: cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return from_pem(text.str());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(file.string() + ": " + e.what());
  }
}

}  // namespace crampbot::alexa
