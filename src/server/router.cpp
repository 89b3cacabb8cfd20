#include "server/router.h"

#include <array>
#include <optional>

#include <openssl/crypto.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/string.hpp>

#include "channels/base64.h"
#include "channels/channel_outcome.h"
#include "channels/json_body.h"
#include "server/client_address.h"
#include "server/request_target.h"

namespace crampbot::server {

namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

constexpr std::string_view kJson = "application/json";

struct Route {
  std::string_view path;
  std::string_view channel;  // as counted in metrics and the access log
  http::verb method;
  bool cors;
};

// Every route the server answers; anything else is 404, a known path with another method 405.
constexpr std::array<Route, 11> kRoutes = {{
    {"/healthz", "health", http::verb::get, false},
    {"/readyz", "health", http::verb::get, false},
    {"/metrics", "metrics", http::verb::get, false},
    {"/v1/chat", "chat", http::verb::post, true},
    {"/v1/feedback", "feedback", http::verb::post, true},
    {"/webhooks/rest/webhook", "rasa", http::verb::post, true},
    {"/alexa", "alexa", http::verb::post, false},
    {"/dialogflow", "dialogflow", http::verb::post, false},
    {"/dialogflow-cx", "dialogflow_cx", http::verb::post, false},
    {"/admin/reload", "admin", http::verb::post, false},
    {"/admin/review", "admin", http::verb::get, false},
}};

const Route* find_route(std::string_view path) {
  for (const auto& route : kRoutes) {
    if (route.path == path) return &route;
  }
  return nullptr;
}

HttpResponse make_response(http::status status, std::string body, std::string_view content_type) {
  HttpResponse response(status, 11);
  response.set(http::field::server, "crampbot");
  response.set(http::field::content_type, content_type);
  // Health answers are about one person's question: no shared cache should keep them.
  response.set(http::field::cache_control, "no-store");
  response.body() = std::move(body);
  return response;
}

HttpResponse json_response(int status, std::string body) {
  return make_response(static_cast<http::status>(status), std::move(body), kJson);
}

HttpResponse json_error(http::status status, std::string_view code, std::string_view message) {
  const ChannelOutcome outcome = error_outcome(static_cast<int>(status), code, message);
  return json_response(outcome.status, outcome.body);
}

// "application/json", with or without parameters such as "; charset=utf-8", in any case.
bool is_json_content_type(std::string_view value) {
  if (value.size() < kJson.size() || !beast::iequals(value.substr(0, kJson.size()), kJson)) return false;
  const std::string_view rest = value.substr(kJson.size());
  return rest.empty() || rest.front() == ';' || rest.front() == ' ';
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// The host a request is for: the absolute form's authority (RFC 9112 §3.2.2: it overrides Host), else the
// Host field; nullopt when there is neither (HTTP/1.0), or the server has let through one it cannot parse.
std::optional<Authority> requested_host(const HttpRequest& request,
                                        const std::optional<RequestTarget>& target) {
  if (target && target->authority) return target->authority;
  if (request.find(http::field::host) == request.end()) return std::nullopt;
  return parse_authority(request[http::field::host]);
}

// Every X-Forwarded-For field of the request, joined with commas as RFC 9110 §5.3 joins repeated fields.
std::string forwarded_for(const HttpRequest& request) {
  std::string joined;
  for (auto [it, end] = request.equal_range("X-Forwarded-For"); it != end; ++it) {
    if (!joined.empty()) joined += ',';
    joined += std::string_view(it->value());
  }
  return joined;
}

// Whether `origin` is the server itself as the browser reached it: the demo page at "/" calls the API from
// there, whatever the port or the proxy's host name, without being in the allow-list.
bool same_origin(std::string_view origin, std::string_view host) {
  if (host.empty()) return false;
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (origin.size() == scheme.size() + host.size() && origin.starts_with(scheme) &&
        beast::iequals(origin.substr(scheme.size()), host)) {
      return true;
    }
  }
  return false;
}

// Whether an If-None-Match header names `etag` (weak comparison, RFC 9110 §13.1.2).
bool etag_matches(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view candidate = header.substr(0, comma);
    while (!candidate.empty() && (candidate.front() == ' ' || candidate.front() == '\t'))
      candidate.remove_prefix(1);
    while (!candidate.empty() && (candidate.back() == ' ' || candidate.back() == '\t'))
      candidate.remove_suffix(1);
    if (candidate.starts_with("W/")) candidate.remove_prefix(2);
    if (candidate == "*" || candidate == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

// The page may load only our own script, styles and API: a demo of the widget needs nothing else.
constexpr std::string_view kPagePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'";

HttpResponse file_response(const StaticFile& file, const HttpRequest& request) {
  const bool fresh = etag_matches(request[http::field::if_none_match], file.etag);
  HttpResponse response(fresh ? http::status::not_modified : http::status::ok, 11);
  response.set(http::field::server, "crampbot");
  response.set(http::field::etag, file.etag);
  response.set(http::field::cache_control, file.cache_control);
  response.set("X-Content-Type-Options", "nosniff");
  if (file.page) {
    response.set("Content-Security-Policy", kPagePolicy);
    response.set("Referrer-Policy", "no-referrer");
  } else {
    // Any site may embed the widget, including one that isolates itself (Cross-Origin-Embedder-Policy).
    response.set("Cross-Origin-Resource-Policy", "cross-origin");
  }
  if (!fresh) {
    response.set(http::field::content_type, file.content_type);
    response.body() = file.body;
  }
  return response;
}

}  // namespace

struct Router::Answer {
  HttpResponse response;
  std::string_view path;  // the target's path, a view into the request
  std::string_view channel;
  std::string intent;
  bool urgent = false;
  std::string utterance;
  std::string_view cors_origin;  // set when the route takes CORS and the origin is allowed
};

Router::Router(RouterParts parts)
    : parts_(std::move(parts)),
      rate_limiter_(parts_.rate_limit_rps, static_cast<double>(parts_.rate_limit_burst)) {}

Router::~Router() {
  finish_reloads();
}

void Router::finish_reloads() {
  admin_thread_.join();
}

asio::awaitable<HttpResponse> Router::handle(HttpRequest& request, const Peer& peer) {
  const auto start = std::chrono::steady_clock::now();
  Answer answer = co_await route(request, peer);
  if (!answer.cors_origin.empty()) {
    // On errors too, so that a browser can read why its request failed.
    answer.response.set(http::field::access_control_allow_origin, answer.cors_origin);
    answer.response.set(http::field::vary, "Origin");
  }
  const auto duration = std::chrono::steady_clock::now() - start;
  const int status = static_cast<int>(answer.response.result_int());
  parts_.metrics.record_request(answer.channel, status, answer.intent, answer.urgent, duration);
  if (parts_.logger.enabled(LogLevel::info)) {
    nlohmann::json fields = {
        {"method", std::string_view(request.method_string())},
        {"path", answer.path},
        {"status", status},
        {"channel", answer.channel},
        {"intent", answer.intent},
        {"duration_us", std::chrono::duration_cast<std::chrono::microseconds>(duration).count()},
    };
    if (answer.urgent) fields["urgent"] = true;
    // Health text: only when the operator asked for it (log.utterances).
    if (parts_.log_utterances && !answer.utterance.empty()) fields["utterance"] = answer.utterance;
    parts_.logger.log(LogLevel::info, "request", std::move(fields));
  }
  co_return std::move(answer.response);
}

HttpResponse Router::refuse(http::status status, std::string_view message) {
  const int code = static_cast<int>(status);
  parts_.metrics.record_refusal(code);
  parts_.logger.log(LogLevel::info, "refused", {{"status", code}, {"reason", message}});
  std::string_view error = "bad_request";
  if (status == http::status::payload_too_large) error = "body_too_large";
  if (status == http::status::request_header_fields_too_large) error = "headers_too_large";
  if (status == http::status::service_unavailable) error = "overloaded";
  if (status == http::status::internal_server_error) error = "internal_error";
  return json_error(status, error, message);
}

bool Router::cors_allowed(std::string_view origin) const {
  for (const auto& allowed : parts_.cors_origins) {
    if (allowed == "*" || allowed == origin) return true;
  }
  return false;
}

asio::awaitable<Router::Answer> Router::route(HttpRequest& request, const Peer& peer) {
  Answer answer;
  // The server has refused any target that is not one of the forms (an absolute-form target, which
  // RFC 9112 §3.2.2 requires servers to accept, gives its path too).
  const std::optional<RequestTarget> target = parse_request_target(request.target());
  const std::string_view raw_target = request.target();
  answer.path = target ? target->path : raw_target.substr(0, raw_target.find('?'));
  const std::string_view path = answer.path;
  // A name that is not ours is a page that pointed its own name at this server (DNS rebinding), or a client
  // that reached the wrong server: neither is answered (RFC 9110 §15.5.20). A request without any Host
  // (HTTP/1.0) cannot come from a browser, and is let through.
  if (const auto host = requested_host(request, target);
      (host && !parts_.allowed_hosts.allows(*host)) ||
      (!host && request.find(http::field::host) != request.end())) {
    answer.response = json_error(http::status::misdirected_request, "misdirected_request",
                                 "this server does not answer for that host name (server.allowed_hosts)");
    co_return answer;
  }
  if (const StaticFile* file = parts_.web.find(path)) {
    answer.channel = "web";
    if (request.method() != http::verb::get && request.method() != http::verb::head) {
      answer.response = json_error(http::status::method_not_allowed, "method_not_allowed",
                                   std::string(path) + " takes GET, HEAD");
      answer.response.set(http::field::allow, "GET, HEAD");
    } else {
      answer.response = file_response(*file, request);
    }
    co_return answer;
  }
  const Route* route = find_route(path);
  if (!route) {
    answer.response = json_error(http::status::not_found, "not_found", "no such path: " + std::string(path));
    co_return answer;
  }
  answer.channel = route->channel;

  // CORS: browsers ask first (OPTIONS), then send the Origin with the real request.
  const std::string_view origin = request[http::field::origin];
  // The demo page's own origin is let through to the chat API (and its feedback) only: the chat API keeps
  // no state on the server, while a Rasa sender's conversation does (a page that rebinds a name to this
  // server could read it).
  const bool own_page =
      (path == "/v1/chat" || path == "/v1/feedback") && same_origin(origin, request[http::field::host]);
  if (route->cors && !origin.empty() && (cors_allowed(origin) || own_page)) {
    answer.cors_origin = origin;
  }
  if (route->cors && request.method() == http::verb::options) {
    if (answer.cors_origin.empty()) {
      answer.response =
          json_error(http::status::forbidden, "origin_not_allowed", "this origin may not call the API");
      co_return answer;
    }
    answer.response = make_response(http::status::no_content, {}, kJson);
    answer.response.erase(http::field::content_type);
    answer.response.set(http::field::access_control_allow_methods, "POST, OPTIONS");
    answer.response.set(http::field::access_control_allow_headers, "Content-Type");
    answer.response.set(http::field::access_control_max_age, "600");
    co_return answer;
  }
  // Any page may call the browser-facing routes, so each client gets its share: a token bucket per address
  // (preflights aside: they cost nothing, and a refused one would hide the 429 from the page).
  if (route->cors && request.method() != http::verb::options && rate_limiter_.enabled()) {
    const asio::ip::address client =
        client_address(peer.address, forwarded_for(request), parts_.trusted_proxies);
    if (const auto decision = rate_limiter_.admit(client, std::chrono::steady_clock::now());
        !decision.allowed) {
      const std::string seconds = std::to_string(decision.retry_after.count());
      answer.response = json_error(http::status::too_many_requests, "rate_limited",
                                   "too many requests from this client: try again in " + seconds + " s");
      answer.response.set(http::field::retry_after, seconds);
      parts_.metrics.record_rate_limited(route->channel);
      co_return answer;
    }
  }
  // HEAD is GET without the body (the server leaves the body out).
  const http::verb method = request.method() == http::verb::head ? http::verb::get : request.method();
  if (method != route->method) {
    const std::string allowed = std::string(http::to_string(route->method)) +
                                (route->method == http::verb::get ? ", HEAD" : "") +
                                (route->cors ? ", OPTIONS" : "");
    answer.response = json_error(http::status::method_not_allowed, "method_not_allowed",
                                 std::string(path) + " takes " + allowed);
    answer.response.set(http::field::allow, allowed);
    co_return answer;
  }
  if (route->cors && !origin.empty() && answer.cors_origin.empty()) {
    answer.response =
        json_error(http::status::forbidden, "origin_not_allowed", "this origin may not call the API");
    co_return answer;
  }

  if (path == "/healthz") {
    answer.response = json_response(200, R"({"status":"ok"})");
    co_return answer;
  }
  const std::shared_ptr<const EngineSet> engines = parts_.engines.current();
  if (path == "/readyz") {
    if (engines) {
      nlohmann::json locales = nlohmann::json::array();
      for (const auto& [locale, engine] : engines->engines())
        locales.push_back(locale);
      answer.response =
          json_response(200, dump_json({{"status", "ready"},
                                        {"intents", engines->default_engine().intents().intents.size()},
                                        {"locales", std::move(locales)},
                                        {"default_locale", engines->default_engine().locale()}}));
    } else {
      answer.response = json_error(http::status::service_unavailable, "not_ready", "no catalog loaded");
    }
    co_return answer;
  }
  if (path == "/metrics") {
    answer.response = make_response(http::status::ok, parts_.metrics.render(parts_.open_connections()),
                                    "text/plain; version=0.0.4; charset=utf-8");
    co_return answer;
  }
  if (path == "/admin/reload" || path == "/admin/review") {
    // Loopback only, and never from a browser (a page open on this host must not be able to post here, nor
    // read what people asked).
    if (!unmapped(peer.address).is_loopback() || !origin.empty()) {
      answer.response = json_error(http::status::forbidden, "forbidden",
                                   std::string(path) + " is only accepted from loopback, not from a browser");
      co_return answer;
    }
  }
  if (path == "/admin/review") {
    answer.response = co_await review_listing();
    co_return answer;
  }
  if (path == "/admin/reload") {
    const EngineSlot::ReloadResult result = co_await reload();
    answer.response = result.ok
                          ? json_response(200, R"({"status":"reloaded"})")
                          : json_error(http::status::unprocessable_entity, "catalog_refused", result.message);
    co_return answer;
  }

  if ((path == "/dialogflow" || path == "/dialogflow-cx") && !parts_.dialogflow_auth.user.empty()) {
    const std::string expected =
        encode_base64(parts_.dialogflow_auth.user + ":" + parts_.dialogflow_auth.password);
    const std::string_view given = request[http::field::authorization];
    const bool ok = given.size() > 6 && beast::iequals(given.substr(0, 6), "basic ") &&
                    constant_time_equal(given.substr(6), expected);
    if (!ok) {
      answer.response =
          json_error(http::status::unauthorized, "unauthorized", "basic authentication required");
      answer.response.set(http::field::www_authenticate, R"(Basic realm="crampbot")");
      co_return answer;
    }
  }
  if (!is_json_content_type(request[http::field::content_type])) {
    answer.response = json_error(http::status::unsupported_media_type, "unsupported_media_type",
                                 "the body must be sent as Content-Type: application/json");
    co_return answer;
  }
  if (!engines) {
    answer.response = json_error(http::status::service_unavailable, "not_ready", "no catalog loaded");
    co_return answer;
  }

  const std::string_view body = request.body();
  if (path == "/v1/feedback") {
    if (!parts_.feedback) {
      answer.response = json_error(http::status::not_found, "not_found", "no such path: /v1/feedback");
      co_return answer;
    }
    FeedbackOutcome vote = parts_.feedback->handle(*engines, body, std::chrono::system_clock::now());
    if (vote.counted) parts_.metrics.record_feedback(vote.intent, vote.helpful);
    answer.response = json_response(vote.outcome.status, std::move(vote.outcome.body));
    co_return answer;
  }
  ChannelOutcome outcome;
  if (path == "/v1/chat") {
    outcome = parts_.chat.handle(*engines, body, std::chrono::system_clock::now(),
                                 request[http::field::accept_language]);
  } else if (path == "/webhooks/rest/webhook") {
    outcome = parts_.rasa.handle(*engines, body, std::chrono::steady_clock::now());
  } else if (path == "/alexa") {
    // The client, so that the certificate cache can limit fetches per client.
    const std::string client =
        client_address(peer.address, forwarded_for(request), parts_.trusted_proxies).to_string();
    const alexa::AlexaHttpRequest alexa_request{body, request["Signature-256"],
                                                request["SignatureCertChainUrl"],
                                                std::chrono::system_clock::now(), client};
    outcome = co_await parts_.alexa.handle(*engines, alexa_request);
  } else if (path == "/dialogflow") {
    outcome = parts_.dialogflow_es.handle(*engines, body);
  } else {
    outcome = parts_.dialogflow_cx.handle(*engines, body);
  }
  if (outcome.status == 200) {
    parts_.metrics.record_locale(outcome.locale);
    record_understanding(*engines, route->channel, outcome);
  }
  answer.response = json_response(outcome.status, std::move(outcome.body));
  for (const auto& [name, value] : outcome.headers)
    answer.response.set(name, value);
  answer.intent = std::move(outcome.intent);
  answer.urgent = outcome.urgent;
  answer.utterance = std::move(outcome.utterance);
  co_return answer;
}

void Router::record_understanding(const EngineSet& engines, std::string_view channel,
                                  const ChannelOutcome& outcome) {
  if (outcome.intent == kFallbackIntent || outcome.intent == kClarifyIntent) {
    parts_.metrics.record_not_understood(outcome.intent, channel, outcome.turn.locale);
  }
  if (!parts_.review || !parts_.review->wants(outcome.intent, outcome.turn.confidence)) return;
  const review::ReviewTurn turn{outcome.turn.text, outcome.intent, outcome.turn.confidence,
                                outcome.turn.conversation, outcome.turn.locale};
  // The phrase is normalised as the language that answered it normalises (the outcome names that locale).
  const Engine* answered = engines.find(outcome.locale);
  const auto result = parts_.review->record((answered ? *answered : engines.default_engine()).normaliser(),
                                            turn, std::chrono::system_clock::now());
  parts_.metrics.record_review(review::outcome_name(result));
}

asio::awaitable<HttpResponse> Router::review_listing() {
  if (!parts_.review) {
    co_return json_error(http::status::not_found, "review_off",
                         "the review of misunderstood questions is off (review.enabled)");
  }
  // Reading the store takes a while when it is large: on the admin thread, not a worker.
  co_return co_await asio::co_spawn(
      admin_thread_,
      [this]() -> asio::awaitable<HttpResponse> {
        try {
          co_return json_response(200,
                                  dump_json(parts_.review->listing_json(std::chrono::system_clock::now())));
        } catch (const std::exception& e) {
          parts_.logger.log(LogLevel::error, "review_unreadable", {{"reason", e.what()}});
          co_return json_error(http::status::internal_server_error, "review_unreadable", e.what());
        }
      },
      asio::use_awaitable);
}

asio::awaitable<EngineSlot::ReloadResult> Router::reload() {
  const std::uint64_t ticket = request_reload();
  co_return co_await asio::co_spawn(
      admin_thread_,
      [this, ticket]() -> asio::awaitable<EngineSlot::ReloadResult> { co_return run_reload(ticket); },
      asio::use_awaitable);
}

void Router::reload_in_background() {
  const std::uint64_t ticket = request_reload();
  asio::post(admin_thread_, [this, ticket] { run_reload(ticket); });
}

std::uint64_t Router::request_reload() {
  std::lock_guard lock(reload_mutex_);
  return ++reloads_requested_;
}

EngineSlot::ReloadResult Router::run_reload(std::uint64_t ticket) {
  std::unique_lock lock(reload_mutex_);
  // A reload that started after this ticket was handed out has already read the files it asked about.
  if (reloads_covered_ >= ticket) return last_reload_;
  const std::uint64_t covers = reloads_requested_;
  lock.unlock();
  EngineSlot::ReloadResult result = reload_and_record();
  lock.lock();
  reloads_covered_ = covers;
  last_reload_ = result;
  return result;
}

EngineSlot::ReloadResult Router::reload_and_record() {
  const auto start = std::chrono::steady_clock::now();
  EngineSlot::ReloadResult result = parts_.engines.reload();
  parts_.metrics.record_reload(result.ok);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  if (result.ok) {
    parts_.logger.log(LogLevel::info, "catalog_reloaded", {{"duration_ms", millis}});
  } else {
    parts_.logger.log(LogLevel::error, "catalog_refused", {{"reason", result.message}});
  }
  return result;
}

}  // namespace crampbot::server
