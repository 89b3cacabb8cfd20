#include "channels/alexa/certificate_cache.h"

#include <algorithm>
#include <exception>
#include <stdexcept>

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

std::shared_ptr<const CertificateChain> CertificateCache::cached(const std::string& url,
                                                                 std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(url);
  if (it == entries_.end()) return nullptr;
  // A clock that went backwards makes the age unknowable: fetch again rather than trust it.
  if (now < it->second.fetched_at || now - it->second.fetched_at >= ttl_) {
    entries_.erase(it);
    return nullptr;
  }
  it->second.last_used = now;
  return it->second.chain;
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

boost::asio::awaitable<ChainLookup> CertificateCache::get(std::string url,
                                                          std::chrono::system_clock::time_point now) {
  try {
    std::shared_ptr<const CertificateChain> chain = cached(url, now);
    if (!chain) {
      FetchResult fetched;
      try {
        fetched = co_await fetcher_(url);
      } catch (const std::exception& e) {
        fetched.error = std::string("the fetcher failed: ") + e.what();
      }
      if (!fetched.ok()) co_return refuse("cannot fetch " + url + ": " + fetched.error);
      ParsedChain parsed = CertificateChain::from_pem(fetched.body);
      if (!parsed.ok()) co_return refuse("the chain at " + url + " is unusable: " + parsed.failure);
      if (CheckResult valid = parsed.chain->check(*trust_, now); !valid.passed())
        co_return refuse(valid.failure);
      store(url, parsed.chain, now);
      co_return ChainLookup{parsed.chain, {}};
    }
    // Cached chains are judged again at every use: the clock moves, certificates expire. One that fails is
    // dropped, so the next request fetches whatever the URL serves by then.
    if (CheckResult valid = chain->check(*trust_, now); !valid.passed()) {
      forget(url);
      co_return refuse(valid.failure);
    }
    co_return ChainLookup{chain, {}};
  } catch (const std::exception& e) {
    co_return refuse(std::string("certificate cache: ") + e.what());
  }
}

}  // namespace crampbot::alexa
