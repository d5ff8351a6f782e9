// Events: what the host tells observers (agent/EventObserver.hpp) about model calls, tool runs
// and the runs of the tool loop.
//
// elizaOS's MODEL_REGISTERED, MODEL_USED, RUN_STARTED and RUN_ENDED, plus MODEL_FAILED and the
// tool events, which an operator needs to see failures and tool runs the agent's own code may
// swallow. Every event of an operation carries its TraceContext and start time, so an observer can
// rebuild the trace: a run's span is the root, its model calls and tool runs are its children.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/ModelMetadata.hpp"
#include "agent/ModelResult.hpp"
#include "agent/ModelType.hpp"
#include "agent/TraceContext.hpp"

namespace agent {

/// MODEL_REGISTERED: a provider was registered for a model type (at load).
struct ModelRegisteredEvent {
  ModelType type = ModelType::TextSmall;
  std::string provider;
  double priority = 0;
  ModelMetadata metadata;
};

/// The sampling settings a call asked for (the ones that were set), for traces.
struct RequestedSampling {
  std::optional<std::int64_t> maxTokens;
  std::optional<double> temperature;
  std::optional<double> topP;
  std::optional<double> topK;
  std::optional<double> frequencyPenalty;
  std::optional<double> presencePenalty;
  std::optional<std::int64_t> seed;
  std::vector<std::string> stopSequences;
};

/// One registration a call tried and left (failover), in the order tried.
struct ProviderAttempt {
  std::string provider;
  ModelType type = ModelType::TextSmall;
  ErrorKind kind = ErrorKind::Internal;
  int httpStatus = 0;
  std::string message;
  std::chrono::milliseconds duration{0};
};

/// MODEL_USED: emitted by a provider after each successful call; agent::modelUsedEvent
/// (agent/ModelUsed.hpp) fills it from the call.
struct ModelUsedEvent {
  std::string provider;                   // the plugin name
  ModelType type = ModelType::TextSmall;  // the type whose handler served (after any fallback)
  std::string model;                      // the model string sent to the backend
  TokenUsage tokens;
  std::chrono::milliseconds duration{0};  // the whole call, retries included
  std::string requestId{};                // the last attempt's request id, when there was one
  bool streamed = false;
  int attempts = 1;      // requests sent, retries included
  std::string prompt{};  // the prompt cut to 200 characters, never more (secrets, personal data)
  std::string responseId{};
  std::string responseModel{};
  std::string finishReason{};
  std::optional<std::chrono::milliseconds> timeToFirstChunk{};
  std::chrono::system_clock::time_point startTime{};
  RequestedSampling request{};
  TraceContext trace{};
  std::string serverAddress{};
  std::optional<int> serverPort{};
  /// Registrations tried before this one and left (failover); the host fills it.
  std::vector<ProviderAttempt> failedAttempts{};
};

/// MODEL_FAILED: a useModel call that ended in an error, emitted by the host.
struct ModelFailedEvent {
  std::string provider;                   // the provider tried last; empty when none was found
  ModelType type = ModelType::TextSmall;  // the type whose handler was tried (after fallback)
  std::string model{};                    // the model id asked for, when the caller named one
  ErrorKind kind = ErrorKind::Internal;
  std::string message;
  int httpStatus = 0;
  std::string requestId;
  std::chrono::milliseconds duration{0};  // the whole call, failover included
  std::chrono::system_clock::time_point startTime{};
  bool streamed = false;
  RequestedSampling request{};
  TraceContext trace{};
  std::string serverAddress{};
  std::optional<int> serverPort{};
  std::vector<ProviderAttempt> attempts{};  // every registration tried, the last one included
};

/// A tool run started (the tool loop runs each tool call the model makes).
struct ToolStartedEvent {
  std::string tool;    // the name the model called
  std::string callId;  // the model's id for the call; empty outside a model's turn
  std::string source;  // where the tool comes from, e.g. the MCP server; empty: the application
  std::chrono::system_clock::time_point startTime{};
  TraceContext trace{};  // the tool run's own span, a child of the loop run's span
};

/// A tool run ended.
struct ToolEndedEvent {
  std::string tool;
  std::string callId;
  std::string source;
  std::chrono::system_clock::time_point startTime{};
  std::chrono::milliseconds duration{0};
  bool failed = false;
  std::string error{};  // one line, when failed
  TraceContext trace{};
};

/// RUN_STARTED: a run of the tool loop (runWithTools) began. Its span is the root of the trace
/// that holds the run's model calls and tool runs, unless the caller passed a span of its own.
struct RunStartedEvent {
  std::string agent;                      // the character's name; empty when it has none
  ModelType type = ModelType::TextSmall;  // the model type the run asked for
  std::chrono::system_clock::time_point startTime{};
  TraceContext trace{};  // the run's span
};

/// RUN_ENDED: the run ended, with its answer or the error that ended it.
struct RunEndedEvent {
  std::string agent;
  ModelType type = ModelType::TextSmall;
  std::chrono::system_clock::time_point startTime{};
  std::chrono::milliseconds duration{0};
  int steps = 0;           // model calls made
  int toolRuns = 0;        // tool calls answered (run, refused or declined)
  std::string provider{};  // the provider of the last model call; empty when none was found
  std::optional<ErrorKind> error{};  // set when the run failed
  std::string errorMessage{};        // one line, when it failed
  TraceContext trace{};
};

}  // namespace agent
