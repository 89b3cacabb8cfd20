// The widget's files over real HTTP: content types, caching, validators, methods, and that no URL reaches
// any file outside the fixed set.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/app_config.h"
#include "engine/catalog_error.h"
#include "support/http_client.h"
#include "test_server.h"
#include "test_support.h"

using namespace crampbot;
using namespace crampbot::test;

namespace {

std::string file_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::filesystem::path web_dir() {
  return std::filesystem::path(CRAMPBOT_SOURCE_DIR) / "web";
}

}  // namespace

TEST_CASE("the demo page and the widget's files are served with their types and caching", "[server][web]") {
  TestServer server;
  HttpClient client(server.port());

  auto page = client.get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->header("content-type") == "text/html; charset=utf-8");
  CHECK(page->header("cache-control") == "no-cache");
  CHECK(page->header("x-content-type-options") == "nosniff");
  CHECK(page->header("content-security-policy").find("connect-src 'self'") != std::string::npos);
  CHECK(page->header("content-security-policy").find("frame-ancestors 'none'") != std::string::npos);
  CHECK(page->header("content-security-policy").find("require-trusted-types-for 'script'") !=
        std::string::npos);
  CHECK(page->body == file_text(web_dir() / "index.html"));
  CHECK(page->body.find("src=\"/widget.js\"") != std::string::npos);

  auto script = client.get("/widget.js");
  REQUIRE(script);
  CHECK(script->status == 200);
  CHECK(script->header("content-type") == "text/javascript; charset=utf-8");
  CHECK(script->header("cache-control") == "public, max-age=3600");
  CHECK(script->header("cross-origin-resource-policy") == "cross-origin");
  CHECK(script->body == file_text(web_dir() / "widget.js"));

  auto styles = client.get("/widget.css?v=1");  // a query (cache busting) names the same file
  REQUIRE(styles);
  CHECK(styles->status == 200);
  CHECK(styles->header("content-type") == "text/css; charset=utf-8");
  CHECK(styles->body == file_text(web_dir() / "widget.css"));

  // Every file has its own strong validator.
  CHECK(page->header("etag").size() > 2);
  CHECK(page->header("etag").front() == '"');
  CHECK(page->header("etag") != script->header("etag"));
  CHECK(script->header("etag") != styles->header("etag"));
}

TEST_CASE("a browser's cached copy is revalidated with 304 and no body", "[server][web]") {
  TestServer server;
  HttpClient client(server.port());
  auto first = client.get("/widget.js");
  REQUIRE(first);
  const std::string etag = first->header("etag");

  for (const std::string& given : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    INFO(given);
    auto again = client.request("GET", "/widget.js", {}, {{"If-None-Match", given}});
    REQUIRE(again);
    CHECK(again->status == 304);
    CHECK(again->body.empty());
    CHECK(again->header("etag") == etag);
    CHECK(again->header("content-length").empty());
  }
  auto changed = client.request("GET", "/widget.js", {}, {{"If-None-Match", "\"0000000000000000\""}});
  REQUIRE(changed);
  CHECK(changed->status == 200);
  CHECK(changed->body == first->body);

  // The connection is still good after the bodiless answers.
  auto health = client.get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
}

TEST_CASE("the widget's files take GET and HEAD only", "[server][web]") {
  TestServer server;
  HttpClient client(server.port());
  auto head = client.request("HEAD", "/widget.css");
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->body.empty());
  CHECK(head->header("content-length") == std::to_string(file_text(web_dir() / "widget.css").size()));

  for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS"}) {
    INFO(method);
    auto refused = client.request(method, "/widget.js", "{}", {{"Content-Type", "application/json"}});
    REQUIRE(refused);
    CHECK(refused->status == 405);
    CHECK(refused->header("allow") == "GET, HEAD");
  }
}

TEST_CASE("no URL reaches a file outside the fixed set", "[server][web]") {
  TestServer server;
  HttpClient client(server.port());
  for (const char* target :
       {"/index.html", "/web/widget.js", "/../config/crampbot.json", "/widget.js/../../config/crampbot.json",
        "/%2e%2e/config/crampbot.json", "/..%2fconfig%2fcrampbot.json", "//widget.js", "/widget.js/",
        "/WIDGET.JS", "/widget.js%00.png", "/config/crampbot.json", "/intents/_lexicon.json",
        "/.git/config"}) {
    INFO(target);
    auto reply = client.get(target);
    REQUIRE(reply);
    CHECK(reply->status == 404);
    CHECK(reply->header("content-type") == "application/json");
  }
}

TEST_CASE("web.root empty serves no files, and a missing folder stops the start naming the key",
          "[server][web]") {
  auto config = test_config();
  config.web_root.clear();
  TestServer server(config);
  HttpClient client(server.port());
  auto page = client.get("/");
  REQUIRE(page);
  CHECK(page->status == 404);

  const auto dir = std::filesystem::temp_directory_path() / "crampbot-web-config-test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "crampbot.json") << R"({"web": {"root": "no-such-folder"}})";
  try {
    app::load_app_config(dir / "crampbot.json", {});
    FAIL("a missing web folder was accepted");
  } catch (const CatalogError& e) {
    CHECK(std::string(e.what()).find("web.root") != std::string::npos);
    CHECK(std::string(e.what()).find("no-such-folder") != std::string::npos);
  }
  std::filesystem::remove_all(dir);
}
