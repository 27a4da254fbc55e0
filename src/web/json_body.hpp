// Reading JSON request bodies: the content type, then core/json.hpp's readers (UTF-8, nesting depth,
// object shape, typed fields with errors naming the field). The readers themselves live in core so that
// modules without the HTTP server (fund's wire format, the event bus's client messages) share them;
// they are re-declared here so handlers keep writing web::JsonFields, web::RequiredString, ….
// Every function is pure and thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "core/json.hpp"
#include "core/result.hpp"
#include "web/http.hpp"

namespace hotline::web {

// The body as a JSON object. Errors: unsupported_media_type (415), invalid_json (400).
Result<nlohmann::json> ParseJsonObject(const Request& request);

using hotline::IsExplicitNull;
using hotline::JsonFields;
using hotline::OptionalBool;
using hotline::OptionalString;
using hotline::ParseJsonObjectBytes;
using hotline::RequiredString;

}  // namespace hotline::web
