// GenAiConventions: the attribute, span and metric names this plugin writes, from the OpenTelemetry
// semantic conventions v1.37.0 (gen_ai.*, server.*, error.type; the GenAI parts are marked
// Development there). The few names v1.37.0 does not have come from the newer GenAI conventions
// and are marked below; they are written only when the event carries the value.
#pragma once

#include <string_view>

namespace agent::otel::conv {

inline constexpr std::string_view kSchemaUrl = "https://opentelemetry.io/schemas/1.37.0";

inline constexpr std::string_view kOperationName = "gen_ai.operation.name";
inline constexpr std::string_view kProviderName = "gen_ai.provider.name";
inline constexpr std::string_view kRequestModel = "gen_ai.request.model";
inline constexpr std::string_view kRequestMaxTokens = "gen_ai.request.max_tokens";
inline constexpr std::string_view kRequestTemperature = "gen_ai.request.temperature";
inline constexpr std::string_view kRequestTopP = "gen_ai.request.top_p";
inline constexpr std::string_view kRequestTopK = "gen_ai.request.top_k";
inline constexpr std::string_view kRequestSeed = "gen_ai.request.seed";
inline constexpr std::string_view kRequestStopSequences = "gen_ai.request.stop_sequences";
inline constexpr std::string_view kRequestFrequencyPenalty = "gen_ai.request.frequency_penalty";
inline constexpr std::string_view kRequestPresencePenalty = "gen_ai.request.presence_penalty";
inline constexpr std::string_view kResponseId = "gen_ai.response.id";
inline constexpr std::string_view kResponseModel = "gen_ai.response.model";
inline constexpr std::string_view kResponseFinishReasons = "gen_ai.response.finish_reasons";
inline constexpr std::string_view kUsageInputTokens = "gen_ai.usage.input_tokens";
inline constexpr std::string_view kUsageOutputTokens = "gen_ai.usage.output_tokens";
inline constexpr std::string_view kAgentName = "gen_ai.agent.name";
inline constexpr std::string_view kToolName = "gen_ai.tool.name";
inline constexpr std::string_view kToolCallId = "gen_ai.tool.call.id";
inline constexpr std::string_view kTokenType = "gen_ai.token.type";
inline constexpr std::string_view kServerAddress = "server.address";
inline constexpr std::string_view kServerPort = "server.port";
inline constexpr std::string_view kErrorType = "error.type";

// From the newer GenAI conventions (not in v1.37.0).
inline constexpr std::string_view kRequestStream = "gen_ai.request.stream";
inline constexpr std::string_view kResponseTimeToFirstChunk = "gen_ai.response.time_to_first_chunk";
inline constexpr std::string_view kUsageCacheReadInputTokens =
    "gen_ai.usage.cache_read.input_tokens";
inline constexpr std::string_view kUsageCacheCreationInputTokens =
    "gen_ai.usage.cache_creation.input_tokens";
inline constexpr std::string_view kUsageReasoningOutputTokens =
    "gen_ai.usage.reasoning.output_tokens";

// Content capture (only when it is switched on): the prompt as an attribute of the span.
inline constexpr std::string_view kInputMessages = "gen_ai.input.messages";

// Not GenAI conventions: what the host adds, under its own namespace.
inline constexpr std::string_view kAttempts = "agent_host.attempts";
inline constexpr std::string_view kModelType = "agent_host.model_type";
inline constexpr std::string_view kToolSource = "agent_host.tool.source";
inline constexpr std::string_view kRunSteps = "agent_host.run.steps";
inline constexpr std::string_view kRunToolRuns = "agent_host.run.tool_runs";
inline constexpr std::string_view kFailoverEvent = "agent_host.failover";

inline constexpr std::string_view kOperationChat = "chat";
inline constexpr std::string_view kOperationExecuteTool = "execute_tool";
inline constexpr std::string_view kOperationInvokeAgent = "invoke_agent";

inline constexpr std::string_view kTokenUsageMetric = "gen_ai.client.token.usage";
inline constexpr std::string_view kOperationDurationMetric = "gen_ai.client.operation.duration";

}  // namespace agent::otel::conv
