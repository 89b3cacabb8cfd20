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

CertificateCache::Cached CertificateCache::cached(const std::string& url,
                                                  std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(url);
  if (it == entries_.end()) return {};
  it->second.last_used = now;
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

// One fetch in progress. The first lookup of a URL fetches; the others wait here and take its result.
struct CertificateCache::Flight {
  struct Waiter {
    boost::asio::any_io_executor executor;  // where the waiting coroutine runs
    boost::asio::any_completion_handler<void()> resume;
  };

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

boost::asio::awaitable<ChainLookup> CertificateCache::fetch_and_check(
    const std::string& url, std::chrono::system_clock::time_point now) {
  FetchResult fetched;
  try {
    fetched = co_await fetcher_(url);
  } catch (const std::exception& e) {
    fetched.error = std::string("the fetcher failed: ") + e.what();
  }
  if (!fetched.ok()) co_return refuse("cannot fetch " + url + ": " + fetched.error);
  ParsedChain parsed = CertificateChain::from_pem(fetched.body);
  if (!parsed.ok()) co_return refuse("the chain at " + url + " is unusable: " + parsed.failure);
  if (CheckResult valid = parsed.chain->check(*trust_, now); !valid.passed()) co_return refuse(valid.failure);
  store(url, parsed.chain, now);
  co_return ChainLookup{parsed.chain, {}};
}

boost::asio::awaitable<ChainLookup> CertificateCache::fetch_once(const std::string& url,
                                                                 std::chrono::system_clock::time_point now) {
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
      if (flights_.size() >= kMaxConcurrentFetches) {
        co_return refuse("too many certificate chains are being fetched at once");
      }
      flight = std::make_shared<Flight>();
      flights_.emplace(url, flight);
      leader = true;
    }
  }
  if (!leader) {
    co_await flight->wait();
    co_return flight->result;
  }
  ChainLookup result = co_await fetch_and_check(url, now);
  {
    std::lock_guard lock(mutex_);
    flights_.erase(url);
    if (!result.ok()) {
      if (failures_.size() >= kMaxRememberedFailures) {
        failures_.erase(std::min_element(failures_.begin(), failures_.end(),
                                         [](const auto& a, const auto& b) { return a.second < b.second; }));
      }
      failures_[url] = now;
    }
  }
  flight->finish(result);
  co_return result;
}

boost::asio::awaitable<ChainLookup> CertificateCache::get(std::string url,
                                                          std::chrono::system_clock::time_point now) {
  try {
    Cached entry = cached(url, now);
    if (!entry.chain || entry.stale) {
      ChainLookup fetched = co_await fetch_once(url, now);
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
