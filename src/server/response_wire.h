#pragma once

#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace crampbot::server {

// A response as the bytes that go on the wire: status line, header fields in their order, the blank line,
// and the body unless `with_body` is false (HEAD). The same bytes Beast's serializer writes for a response
// whose payload was prepared (Content-Length, no chunking), but in one contiguous string: walking Beast's
// nested buffer sequences for a small response cost a tenth of the server's time (perf, GET /healthz).
std::string response_wire(const boost::beast::http::response<boost::beast::http::string_body>& response,
                          bool with_body);

}  // namespace crampbot::server
