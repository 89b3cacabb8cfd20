// server/response_wire.h: the bytes of a response are exactly what Beast's serializer writes.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include <boost/beast/http.hpp>

#include "server/response_wire.h"

namespace http = boost::beast::http;
using Response = http::response<http::string_body>;

namespace {

std::string beast_bytes(const Response& response) {
  std::ostringstream out;
  out << response;
  return out.str();
}

std::string beast_header_bytes(const Response& response) {
  std::ostringstream out;
  out << response.base();
  return out.str();
}

Response made(http::status status, unsigned version, std::string body) {
  Response response(status, version);
  response.set(http::field::content_type, "application/json");
  response.set(http::field::cache_control, "no-store");
  response.insert("X-Repeated", "one");
  response.insert("X-Repeated", "two");
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

}  // namespace

TEST_CASE("response bytes equal Beast's for every kind of response we send", "[server][wire]") {
  std::vector<Response> responses;
  responses.push_back(made(http::status::ok, 11, R"({"status":"ok"})"));
  responses.push_back(made(http::status::not_found, 11, R"({"error":"not_found","message":"no such path"})"));
  responses.push_back(made(http::status::payload_too_large, 10, "{}"));
  responses.push_back(made(http::status::ok, 11, ""));
  responses.push_back(made(http::status::ok, 11, std::string(100000, 'x')));
  Response keep_alive_10 = made(http::status::ok, 10, "{}");
  keep_alive_10.keep_alive(true);
  responses.push_back(keep_alive_10);
  Response closing = made(http::status::service_unavailable, 11, "{}");
  closing.keep_alive(false);
  responses.push_back(closing);
  Response not_modified = made(http::status::not_modified, 11, "");
  not_modified.erase(http::field::content_length);
  responses.push_back(not_modified);
  Response no_content = made(http::status::no_content, 11, "");
  no_content.erase(http::field::content_length);
  responses.push_back(no_content);
  Response own_reason = made(http::status::ok, 11, "{}");
  own_reason.reason("Fine");
  responses.push_back(own_reason);
  Response unknown_status = made(static_cast<http::status>(599), 11, "{}");
  responses.push_back(unknown_status);

  for (const Response& response : responses) {
    INFO(beast_header_bytes(response));
    CHECK(crampbot::server::response_wire(response, true) == beast_bytes(response));
    // HEAD: the same header, no body.
    CHECK(crampbot::server::response_wire(response, false) == beast_header_bytes(response));
  }
}
