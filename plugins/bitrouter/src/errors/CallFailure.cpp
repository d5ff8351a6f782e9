#include "errors/CallFailure.hpp"

#include <utility>

namespace agent::bitrouter {

CallFailure CallFailure::make(ErrorKind kind, std::string what, std::string hint, int httpStatus) {
  CallFailure failure;
  failure.error = makeError(kind, std::move(what), httpStatus);
  failure.hint = std::move(hint);
  return failure;
}

ModelError CallFailure::finish(std::string_view model, int attempts) && {
  // A refusal's message is the model's own words, nothing added.
  if (error.kind == ErrorKind::Refused) return std::move(error);
  std::string message = std::move(error.message);
  message += " for model '";
  message += model;
  message += "'";
  if (attempts > 1) message += " after " + std::to_string(attempts) + " attempts";
  if (error.httpStatus != 0 && !error.requestId.empty()) {
    message += " [request " + error.requestId + "]";
  }
  if (!hint.empty()) message += ": " + hint;
  error.message = std::move(message);
  return std::move(error);
}

}  // namespace agent::bitrouter
