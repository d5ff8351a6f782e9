#include "metrics/GenAiMetrics.hpp"

#include <chrono>

#include "trace/GenAiConventions.hpp"

namespace agent::otel {
namespace {

using namespace std::chrono;

std::uint64_t nowUnixNano() {
  return static_cast<std::uint64_t>(
      duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count());
}

// The attributes both metrics share.
Attributes commonAttributes(const std::string& provider, const std::string& model,
                            const std::string& serverAddress, std::optional<int> serverPort) {
  Attributes attributes;
  attributes.reserve(7);
  attributes.push_back({std::string(conv::kOperationName), std::string(conv::kOperationChat)});
  attributes.push_back({std::string(conv::kProviderName), provider});
  if (!model.empty()) attributes.push_back({std::string(conv::kRequestModel), model});
  if (!serverAddress.empty()) {
    attributes.push_back({std::string(conv::kServerAddress), serverAddress});
  }
  if (serverPort) {
    attributes.push_back({std::string(conv::kServerPort), static_cast<std::int64_t>(*serverPort)});
  }
  return attributes;
}

double seconds(milliseconds duration) {
  return duration_cast<std::chrono::duration<double>>(duration).count();
}

}  // namespace

GenAiMetrics::GenAiMetrics()
    : startUnixNano_(nowUnixNano()),
      tokenUsage_(std::string(conv::kTokenUsageMetric), "Number of input and output tokens used",
                  "{token}",
                  {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216,
                   67108864}),
      operationDuration_(std::string(conv::kOperationDurationMetric), "GenAI operation duration",
                         "s",
                         {0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48,
                          40.96, 81.92}) {}

void GenAiMetrics::record(const ModelUsedEvent& event) {
  Attributes attributes =
      commonAttributes(event.provider, event.model, event.serverAddress, event.serverPort);
  if (!event.responseModel.empty()) {
    attributes.push_back({std::string(conv::kResponseModel), event.responseModel});
  }
  operationDuration_.record(seconds(event.duration), attributes);
  attributes.push_back({std::string(conv::kTokenType), std::string("input")});
  tokenUsage_.record(static_cast<double>(event.tokens.promptTokens), attributes);
  attributes.back().value = std::string("output");
  tokenUsage_.record(static_cast<double>(event.tokens.completionTokens), attributes);
}

void GenAiMetrics::record(const ModelFailedEvent& event) {
  Attributes attributes =
      commonAttributes(event.provider, event.model, event.serverAddress, event.serverPort);
  attributes.push_back({std::string(conv::kErrorType), std::string(toString(event.kind))});
  operationDuration_.record(seconds(event.duration), attributes);
}

bool GenAiMetrics::empty() const {
  return tokenUsage_.empty() && operationDuration_.empty();
}

MetricsSnapshot GenAiMetrics::snapshot() const {
  MetricsSnapshot snapshot;
  snapshot.startUnixNano = startUnixNano_;
  snapshot.timeUnixNano = nowUnixNano();
  snapshot.histograms.push_back(tokenUsage_.snapshot());
  snapshot.histograms.push_back(operationDuration_.snapshot());
  return snapshot;
}

}  // namespace agent::otel
