#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "channels/alexa/certificate_chain.h"
#include "channels/alexa/trust_store.h"

namespace crampbot::alexa {

// What a certificate fetcher hands back: the PEM text, or why there is none.
struct FetchResult {
  std::string body;   // the fetched text when ok()
  std::string error;  // "" on success

  bool ok() const { return error.empty(); }
};

// Fetches the text at an https URL (in production net::https_get; in tests a map). May be called from
// several requests at once. Should not throw; an exception counts as a failed fetch.
using CertificateFetcher = std::function<boost::asio::awaitable<FetchResult>(std::string url)>;

// The answer to a cache lookup: a chain valid now, or why there is none.
struct ChainLookup {
  std::shared_ptr<const CertificateChain> chain;  // set when ok()
  std::string failure;

  bool ok() const { return failure.empty(); }
};

// Signing certificate chains by URL, so a request does not cost a fetch. Holds at most `capacity` chains,
// each for at most `ttl` after it was fetched (by the `now` of the lookup that fetched it), dropping the
// least recently used when full. Only chains that parsed and checked valid are kept; a failed fetch or a bad
// chain is fetched again next time. Every lookup checks the chain again at its own `now`, so a chain that
// expired since it was cached is refused (and dropped). Thread-safe; the lock is never held across a fetch.
class CertificateCache {
 public:
  // `trust` must not be null.
  CertificateCache(CertificateFetcher fetcher, std::shared_ptr<const TrustStore> trust,
                   std::chrono::seconds ttl, std::size_t capacity = 32);

  // The chain at `url` (already checked against the URL rules, normalised), valid at `now`: from the cache
  // when fresh, otherwise fetched, parsed, checked and cached. Never throws.
  boost::asio::awaitable<ChainLookup> get(std::string url, std::chrono::system_clock::time_point now);

  // How many chains are cached now.
  std::size_t size() const;

 private:
  struct Entry {
    std::shared_ptr<const CertificateChain> chain;
    std::chrono::system_clock::time_point fetched_at;
    std::chrono::system_clock::time_point last_used;
  };

  std::shared_ptr<const CertificateChain> cached(const std::string& url,
                                                 std::chrono::system_clock::time_point now);
  void forget(const std::string& url);
  void store(const std::string& url, std::shared_ptr<const CertificateChain> chain,
             std::chrono::system_clock::time_point now);

  CertificateFetcher fetcher_;
  std::shared_ptr<const TrustStore> trust_;
  std::chrono::seconds ttl_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;  // guarded by mutex_
};

}  // namespace crampbot::alexa
