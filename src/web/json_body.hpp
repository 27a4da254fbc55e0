// Reading JSON request bodies safely: content type, UTF-8, nesting depth (a deeply nested body must
// not exhaust the stack of the recursive parser), object shape, and typed fields with clear errors
// naming the field. Every function is pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "web/http.hpp"

namespace hotline::web {

// The body as a JSON object. Errors: unsupported_media_type (415), invalid_json (400).
Result<nlohmann::json> ParseJsonObject(const Request& request);
// Same, from raw bytes (fuzz target entry point). `max_depth` bounds arrays/objects nesting.
Result<nlohmann::json> ParseJsonObjectBytes(std::string_view bytes, int max_depth = 32);

// Typed field access; errors are invalid_field with a message naming the field.
Result<std::string> RequiredString(const nlohmann::json& obj, std::string_view field, size_t max_chars = 1000);
Result<std::optional<std::string>> OptionalString(const nlohmann::json& obj, std::string_view field,
                                                  size_t max_chars = 1000);
Result<std::optional<bool>> OptionalBool(const nlohmann::json& obj, std::string_view field);
// True when the key is present with the value null (to clear a field).
bool IsExplicitNull(const nlohmann::json& obj, std::string_view field);

}  // namespace hotline::web
