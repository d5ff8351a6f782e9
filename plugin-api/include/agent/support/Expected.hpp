// Expected: a value or an error, the one form in which the plugin's internal steps report
// failures (parsing, validation, the transport).
//
// Errors are values in this plugin; this is the small carrier between the steps of a call, so a
// parser can say "malformed" without throwing and the client can add context before returning.
// The error is a ModelError, or a CallFailure where a failed attempt still needs its hint.
#pragma once

#include <utility>
#include <variant>

#include "agent/ModelResult.hpp"

namespace agent {

/// The value of an Expected whose success carries nothing.
struct Done {};

template <class T, class E = ModelError>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : value_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Expected(E error) : value_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool ok() const noexcept { return value_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<0>(value_); }
  const T& value() const& { return std::get<0>(value_); }
  T&& value() && { return std::get<0>(std::move(value_)); }
  E& error() & { return std::get<1>(value_); }
  const E& error() const& { return std::get<1>(value_); }
  E&& error() && { return std::get<1>(std::move(value_)); }

 private:
  std::variant<T, E> value_;
};

}  // namespace agent
