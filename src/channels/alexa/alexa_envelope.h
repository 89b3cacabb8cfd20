#pragma once

#include <string_view>

#include "channels/json_body.h"

namespace crampbot::alexa {

// Parses an Alexa request body for the channel and the verifier. The whole body is checked as JSON (syntax,
// UTF-8, nesting no deeper than 64, a leading byte order mark allowed) as parse_json_body does, but only the
// members that are read are kept in the result, in their places: version; session.new, session.sessionId,
// session.application.applicationId, session.attributes.crampbot; context.System.application.applicationId;
// request.type, request.timestamp, request.locale, request.intent.name and request.intent.slots. Everything
// else an envelope carries (tokens, device, user, viewport) is skipped without building it. A member of the
// wrong type is kept as it is, so the reader that expects it refuses it as before. Stricter than
// parse_json_body in two ways Alexa never meets: an integer beyond 64 bits and a number beyond a double's
// range are refused rather than read as doubles. Throws nothing but std::bad_alloc.
//
// Why: building the whole envelope as a DOM was a fifth of the server's time on /alexa (perf); simdjson
// validates a body in a fraction of that.
ParsedBody parse_alexa_envelope(std::string_view body);

}  // namespace crampbot::alexa
