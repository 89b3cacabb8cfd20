// Catalog reload through POST /admin/reload: a good catalog is swapped in, a broken one is refused and the
// old one keeps serving; replies during reloads always come from one complete catalog.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/http_client.h"
#include "test_server.h"
#include "test_support.h"

using namespace crampbot;
using namespace crampbot::test;

namespace {

// A private copy of the real catalog that a test may edit.
struct CatalogCopy {
  std::filesystem::path root;
  CatalogCopy() {
    root = std::filesystem::temp_directory_path() /
           ("crampbot-reload-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root);
    std::filesystem::copy(source_dir() / "catalog" / "en" / "intents", root / "intents",
                          std::filesystem::copy_options::recursive);
    std::filesystem::copy(source_dir() / "catalog" / "en" / "responses", root / "responses");
  }
  ~CatalogCopy() { std::filesystem::remove_all(root); }
  static int& counter() {
    static int n = 0;
    return n;
  }
  // Replaces `from` by `to` in a response file.
  void edit(const std::string& file, const std::string& from, const std::string& to) const {
    const auto path = root / "responses" / file;
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    std::ofstream(path) << text;
  }
};

std::string thanks_text(HttpClient& client) {
  auto reply = client.post_json("/v1/chat", R"({"text":"thank you"})");
  REQUIRE(reply);
  REQUIRE(reply->status == 200);
  return nlohmann::json::parse(reply->body)["text"];
}

app::AppConfig config_for(const CatalogCopy& catalog) {
  app::AppConfig config = test_config();
  config.engine.catalog_dir.clear();  // one language's two folders, named directly
  config.engine.intents_dir = catalog.root / "intents";
  config.engine.responses_dir = catalog.root / "responses";
  return config;
}

}  // namespace

TEST_CASE("a good catalog is reloaded - a broken one is refused and the old one keeps serving", "[reload]") {
  CatalogCopy catalog;
  TestServer server(config_for(catalog));
  HttpClient client(server.port());
  const std::string before = thanks_text(client);

  const auto thanks = nlohmann::json::parse(std::ifstream(catalog.root / "responses" / "thanks.json"));
  const std::string first_text = thanks["replies"]["default"][0]["text"];
  catalog.edit("thanks.json", first_text, "Glad to help, truly.");
  auto reloaded = client.post_json("/admin/reload", "{}");
  REQUIRE(reloaded);
  CHECK(reloaded->status == 200);
  CHECK(thanks_text(client).find("Glad to help, truly.") != std::string::npos);

  // Broken JSON: refused, named, and the reloaded catalog keeps answering.
  { std::ofstream(catalog.root / "responses" / "banana.json") << "{ not json"; }
  auto refused = client.post_json("/admin/reload", "{}");
  REQUIRE(refused);
  CHECK(refused->status == 422);
  const auto error = nlohmann::json::parse(refused->body);
  CHECK(error["error"] == "catalog_refused");
  CHECK(error["message"].get<std::string>().find("banana.json") != std::string::npos);
  CHECK(thanks_text(client).find("Glad to help, truly.") != std::string::npos);
  auto banana = client.post_json("/v1/chat", R"({"text":"will a banana help"})");
  CHECK(nlohmann::json::parse(banana->body)["intent"] == "banana");

  auto metrics = client.get("/metrics");
  CHECK(metrics->body.find("crampbot_catalog_reloads_total{result=\"ok\"} 1") != std::string::npos);
  CHECK(metrics->body.find("crampbot_catalog_reloads_total{result=\"failed\"} 1") != std::string::npos);
  (void)before;
}

TEST_CASE("a catalog that loads but fails its own checks is refused on reload", "[reload]") {
  CatalogCopy catalog;
  TestServer server(config_for(catalog));
  HttpClient client(server.port());
  // A dose in a reply: loads, but `crampbot check` refuses it.
  const auto thanks = nlohmann::json::parse(std::ifstream(catalog.root / "responses" / "thanks.json"));
  const std::string first_text = thanks["replies"]["default"][0]["text"];
  catalog.edit("thanks.json", first_text, "Take 400 mg of magnesium every night.");
  auto refused = client.post_json("/admin/reload", "{}");
  REQUIRE(refused);
  CHECK(refused->status == 422);
  CHECK(thanks_text(client).find("400 mg") == std::string::npos);
}

TEST_CASE("replies during repeated reloads all come from a complete catalog", "[reload]") {
  CatalogCopy catalog;
  // Off: the client asks as fast as it can while reloads run; the per-client rate limit would answer 429.
  app::AppConfig config = config_for(catalog);
  config.server.rate_limit_rps = 0;
  TestServer server(config);
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::atomic<int> answered{0};
  std::thread load([&] {
    HttpClient client(server.port());
    while (!done) {
      auto reply = client.post_json("/v1/chat", R"({"text":"what foods have potassium"})");
      if (!reply || reply->status != 200) {
        ++failures;
        continue;
      }
      const auto body = nlohmann::json::parse(reply->body);
      if (body["intent"] != "food_sources" || body["slots"]["nutrient"] != "potassium") ++failures;
      ++answered;
    }
  });
  HttpClient admin(server.port());
  for (int i = 0; i < 5; ++i) {
    auto reply = admin.post_json("/admin/reload", "{}");
    REQUIRE(reply);
    CHECK(reply->status == 200);
  }
  done = true;
  load.join();
  CHECK(failures == 0);
  CHECK(answered > 0);
}

TEST_CASE("a burst of reload requests costs a reload or two, not one each", "[reload]") {
  CatalogCopy catalog;
  TestServer server(config_for(catalog));
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back([&] {
      HttpClient client(server.port());
      auto reply = client.post_json("/admin/reload", "{}");
      if (reply && reply->status == 200) ++ok;
    });
  }
  for (auto& t : clients)
    t.join();
  CHECK(ok == 8);
  HttpClient client(server.port());
  const std::string metrics = client.get("/metrics")->body;
  const auto at = metrics.find("crampbot_catalog_reloads_total{result=\"ok\"} ");
  REQUIRE(at != std::string::npos);
  const int reloads =
      std::stoi(metrics.substr(at + std::string("crampbot_catalog_reloads_total{result=\"ok\"} ").size()));
  CHECK(reloads >= 1);
  CHECK(reloads <= 3);
}

TEST_CASE("reload refuses browsers: a request with an Origin is 403", "[reload]") {
  TestServer server;
  HttpClient client(server.port());
  auto reply = client.post_json("/admin/reload", "{}", {{"Origin", "http://localhost:8080"}});
  REQUIRE(reply);
  CHECK(reply->status == 403);
}
