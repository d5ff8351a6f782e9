// FakeProvider: an in-process ModelProvider for registry and runtime tests.
//
// Records what it was called with and answers with a configurable function (by default
// "<name>/<type>: <prompt>").
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "agent/ModelProvider.hpp"

namespace agent::host::test {

class FakeProvider : public ModelProvider {
 public:
  using Handler = std::function<ModelResult(ModelType, const GenerateTextParams&)>;

  explicit FakeProvider(std::string name, std::vector<ModelType> types = {ModelType::TextSmall})
      : name_(std::move(name)), types_(std::move(types)) {}

  std::vector<ModelType> supportedModelTypes() const noexcept override { return types_; }

  ModelResult generateText(ModelType type, const GenerateTextParams& params) noexcept override {
    {
      std::lock_guard lock(mutex_);
      calls_.push_back({type, params});
    }
    if (handler_) return handler_(type, params);
    ModelOutput output;
    output.text = name_ + "/" + std::string(toString(type)) + ": " + params.prompt;
    output.model = name_ + "-model";
    return output;
  }

  void setHandler(Handler handler) { handler_ = std::move(handler); }
  void failWith(ErrorKind kind) {
    handler_ = [kind, name = name_](ModelType, const GenerateTextParams&) -> ModelResult {
      return makeError(kind, name + " failed");
    };
  }

  struct Call {
    ModelType type;
    GenerateTextParams params;
  };
  std::vector<Call> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::vector<ModelType> types_;
  Handler handler_;
  mutable std::mutex mutex_;
  std::vector<Call> calls_;
};

}  // namespace agent::host::test
