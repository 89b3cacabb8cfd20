// channels/sender_contexts.h: bounded, expiring, least recently used first out.
#include <catch2/catch.hpp>

#include "channels/sender_contexts.h"

using namespace crampbot;
using namespace std::chrono_literals;

TEST_CASE("contexts are kept per sender and expire after the ttl", "[senders]") {
  SenderContexts contexts(10, 60s);
  const auto t0 = std::chrono::steady_clock::time_point(1000s);
  contexts.store("alice", {{"turn", 1}}, t0);
  contexts.store("bob", {{"turn", 5}}, t0);
  CHECK(contexts.find("alice", t0 + 10s) == std::optional<nlohmann::json>(nlohmann::json{{"turn", 1}}));
  CHECK(contexts.find("bob", t0 + 59s) == std::optional<nlohmann::json>(nlohmann::json{{"turn", 5}}));
  CHECK_FALSE(contexts.find("carol", t0).has_value());
  CHECK_FALSE(contexts.find("alice", t0 + 61s).has_value());
  CHECK(contexts.size() == 1);
  contexts.store("bob", {{"turn", 6}}, t0 + 100s);
  CHECK(contexts.find("bob", t0 + 150s) == std::optional<nlohmann::json>(nlohmann::json{{"turn", 6}}));
}

TEST_CASE("beyond capacity the least recently used sender is forgotten", "[senders]") {
  SenderContexts contexts(3, 3600s);
  const auto t0 = std::chrono::steady_clock::time_point(1000s);
  contexts.store("a", 1, t0);
  contexts.store("b", 2, t0 + 1s);
  contexts.store("c", 3, t0 + 2s);
  contexts.store("a", 10, t0 + 3s);  // a is now the most recent
  contexts.store("d", 4, t0 + 4s);   // evicts b
  CHECK(contexts.size() == 3);
  CHECK_FALSE(contexts.find("b", t0 + 5s).has_value());
  CHECK(contexts.find("a", t0 + 5s) == std::optional<nlohmann::json>(10));
  CHECK(contexts.find("c", t0 + 5s) == std::optional<nlohmann::json>(3));
  // A flood of new senders never grows the table past its capacity.
  for (int i = 0; i < 10000; ++i)
    contexts.store("flood-" + std::to_string(i), i, t0 + 10s);
  CHECK(contexts.size() == 3);
}
