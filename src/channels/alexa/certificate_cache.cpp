#include "channels/alexa/certificate_cache.h"

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <vector>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace crampbot::alexa {

namespace {

ChainLookup refuse(std::string reason) {
  ChainLookup out;
  out.failure = std::move(reason);
  return out;
}

}  // namespace

CertificateCache::CertificateCache(CertificateFetcher fetcher, std::shared_ptr<const TrustStore> trust,
                                   std::chrono::seconds ttl, std::size_t capacity)
    : fetcher_(std::move(fetcher)),
      trust_(std::move(trust)),
      ttl_(ttl),
      capacity_(std::max<std::size_t>(capacity, 1)) {
  if (!fetcher_) throw std::invalid_argument("certificate cache: no fetcher");
  if (!trust_) throw std::invalid_argument("certificate cache: no trust store");
}

std::size_t CertificateCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

bool CertificateCache::known_good(const std::string& url) const {
  std::lock_guard lock(mutex_);
  return known_good_.count(url) > 0;
}

CertificateCache::Cached CertificateCache::cached(const std::string& url,
                                                  std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(url);
  if (it == entries_.end()) return {};
  it->second.last_used = now;
  if (const auto known = known_good_.find(url); known != known_good_.end()) known->second = ++use_clock_;
  // A clock that went backwards makes the age unknowable: fetch again rather than trust it.
  const bool stale = now < it->second.fetched_at || now - it->second.fetched_at >= ttl_;
  return {it->second.chain, stale};
}

void CertificateCache::forget(const std::string& url) {
  std::lock_guard lock(mutex_);
  entries_.erase(url);
}

void CertificateCache::store(const std::string& url, std::shared_ptr<const CertificateChain> chain,
                             std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (!entries_.count(url) && entries_.size() >= capacity_) {
    // A few dozen entries: a scan is cheaper and simpler than keeping an LRU list in step.
    const auto oldest = std::min_element(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
      return a.second.last_used < b.second.last_used;
    });
    entries_.erase(oldest);
  }
  entries_[url] = Entry{std::move(chain), now, now};
}

void CertificateCache::remember_known_good(const std::string& url) {
  known_good_[url] = ++use_clock_;
  if (known_good_.size() > kMaxKnownGoodUrls) {
    known_good_.erase(std::min_element(known_good_.begin(), known_good_.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; }));
  }
}

void CertificateCache::remember_failure(const std::string& url, std::chrono::system_clock::time_point now) {
  if (failures_.size() >= kMaxRememberedFailures && !failures_.count(url)) {
    failures_.erase(std::min_element(failures_.begin(), failures_.end(),
                                     [](const auto& a, const auto& b) { return a.second < b.second; }));
  }
  failures_[url] = now;
}

// One fetch in progress. The first lookup of a URL fetches; the others wait here and take its result.
struct CertificateCache::Flight {
  struct Waiter {
    boost::asio::any_io_executor executor;  // where the waiting coroutine runs
    boost::asio::any_completion_handler<void()> resume;
  };

  // Set by the leader when it takes its slot, under the cache's mutex; read back when the fetch ends.
  bool known_good = false;  // took a slot open to known-good URLs
  std::string client;       // whose unknown-URL slot it took

  std::mutex mutex;
  bool done = false;
  ChainLookup result;
  std::vector<Waiter> waiters;

  // Suspends until the fetch is done (at once, when it already is).
  boost::asio::awaitable<void> wait() {
    co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void()>(
        [this](auto handler) {
          boost::asio::any_io_executor executor = boost::asio::get_associated_executor(handler);
          Waiter waiter{executor, std::move(handler)};
          std::unique_lock lock(mutex);
          if (!done) {
            waiters.push_back(std::move(waiter));
            return;
          }
          lock.unlock();
          resume(std::move(waiter));
        },
        boost::asio::use_awaitable);
  }

  // Records the result and resumes every waiter on its own executor.
  void finish(ChainLookup lookup) {
    std::vector<Waiter> resumed;
    {
      std::lock_guard lock(mutex);
      result = std::move(lookup);
      done = true;
      resumed.swap(waiters);
    }
    for (auto& waiter : resumed)
      resume(std::move(waiter));
  }

  static void resume(Waiter waiter) {
    boost::asio::post(waiter.executor,
                      [resume = std::move(waiter.resume)]() mutable { std::move(resume)(); });
  }
};

CertificateCache::~CertificateCache() = default;

boost::asio::awaitable<CertificateCache::Fetched> CertificateCache::fetch_and_check(
    const std::string& url, std::chrono::system_clock::time_point now) {
  // Never throws: the caller must give back the fetch's slot whatever happens here.
  try {
    FetchResult fetched;
    try {
      fetched = co_await fetcher_(url);
    } catch (const std::exception& e) {
      fetched.error = std::string("the fetcher failed: ") + e.what();
    }
    if (!fetched.ok()) co_return Fetched{refuse("cannot fetch " + url + ": " + fetched.error), true};
    ParsedChain parsed = CertificateChain::from_pem(fetched.body);
    if (!parsed.ok()) co_return Fetched{refuse("the chain at " + url + " is unusable: " + parsed.failure)};
    if (CheckResult valid = parsed.chain->check(*trust_, now); !valid.passed())
      co_return Fetched{refuse(valid.failure)};
    store(url, parsed.chain, now);
    co_return Fetched{ChainLookup{parsed.chain, {}}};
  } catch (const std::exception& e) {
    co_return Fetched{refuse("checking the chain at " + url + " failed: " + e.what())};
  }
}

boost::asio::awaitable<ChainLookup> CertificateCache::fetch_once(const std::string& url,
                                                                 std::chrono::system_clock::time_point now,
                                                                 const std::string& client) {
  std::shared_ptr<Flight> flight;
  bool leader = false;
  {
    std::lock_guard lock(mutex_);
    if (const auto failed = failures_.find(url); failed != failures_.end()) {
      if (now >= failed->second && now - failed->second < kFailureMemory) {
        co_return refuse("the chain at " + url + " could not be fetched a moment ago; not trying again yet");
      }
      failures_.erase(failed);
    }
    if (const auto existing = flights_.find(url); existing != flights_.end()) {
      flight = existing->second;
    } else {
      constexpr std::size_t kAllSlots = kMaxConcurrentFetches + kKnownGoodFetchSlots;
      const bool known = known_good_.count(url) > 0;
      const auto by_client = unknown_fetches_by_client_.find(client);
      if (!known && by_client != unknown_fetches_by_client_.end() &&
          by_client->second >= kMaxUnknownFetchesPerClient) {
        co_return refuse("this client already has a certificate chain fetch in progress");
      }
      if (unknown_fetches_ + known_good_fetches_ >= kAllSlots ||
          (!known && unknown_fetches_ >= kMaxConcurrentFetches)) {
        co_return refuse("too many certificate chains are being fetched at once");
      }
      flight = std::make_shared<Flight>();
      flight->known_good = known;
      if (known) {
        ++known_good_fetches_;
      } else {
        flight->client = client;
        ++unknown_fetches_;
        ++unknown_fetches_by_client_[client];
      }
      flights_.emplace(url, flight);
      leader = true;
    }
  }
  if (!leader) {
    co_await flight->wait();
    co_return flight->result;
  }
  Fetched fetched = co_await fetch_and_check(url, now);
  {
    std::lock_guard lock(mutex_);
    flights_.erase(url);
    if (flight->known_good) {
      --known_good_fetches_;
    } else {
      --unknown_fetches_;
      if (const auto by_client = unknown_fetches_by_client_.find(flight->client);
          by_client != unknown_fetches_by_client_.end() && --by_client->second == 0) {
        unknown_fetches_by_client_.erase(by_client);
      }
    }
    // A fetch of a URL that served a good chain before is tried again at once: the failure is most likely
    // the network's, and remembering it would refuse genuine requests for kFailureMemory.
    const bool worth_retrying = fetched.transport_failed && known_good_.count(url) > 0;
    if (fetched.lookup.ok()) {
      remember_known_good(url);
    } else if (!worth_retrying) {
      remember_failure(url, now);
    }
  }
  flight->finish(fetched.lookup);
  co_return fetched.lookup;
}

boost::asio::awaitable<ChainLookup> CertificateCache::get(std::string url,
                                                          std::chrono::system_clock::time_point now,
                                                          std::string client) {
  try {
    Cached entry = cached(url, now);
    if (!entry.chain || entry.stale) {
      ChainLookup fetched = co_await fetch_once(url, now, client);
      if (fetched.ok() || !entry.chain) co_return fetched;
      // The refresh failed; the chain we have still counts while it passes its checks below.
    }
    // Cached chains are judged again at every use: the clock moves, certificates expire. One that fails is
    // dropped, so the next request fetches whatever the URL serves by then.
    if (CheckResult valid = entry.chain->check(*trust_, now); !valid.passed()) {
      forget(url);
      co_return refuse(valid.failure);
    }
    co_return ChainLookup{entry.chain, {}};
  } catch (const std::exception& e) {
    co_return refuse(std::string("certificate cache: ") + e.what());
  }
}

}  // namespace crampbot::alexa
