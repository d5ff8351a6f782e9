// Expected: a value or a ModelError, for the plugin's internal steps (parsing, validation).
//
// Errors are values in this plugin; this is the small carrier between the steps of a call, so a
// parser can say "malformed" without throwing and the client can add context before returning.
#pragma once

#include <utility>
#include <variant>

#include "agent/ModelResult.hpp"

namespace agent::bitrouter {

template <class T>
class Expected {
 public:
  Expected(T value) : value_(std::move(value)) {}           // NOLINT: implicit by design
  Expected(ModelError error) : value_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const noexcept { return std::holds_alternative<T>(value_); }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  ModelError& error() & { return std::get<ModelError>(value_); }
  const ModelError& error() const& { return std::get<ModelError>(value_); }

 private:
  std::variant<T, ModelError> value_;
};

}  // namespace agent::bitrouter
