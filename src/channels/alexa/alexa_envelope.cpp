#include "channels/alexa/alexa_envelope.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <simdjson.h>

#include "channels/alexa/alexa_response.h"

namespace crampbot::alexa {

namespace {

constexpr std::size_t kMaxDepth = 64;  // as parse_json_body

// A member that is read: kept whole when it has no children, else only its listed children are kept.
struct ReadMember {
  std::string_view key;
  std::vector<ReadMember> children;
};

const std::vector<ReadMember>& read_members() {
  static const std::vector<ReadMember> members = {
      {"version", {}},
      {"session",
       {{"new", {}},
        {"sessionId", {}},
        {"application", {{"applicationId", {}}}},
        {"attributes", {{kContextAttribute, {}}}}}},
      {"context", {{"System", {{"application", {{"applicationId", {}}}}}}}},
      {"request",
       {{"type", {}}, {"timestamp", {}}, {"locale", {}}, {"intent", {{"name", {}}, {"slots", {}}}}}},
  };
  return members;
}

// The element as a nlohmann value. Each get() below matches the type just read, so none fails; a failure
// would give null rather than read a value that is not there.
nlohmann::json whole(simdjson::dom::element element) {
  using Type = simdjson::dom::element_type;
  switch (element.type()) {
    case Type::ARRAY: {
      nlohmann::json out = nlohmann::json::array();
      simdjson::dom::array items;
      if (element.get_array().get(items) != simdjson::SUCCESS) return nullptr;
      for (const simdjson::dom::element item : items)
        out.push_back(whole(item));
      return out;
    }
    case Type::OBJECT: {
      nlohmann::json out = nlohmann::json::object();
      simdjson::dom::object fields;
      if (element.get_object().get(fields) != simdjson::SUCCESS) return nullptr;
      for (const simdjson::dom::key_value_pair field : fields)
        out[std::string(field.key)] = whole(field.value);
      return out;
    }
    case Type::INT64: {
      std::int64_t value = 0;
      return element.get_int64().get(value) == simdjson::SUCCESS ? nlohmann::json(value) : nlohmann::json();
    }
    case Type::UINT64: {
      std::uint64_t value = 0;
      return element.get_uint64().get(value) == simdjson::SUCCESS ? nlohmann::json(value) : nlohmann::json();
    }
    case Type::DOUBLE: {
      double value = 0;
      return element.get_double().get(value) == simdjson::SUCCESS ? nlohmann::json(value) : nlohmann::json();
    }
    case Type::STRING: {
      std::string_view value;
      return element.get_string().get(value) == simdjson::SUCCESS ? nlohmann::json(std::string(value))
                                                                  : nlohmann::json();
    }
    case Type::BOOL: {
      bool value = false;
      return element.get_bool().get(value) == simdjson::SUCCESS ? nlohmann::json(value) : nlohmann::json();
    }
    case Type::NULL_VALUE:
      return nullptr;
  }
  return nullptr;
}

nlohmann::json kept(simdjson::dom::element element, const std::vector<ReadMember>& members) {
  if (members.empty() || !element.is_object()) return whole(element);
  nlohmann::json out = nlohmann::json::object();
  simdjson::dom::object fields;
  if (element.get_object().get(fields) != simdjson::SUCCESS) return whole(element);
  for (const simdjson::dom::key_value_pair field : fields) {
    for (const ReadMember& member : members) {
      // A repeated key: the last one counts, as in parse_json_body.
      if (member.key == field.key) out[std::string(field.key)] = kept(field.value, member.children);
    }
  }
  return out;
}

// Bodies up to this size are parsed by a parser kept per thread; a larger one (possible only when
// server.max_body_bytes is raised) gets a parser of its own, freed after it, so that one large request does
// not leave every thread holding buffers for it.
constexpr std::size_t kReusedParserBytes = 64 * 1024;

simdjson::dom::parser& thread_parser() {
  // A parser owns its buffers and is reused; one per thread because parsing writes to them.
  thread_local simdjson::dom::parser parser;
  return parser;
}

}  // namespace

ParsedBody parse_alexa_envelope(std::string_view body) {
  ParsedBody out;
  // A byte order mark is allowed before JSON text (RFC 8259 §8.1 lets parsers ignore it; nlohmann does).
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  // Before simdjson: an empty view may have no data pointer, which its copy would pass to memcpy (UB,
  // found by fuzz_alexa_body under UBSan).
  if (body.empty()) {
    out.error = "invalid JSON: the body is empty";
    return out;
  }
  // The same depth rule as parse_json_body, checked the same way; simdjson's own limit (which counts an
  // innermost empty container differently) is set one deeper as a backstop.
  if (json_nesting_depth(body, kMaxDepth) > kMaxDepth) {
    out.error = "the JSON is nested deeper than " + std::to_string(kMaxDepth) + " levels";
    return out;
  }
  simdjson::dom::parser own_parser;
  simdjson::dom::parser& parser = body.size() > kReusedParserBytes ? own_parser : thread_parser();
  // The first parse on a parser sets the depth limit; growing for a larger body later keeps it.
  if (parser.max_depth() != kMaxDepth + 1 &&
      parser.allocate(std::max(body.size(), std::size_t{1024}), kMaxDepth + 1) != simdjson::SUCCESS) {
    out.error = "the body cannot be parsed: out of memory";
    return out;
  }
  simdjson::dom::element root;
  const simdjson::error_code error = parser.parse(body.data(), body.size()).get(root);
  if (error == simdjson::DEPTH_ERROR) {
    out.error = "the JSON is nested deeper than " + std::to_string(kMaxDepth) + " levels";
  } else if (error == simdjson::EMPTY) {
    out.error = "invalid JSON: the body is empty";
  } else if (error != simdjson::SUCCESS) {
    out.error = std::string("invalid JSON: ") + simdjson::error_message(error);
  } else {
    out.json = kept(root, read_members());
  }
  return out;
}

}  // namespace crampbot::alexa
