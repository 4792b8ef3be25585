// Result<T>: a value or an Error, for every operation that can fail in an expected way.
// Propagate with SG_TRY(expr), which yields the value or returns the error from the caller.
#pragma once

#include <cstdlib>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/assert.h"
#include "core/error.h"

namespace sg::core {

template <typename T>
class [[nodiscard]] Result {
 public:
  using value_type = T;

  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  T& value() & {
    SG_ASSERT(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    SG_ASSERT(ok());
    return std::get<0>(state_);
  }
  // By value, so `for (auto& x : f().value())` iterates a live object, not a reference into
  // the destroyed temporary.
  T value() && {
    SG_ASSERT(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok().
  const Error& error() const& {
    SG_ASSERT(!ok());
    return std::get<1>(state_);
  }
  Error error() && {
    SG_ASSERT(!ok());
    return std::get<1>(std::move(state_));
  }

  T value_or(T fallback) const& { return ok() ? std::get<0>(state_) : std::move(fallback); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  using value_type = void;

  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  void value() const { SG_ASSERT(ok()); }
  // kOk on success, else the error's code.
  Code code() const { return ok() ? Code::kOk : error_->code; }

  const Error& error() const& {
    SG_ASSERT(!ok());
    return *error_;
  }
  Error&& error() && {
    SG_ASSERT(!ok());
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Status ok_status() { return {}; }

}  // namespace sg::core

// SG_TRY(expr): evaluates a Result; on error returns the Error from the enclosing function,
// otherwise yields the value (for Result<void>, yields nothing). Uses a GNU statement
// expression, supported by both g++ and clang.
#define SG_TRY(expr)                                                    \
  ({                                                                    \
    auto&& sg_try_result_ = (expr);                                     \
    if (!sg_try_result_.ok()) return std::move(sg_try_result_).error(); \
    std::move(sg_try_result_).value();                                  \
  })
