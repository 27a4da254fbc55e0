// Reading JSON objects from untrusted bytes safely: UTF-8, nesting depth (a deeply nested document must
// not exhaust the stack of the recursive parser), object shape, and typed fields with clear errors
// naming the field. For every reader of JSON from outside the process — HTTP request bodies (web's
// json_body.hpp adds the content-type check), the core system's responses (fund/wire.cpp), the live
// channel's client messages (events/client_messages.hpp) — so none of them needs the HTTP server.
// Every function is pure and thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace hotline {

// The bytes as a JSON object. Errors: invalid_json (bad UTF-8, nesting deeper than `max_depth` arrays
// and objects, not JSON, not an object).
Result<nlohmann::json> ParseJsonObjectBytes(std::string_view bytes, int max_depth = 32);

// Typed field access; errors are invalid_field with a message naming the field.
Result<std::string> RequiredString(const nlohmann::json& obj, std::string_view field,
                                   size_t max_chars = 1000);
Result<std::optional<std::string>> OptionalString(const nlohmann::json& obj, std::string_view field,
                                                  size_t max_chars = 1000);
Result<std::optional<bool>> OptionalBool(const nlohmann::json& obj, std::string_view field);
// True when the key is present with the value null (to clear a field).
bool IsExplicitNull(const nlohmann::json& obj, std::string_view field);

// Reads the fields of one object and keeps the first error, so a handler reads all its fields in a row
// and checks once:
//   JsonFields f(body);
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

}  // namespace hotline
