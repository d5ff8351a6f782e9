#include "MicroSupport.hpp"

namespace agent::bench::micro {
namespace {

constexpr const char* kId = "5f0c1a52-3c1e-4a8e-9d0b-6d7b2f1e9a44";

}  // namespace

std::string completionBody(const std::string& content) {
  return std::string(R"({"id":")") + kId +
         R"(","object":"chat.completion","model":"gpt-4o-mini","choices":[{"index":0,)"
         R"("message":{"role":"assistant","content":")" +
         content +
         R"("},"finish_reason":"stop"}],"usage":{"prompt_tokens":8,"completion_tokens":16,)"
         R"("total_tokens":24}})";
}

std::string contentFrame(const std::string& content) {
  return std::string(R"(data: {"id":")") + kId +
         R"(","object":"chat.completion.chunk","model":"gpt-4o-mini","choices":[{"index":0,)"
         R"("delta":{"content":")" +
         content + R"("},"finish_reason":null}]})" + "\n\n";
}

std::string finishFrames() {
  return std::string(R"(data: {"id":")") + kId +
         R"(","object":"chat.completion.chunk","model":"gpt-4o-mini","choices":[{"index":0,)"
         R"("delta":{},"finish_reason":"stop"}]})"
         "\n\ndata: [DONE]\n\n";
}

}  // namespace agent::bench::micro
