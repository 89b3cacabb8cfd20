#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include <boost/asio/ip/address.hpp>

namespace crampbot::server {

// A token bucket per client (server.rate_limit_rps, server.rate_limit_burst): a client may send `burst`
// requests at once, then `rate` a second. An IPv6 client is its /64, as one host is given a whole /64 and
// could otherwise take a fresh bucket per request. At most `max_clients` buckets are kept; the least
// recently used goes first, which at worst gives a client idle for the longest a full bucket again.
// Thread-safe; one short lock per request.
class ClientRateLimiter {
 public:
  struct Decision {
    bool allowed = true;
    std::chrono::seconds retry_after{0};  // when refused: until one request is allowed again, at least 1 s
  };

  // `rate` requests a second (0: no limit at all), `burst` at once (at least 1 when limiting).
  ClientRateLimiter(double rate, double burst, std::size_t max_clients = 65'536);

  bool enabled() const { return rate_ > 0; }

  // Takes one token from `client`'s bucket at `now`, or says how long until there is one.
  Decision admit(const boost::asio::ip::address& client, std::chrono::steady_clock::time_point now);

  // How many clients have a bucket now.
  std::size_t clients() const;

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point updated;
    std::list<std::string>::iterator recency;  // this client's place in recency_
  };

  double rate_;
  double burst_;
  std::size_t max_clients_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;  // guarded by mutex_
  std::list<std::string> recency_;                   // guarded by mutex_; least recently used first
};

}  // namespace crampbot::server
