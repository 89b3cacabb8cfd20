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
// dropping the least recently used when full. Only chains that parsed and checked valid are kept. Every
// lookup checks the chain again at its own `now`, so a chain that expired since it was cached is refused
// (and dropped).
//
// Fetching is guarded, because the URL comes from a request that is not verified yet:
// - a chain older than `ttl` is fetched again, but while that fetch fails (or cannot start) the cached
//   chain keeps serving as long as it is still valid, so no attacker can starve a refresh;
// - concurrent lookups of one URL share one fetch;
// - at most kMaxConcurrentFetches fetches run at once; beyond that a lookup fails at once;
// - a URL whose fetch failed is not fetched again for kFailureMemory (at most kMaxRememberedFailures URLs).
// Thread-safe; the lock is never held across a fetch.
class CertificateCache {
 public:
  static constexpr std::size_t kMaxConcurrentFetches = 4;
  static constexpr std::chrono::seconds kFailureMemory{30};
  static constexpr std::size_t kMaxRememberedFailures = 256;

  // `trust` must not be null.
  CertificateCache(CertificateFetcher fetcher, std::shared_ptr<const TrustStore> trust,
                   std::chrono::seconds ttl, std::size_t capacity = 32);
  ~CertificateCache();

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
  struct Flight;  // one fetch in progress, and the lookups waiting for it

  struct Cached {
    std::shared_ptr<const CertificateChain> chain;  // null when there is none
    bool stale = false;                             // older than the ttl: worth fetching again
  };
  Cached cached(const std::string& url, std::chrono::system_clock::time_point now);
  void forget(const std::string& url);
  void store(const std::string& url, std::shared_ptr<const CertificateChain> chain,
             std::chrono::system_clock::time_point now);
  boost::asio::awaitable<ChainLookup> fetch_once(const std::string& url,
                                                 std::chrono::system_clock::time_point now);
  boost::asio::awaitable<ChainLookup> fetch_and_check(const std::string& url,
                                                      std::chrono::system_clock::time_point now);

  CertificateFetcher fetcher_;
  std::shared_ptr<const TrustStore> trust_;
  std::chrono::seconds ttl_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;                                   // guarded by mutex_
  std::map<std::string, std::shared_ptr<Flight>> flights_;                 // guarded by mutex_
  std::map<std::string, std::chrono::system_clock::time_point> failures_;  // guarded by mutex_
};

}  // namespace crampbot::alexa
