#include "core/error.hpp"

namespace hotline {

std::string_view ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument:
      return "invalid_argument";
    case ErrorKind::kUnauthenticated:
      return "unauthenticated";
    case ErrorKind::kPermissionDenied:
      return "permission_denied";
    case ErrorKind::kNotFound:
      return "not_found";
    case ErrorKind::kConflict:
      return "conflict";
    case ErrorKind::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorKind::kResourceExhausted:
      return "resource_exhausted";
    case ErrorKind::kFailedPrecondition:
      return "failed_precondition";
    case ErrorKind::kUnavailable:
      return "unavailable";
    case ErrorKind::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace hotline
