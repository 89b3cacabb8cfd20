#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
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
// Fetching is guarded, because the URL and the client come from a request that is not verified yet:
// - a chain older than `ttl` is fetched again, but while that fetch fails (or cannot start) the cached
//   chain keeps serving as long as it is still valid, so no attacker can starve a refresh;
// - concurrent lookups of one URL share one fetch;
// - a URL whose chain was once fetched and checked good is "known good" for the life of the process (the
//   kMaxKnownGoodUrls most recently used). At most kMaxConcurrentFetches + kKnownGoodFetchSlots fetches run
//   at once, of which fetches of unknown URLs take at most kMaxConcurrentFetches: the other
//   kKnownGoodFetchSlots are always open to known-good URLs, so no flood of requests naming fresh URLs can
//   refuse the fetch of a URL that worked before. A lookup that finds no slot fails at once;
// - a client has at most kMaxUnknownFetchesPerClient fetch of an unknown URL in flight; more from it fail at
//   once (joining a fetch of the same URL already under way costs no slot). Known-good URLs are exempt. The
//   count per client is kept only while its fetches run (at most kMaxConcurrentFetches clients);
// - a URL whose fetch failed is not fetched again for kFailureMemory (at most kMaxRememberedFailures URLs),
//   except that a known-good URL's failed fetch (a timeout, a transport error, an HTTP status) is not
//   remembered: the next lookup fetches it again. A known-good URL that serves an unusable or invalid chain
//   is remembered like any other.
// Thread-safe; the lock is never held across a fetch.
class CertificateCache {
 public:
  static constexpr std::size_t kMaxConcurrentFetches = 4;
  static constexpr std::size_t kKnownGoodFetchSlots = 2;
  static constexpr std::size_t kMaxUnknownFetchesPerClient = 1;
  static constexpr std::size_t kMaxKnownGoodUrls = 16;
  static constexpr std::chrono::seconds kFailureMemory{30};
  static constexpr std::size_t kMaxRememberedFailures = 256;

  // `trust` must not be null.
  CertificateCache(CertificateFetcher fetcher, std::shared_ptr<const TrustStore> trust,
                   std::chrono::seconds ttl, std::size_t capacity = 32);
  ~CertificateCache();

  // The chain at `url` (already checked against the URL rules, normalised), valid at `now`: from the cache
  // when fresh, otherwise fetched, parsed, checked and cached. `client` names who asked (its address as
  // text; opaque, "" is one shared client) for the per-client limit. Never throws.
  boost::asio::awaitable<ChainLookup> get(std::string url, std::chrono::system_clock::time_point now,
                                          std::string client);

  // How many chains are cached now.
  std::size_t size() const;
  // Whether `url`'s chain was fetched and checked good before (and is still among the remembered ones).
  bool known_good(const std::string& url) const;

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
  // What one fetch found: the chain, or why not, and whether the fetch itself failed (no text came back).
  struct Fetched {
    ChainLookup lookup;
    bool transport_failed = false;
  };
  Cached cached(const std::string& url, std::chrono::system_clock::time_point now);
  void forget(const std::string& url);
  void store(const std::string& url, std::shared_ptr<const CertificateChain> chain,
             std::chrono::system_clock::time_point now);
  void remember_known_good(const std::string& url);  // with mutex_ held
  void remember_failure(const std::string& url, std::chrono::system_clock::time_point now);  // mutex_ held
  boost::asio::awaitable<ChainLookup> fetch_once(const std::string& url,
                                                 std::chrono::system_clock::time_point now,
                                                 const std::string& client);
  boost::asio::awaitable<Fetched> fetch_and_check(const std::string& url,
                                                  std::chrono::system_clock::time_point now);

  CertificateFetcher fetcher_;
  std::shared_ptr<const TrustStore> trust_;
  std::chrono::seconds ttl_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;                                   // guarded by mutex_
  std::map<std::string, std::shared_ptr<Flight>> flights_;                 // guarded by mutex_
  std::map<std::string, std::chrono::system_clock::time_point> failures_;  // guarded by mutex_
  // URL → when last fetched good or used, in use_clock_ ticks; guarded by mutex_.
  std::map<std::string, std::uint64_t> known_good_;
  std::uint64_t use_clock_ = 0;         // guarded by mutex_
  std::size_t unknown_fetches_ = 0;     // flights of URLs not known good; guarded by mutex_
  std::size_t known_good_fetches_ = 0;  // guarded by mutex_
  std::map<std::string, std::size_t> unknown_fetches_by_client_;  // no zero counts; guarded by mutex_
};

}  // namespace crampbot::alexa
