// Expected: a value or an error, the one form in which the host and the plugins return failures
// as values (parsing, validation, the transport, loading, starting a process).
//
// Failures are expected (files are broken, servers fail), so they are values, never exceptions.
// The error is a ModelError by default; a step that has no model call to blame uses a one-line
// std::string, and a plugin may use its own error type.
#pragma once

#include <utility>
#include <variant>

#include "agent/ModelResult.hpp"

namespace agent {

/// No value, only success or an error: Expected<Done, std::string>.
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
