#include "server/response_wire.h"

#include <string_view>

namespace crampbot::server {

std::string response_wire(const boost::beast::http::response<boost::beast::http::string_body>& response,
                          bool with_body) {
  const std::string_view reason(response.reason().data(), response.reason().size());
  std::string wire;
  std::size_t header_bytes = 32 + reason.size();
  for (const auto& field : response.base())
    header_bytes += field.name_string().size() + field.value().size() + 4;
  wire.reserve(header_bytes + (with_body ? response.body().size() : 0));
  wire += "HTTP/";
  wire += static_cast<char>('0' + response.version() / 10);
  wire += '.';
  wire += static_cast<char>('0' + response.version() % 10);
  wire += ' ';
  wire += std::to_string(response.result_int());
  wire += ' ';
  wire += reason;
  wire += "\r\n";
  for (const auto& field : response.base()) {
    wire.append(field.name_string().data(), field.name_string().size());
    wire += ": ";
    wire.append(field.value().data(), field.value().size());
    wire += "\r\n";
  }
  wire += "\r\n";
  if (with_body) wire += response.body();
  return wire;
}

}  // namespace crampbot::server
