// GenerateTextParams: one text-generation call, as the host hands it to a provider.
//
// Mirrors elizaOS's GenerateTextParams. Every optional field is "not set" unless the caller (or a
// host-side DEFAULT_<PARAM> / <TYPE>_<PARAM> setting) set it; providers forward only what is set.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agent/Cancellation.hpp"
#include "agent/ToolCall.hpp"
#include "agent/TraceContext.hpp"

namespace agent {

/// One chat message. Roles follow the OpenAI convention: system, developer, user, assistant, tool.
/// An assistant message may carry the tool calls it made (content may then be empty); a tool
/// message answers one of them and names it in toolCallId.
struct ChatMessage {
  ChatMessage() = default;
  ChatMessage(std::string role, std::string content)
      : role(std::move(role)), content(std::move(content)) {}

  std::string role;
  std::string content;
  std::vector<ToolCall> toolCalls{};  // assistant only
  std::string toolCallId{};           // tool only: the ToolCall::id this message answers
  std::string name{};                 // optional participant name; empty when unset
};

/// Receives each piece of streamed text as it arrives. Return false to cancel the call: the
/// provider stops reading, closes the connection and ends the call as ErrorKind::Cancelled.
using ChunkCallback = std::function<bool(std::string_view chunk)>;

/// Receives each tool call of a streamed reply once it is complete, while the stream goes on, so
/// a host can start running it early. Return false to cancel the call.
using ToolCallCallback = std::function<bool(const ToolCall& call)>;

struct GenerateTextParams {
  std::string prompt;
  std::optional<std::string> system;
  std::vector<ChatMessage> messages;  // when non-empty, used instead of system + prompt

  std::optional<std::int64_t> maxTokens;
  std::optional<double> temperature;
  std::optional<double> topP;
  std::optional<double> topK;  // elizaOS fields a provider may ignore
  std::optional<double> minP;
  std::optional<double> repetitionPenalty;
  std::optional<std::int64_t> seed;
  std::optional<double> frequencyPenalty;
  std::optional<double> presencePenalty;
  std::optional<std::vector<std::string>> stopSequences;

  std::optional<std::string> responseSchema;  // JSON Schema as JSON text: asks for a JSON reply
  std::optional<std::string> user;

  std::vector<ToolDefinition> tools;     // the tools the model may call; none when empty
  std::optional<ToolChoice> toolChoice;  // not sent when unset; ignored when tools is empty
  std::optional<bool> parallelToolCalls;
  std::optional<std::string> model;  // a model id that replaces the one configured for the type

  /// The whole call, retries included, ends by this time (ErrorKind::Timeout); the provider's own
  /// timeout setting still applies when it is sooner.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  /// When set and cancelled, the call ends promptly as ErrorKind::Cancelled, streamed or not.
  std::shared_ptr<CancellationToken> cancellation;

  /// This call's span, set by the host; a provider may forward it (an HTTP traceparent header) and
  /// copies it into MODEL_USED (agent/ModelUsed.hpp does).
  TraceContext trace;

  bool stream = false;
  ChunkCallback onChunk;           // called only when stream is true
  ChunkCallback onReasoningChunk;  // streamed reasoning text, when the model sends any
  ToolCallCallback onToolCall;     // each complete tool call of a streamed reply
};

}  // namespace agent
