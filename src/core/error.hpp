// The one error type of hotline12329 (docs/ERRORS.md). Expected failures — bad input, a missing
// record, a wrong password, a peer that is down — travel as values of `Error` inside `Result<T>`;
// bugs are asserts; exceptions are for start-up and configuration only.
//
// An Error has a kind (what class of failure, which decides the HTTP/SIP/SMPP status), a stable
// machine code in snake_case that clients may switch on (never renamed once published), and a
// human message that says what went wrong and what to do next.
#pragma once

#include <string>
#include <string_view>

namespace hotline {

enum class ErrorKind {
  kInvalidArgument,     // the caller sent something malformed or out of range (HTTP 400)
  kUnauthenticated,     // no valid session or credentials (HTTP 401)
  kPermissionDenied,    // authenticated, but the role may not do this (HTTP 403)
  kNotFound,            // no such record, or outside the caller's scope (HTTP 404)
  kConflict,            // the record exists already or changed meanwhile (HTTP 409)
  kPayloadTooLarge,     // a body over the configured limit (HTTP 413)
  kResourceExhausted,   // rate limited or locked out for a while (HTTP 429)
  kFailedPrecondition,  // the system state forbids it, e.g. an illegal transition (HTTP 409)
  kUnavailable,         // a dependency (database, core system, SMSC) is down: retry later (HTTP 503)
  kInternal,            // a bug or an unexpected failure; details are in the log (HTTP 500)
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string code;     // stable, e.g. "invalid_json"
  std::string message;  // for people; may be Chinese; never contains personal data

  static Error InvalidArgument(std::string code, std::string message) {
    return {ErrorKind::kInvalidArgument, std::move(code), std::move(message)};
  }
  static Error NotFound(std::string message) {
    return {ErrorKind::kNotFound, "not_found", std::move(message)};
  }
  static Error Conflict(std::string code, std::string message) {
    return {ErrorKind::kConflict, std::move(code), std::move(message)};
  }
  static Error Unavailable(std::string message) {
    return {ErrorKind::kUnavailable, "unavailable", std::move(message)};
  }
  static Error Internal(std::string message) {
    return {ErrorKind::kInternal, "internal", std::move(message)};
  }
};

std::string_view ErrorKindName(ErrorKind kind);

}  // namespace hotline
