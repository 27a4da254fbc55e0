// Result<T>: a value or an Error (C++23's std::expected is not in g++ 12's library yet).
// Status is Result<void>. Both are cheap to move and not thread-safe (plain values).
#pragma once

#include <cassert>
#include <optional>
#include <utility>
#include <variant>

#include "core/error.hpp"

namespace hotline {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok()
  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& take_error() {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    assert(!ok());
    return *error_;
  }
  Error&& take_error() {
    assert(!ok());
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Status OkStatus() { return {}; }

}  // namespace hotline

// Early return of the error of a Result/Status expression.
#define HOTLINE_RETURN_IF_ERROR(expr)                          \
  do {                                                         \
    if (auto _st = (expr); !_st.ok()) return _st.take_error(); \
  } while (0)

#define HOTLINE_CONCAT_INNER(a, b) a##b
#define HOTLINE_CONCAT(a, b) HOTLINE_CONCAT_INNER(a, b)
// HOTLINE_ASSIGN_OR_RETURN(auto x, Expr()): binds the value or returns the error.
#define HOTLINE_ASSIGN_OR_RETURN(decl, expr) \
  HOTLINE_ASSIGN_OR_RETURN_IMPL(HOTLINE_CONCAT(_res_, __LINE__), decl, expr)
#define HOTLINE_ASSIGN_OR_RETURN_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.take_error();              \
  decl = std::move(tmp).value()
