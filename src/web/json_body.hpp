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

// Reads the fields of one object and keeps the first error, so a handler reads all its fields in a row
// and checks once:
//   web::JsonFields f(body);
//   n.subject = f.Required("subject", 100);
//   n.channel = f.Check(ParseChannelField(body)).value_or(Channel::kPhone);
//   if (!f.ok()) return ErrorResponse(f.error());
// After an error every getter returns an empty value. Not thread-safe (a local of one handler).
class JsonFields {
 public:
  explicit JsonFields(const nlohmann::json& obj) : obj_(obj) {}

  std::string Required(std::string_view field, size_t max_chars = 1000) {
    return Check(RequiredString(obj_, field, max_chars));
  }
  std::optional<std::string> Optional(std::string_view field, size_t max_chars = 1000) {
    return Check(OptionalString(obj_, field, max_chars));
  }
  std::optional<bool> Bool(std::string_view field) { return Check(OptionalBool(obj_, field)); }
  // Any other reader's result: its value, or T{} once an error has been seen (the first one is kept).
  template <typename T>
  T Check(Result<T> r) {
    if (error_) return T{};
    if (!r.ok()) {
      error_ = r.error();
      return T{};
    }
    return std::move(*r);
  }

  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }  // REQUIRES: !ok()

 private:
  const nlohmann::json& obj_;
  std::optional<Error> error_;
};

}  // namespace hotline::web
