#include "agent/host/AgentRuntime.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <variant>

#include "CallPool.hpp"
#include "FailoverPolicy.hpp"
#include "InFlightAttempts.hpp"
#include "TraceIds.hpp"
#include "agent/ModelUsed.hpp"
#include "agent/host/EventBus.hpp"
#include "agent/host/Logger.hpp"
#include "agent/host/ModelRegistry.hpp"
#include "agent/host/Settings.hpp"
#include "agent/support/Text.hpp"

namespace agent::host {
namespace {

constexpr std::string_view kSource = "runtime";

// Looks up <TYPE>_<PARAM>, then DEFAULT_<PARAM>; the first one that parses wins. A value that
// does not parse is reported and skipped (elizaOS's Number() would turn it into NaN and drop it).
//
// The runtime reads these once per model type (see callDefaults), so a bad value is reported once.
template <class T, class Parse>
std::optional<T> numericSetting(const Settings& settings, Logger& logger, ModelType type,
                                std::string_view param, Parse parse, std::string_view expected) {
  constexpr std::string_view kDefaultPrefix = "DEFAULT_";
  const std::string_view typeName = toString(type);
  std::array<char, 96> buffer{};  // longest: "TEXT_TOKENIZER_DECODE_REPETITION_PENALTY" (39)
  const std::size_t typeKeyLength = typeName.size() + 1 + param.size();
  const std::size_t defaultKeyLength = kDefaultPrefix.size() + param.size();
  if (typeKeyLength + defaultKeyLength > buffer.size()) return std::nullopt;  // cannot happen
  char* out = buffer.data();
  out = std::copy(typeName.begin(), typeName.end(), out);
  *out++ = '_';
  out = std::copy(param.begin(), param.end(), out);
  out = std::copy(kDefaultPrefix.begin(), kDefaultPrefix.end(), out);
  std::copy(param.begin(), param.end(), out);
  const std::array<std::string_view, 2> keys{
      std::string_view(buffer.data(), typeKeyLength),
      std::string_view(buffer.data() + typeKeyLength, defaultKeyLength)};
  for (const std::string_view key : keys) {
    const auto value = settings.get(key);
    if (!value || text::isBlank(*value)) continue;
    if (auto parsed = parse(*value)) return static_cast<T>(*parsed);
    logger.log(LogLevel::Warn, kSource,
               "ignoring setting " + std::string(key) + ": not " + std::string(expected));
  }
  return std::nullopt;
}

template <class T>
void mergeUnder(std::optional<T>& field, const std::optional<T>& fallback) {
  if (!field) field = fallback;  // the call's own value wins
}

std::string noProviderMessage() {
  return "This agent has no LLM provider configured: no plugin registered a text model. Enable "
         "one (e.g. set BITROUTER_API_KEY or BITROUTER_BASE_URL, or ECHO_PROVIDER=1 for the "
         "offline "
         "echo provider) and check `agent-host providers`.";
}

std::string noHandlerMessage(ModelType type, std::optional<std::string_view> provider) {
  std::string message = "No handler found for delegate type: ";
  message += toString(type);
  if (provider) {
    message += " (provider '";
    message += *provider;
    message += "' serves neither it nor a fallback for it; ";
  } else {
    message += " (no plugin serves it or a fallback for it; ";
  }
  message += "`agent-host providers` lists what is registered)";
  return message;
}

}  // namespace

AgentRuntime::AgentRuntime(const Settings& settings, const ModelRegistry& registry, Logger& logger,
                           EventBus* events)
    : settings_(settings),
      registry_(registry),
      logger_(logger),
      events_(events),
      inFlight_(std::make_unique<InFlightAttempts>()) {
  const auto failover = settings_.getSwitch("MODEL_FAILOVER", false);
  if (!failover) {
    settingError_ = failover.error().message;
    logger_.log(LogLevel::Error, kSource, failover.error().message);
  } else {
    failover_ = failover.value();
  }
  // LLM_MODE: SMALL, LARGE or DEFAULT, any case.
  if (const auto mode = settings_.get("LLM_MODE"); mode && !text::isBlank(*mode)) {
    const std::string_view value = text::trim(*mode);
    if (text::equalsIgnoreCase(value, "SMALL")) llmMode_ = ModelType::TextSmall;
    if (text::equalsIgnoreCase(value, "LARGE")) llmMode_ = ModelType::TextLarge;
    if (!llmMode_ && !text::equalsIgnoreCase(value, "DEFAULT")) {
      logger_.log(LogLevel::Warn, kSource,
                  "ignoring LLM_MODE: expected SMALL, LARGE or DEFAULT; using DEFAULT");
    }
  }
}

const AgentRuntime::CallDefaults& AgentRuntime::callDefaults(ModelType type) const {
  // Settings do not change while the host runs, so each type's are looked up once, not on
  // every call (they were 18 lookups per call).
  const auto index = static_cast<std::size_t>(type);
  std::call_once(callDefaultsOnce_[index], [&] {
    const auto asInt = [](std::string_view v) { return text::parseInt64(v); };
    const auto asDouble = [](std::string_view v) { return text::parseNumber(v); };
    CallDefaults& d = callDefaults_[index];
    const Settings& s = settings_;
    d.maxTokens = numericSetting<std::int64_t>(s, logger_, type, "MAX_TOKENS", asInt, "an integer");
    d.temperature = numericSetting<double>(s, logger_, type, "TEMPERATURE", asDouble, "a number");
    d.topP = numericSetting<double>(s, logger_, type, "TOP_P", asDouble, "a number");
    d.topK = numericSetting<double>(s, logger_, type, "TOP_K", asDouble, "a number");
    d.minP = numericSetting<double>(s, logger_, type, "MIN_P", asDouble, "a number");
    d.seed = numericSetting<std::int64_t>(s, logger_, type, "SEED", asInt, "an integer");
    d.repetitionPenalty =
        numericSetting<double>(s, logger_, type, "REPETITION_PENALTY", asDouble, "a number");
    d.frequencyPenalty =
        numericSetting<double>(s, logger_, type, "FREQUENCY_PENALTY", asDouble, "a number");
    d.presencePenalty =
        numericSetting<double>(s, logger_, type, "PRESENCE_PENALTY", asDouble, "a number");
  });
  return callDefaults_[index];
}

Expected<Done, SettingError> AgentRuntime::checkSettings(const Settings& settings) {
  auto failover = settings.getSwitch("MODEL_FAILOVER", false);
  if (!failover) return std::move(failover).error();
  return Done{};
}

GenerateTextParams AgentRuntime::prepareParams(ModelType& type, GenerateTextParams params) const {
  // 1. LLM_MODE (read once, when the runtime was built) rewrites the text tiers before resolution.
  if (llmMode_ && followsLlmMode(type)) type = *llmMode_;

  // 2. <TYPE>_<PARAM> / DEFAULT_<PARAM>, keyed by the requested type, merged under the params.
  const CallDefaults& defaults = callDefaults(type);
  mergeUnder(params.maxTokens, defaults.maxTokens);
  mergeUnder(params.temperature, defaults.temperature);
  mergeUnder(params.topP, defaults.topP);
  mergeUnder(params.topK, defaults.topK);
  mergeUnder(params.minP, defaults.minP);
  mergeUnder(params.seed, defaults.seed);
  mergeUnder(params.repetitionPenalty, defaults.repetitionPenalty);
  mergeUnder(params.frequencyPenalty, defaults.frequencyPenalty);
  mergeUnder(params.presencePenalty, defaults.presencePenalty);

  // 3. user defaults to the character's name for text calls.
  if (!params.user && isTextGeneration(type) && !settings_.character().name.empty()) {
    params.user = settings_.character().name;
  }

  // 4. A callback without stream (or stream without a callback) is harmless: providers call
  // onChunk only when stream is set, so there is nothing to normalize here.
  return params;
}

const std::string& AgentRuntime::agentName() const noexcept {
  return settings_.character().name;
}

std::vector<ProviderAttempt> AgentRuntime::failedAttempts(const TraceContext& trace) const {
  return inFlight_->find(trace.spanId);
}

ModelResult AgentRuntime::useModel(ModelType type, GenerateTextParams params,
                                   std::optional<std::string_view> provider, CallInfo* info) const {
  const auto started = std::chrono::steady_clock::now();
  const auto startTime = std::chrono::system_clock::now();
  params.trace = spanUnder(params.trace);  // this call's own span
  CallInfo local;
  CallInfo& callInfo = info != nullptr ? *info : local;
  std::vector<ProviderAttempt> attempts;
  ModelResult result = resolveAndCall(type, params, provider, callInfo, attempts);
  if (!result.ok() && events_ != nullptr) {
    const ModelError& error = result.error();
    ModelFailedEvent event;
    event.provider = callInfo.provider;
    event.type = callInfo.attempts > 0 ? callInfo.servedAs : type;
    if (params.model) event.model = *params.model;
    event.kind = error.kind;
    event.message = error.message;
    event.httpStatus = error.httpStatus;
    event.requestId = error.requestId;
    event.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    event.startTime = startTime;
    event.streamed = params.stream;
    event.request = requestedSampling(params);
    event.trace = params.trace;
    if (callInfo.attempts > 0) {
      // Where the last registration tried is served from, as its provider described it.
      for (const auto& candidate : registry_.ranked(event.type)) {
        if (candidate.providerName != event.provider) continue;
        event.serverAddress = candidate.metadata.serverAddress;
        event.serverPort = candidate.metadata.serverPort;
        break;
      }
    }
    event.attempts = std::move(attempts);
    events_->emit(event);
  }
  return result;
}

bool AgentRuntime::movesOn(const ModelError& error, ModelType servedAs,
                           const GenerateTextParams& params, bool streamed) const {
  // What reached the caller's stream callbacks cannot be taken back.
  if (streamed || !error.partialText.empty()) return false;
  // A call its caller stopped, or whose time is up, is over wherever it would go next.
  if (params.cancellation && params.cancellation->cancelled()) return false;
  if (params.deadline && std::chrono::steady_clock::now() >= *params.deadline) return false;
  // elizaOS never fails over speech: another voice is a different answer.
  if (servedAs == ModelType::TextToSpeech) return false;
  return failsOver(error);
}

ModelResult AgentRuntime::resolveAndCall(ModelType& type, GenerateTextParams& params,
                                         std::optional<std::string_view> provider,
                                         CallInfo& callInfo,
                                         std::vector<ProviderAttempt>& attempts) const {
  CallInfo* info = &callInfo;
  const ModelType requested = type;
  params = prepareParams(type, std::move(params));
  if (type != requested && logger_.enabled(LogLevel::Debug)) {
    logger_.log(LogLevel::Debug, kSource,
                "LLM_MODE rewrote " + std::string(toString(requested)) + " to " +
                    std::string(toString(type)));
  }

  if (settingError_) {
    if (info) *info = CallInfo{provider ? std::string(*provider) : std::string(), type, 0};
    return makeError(ErrorKind::Config, *settingError_);
  }
  const bool failover = failover_;

  std::vector<Resolution> candidates;
  if (failover) {
    candidates = registry_.candidates(type, provider);
  } else if (auto resolution = registry_.resolve(type, provider)) {
    candidates.push_back(std::move(*resolution));
  }

  if (candidates.empty()) {
    if (info) *info = CallInfo{provider ? std::string(*provider) : std::string(), type, 0};
    if (isTextGeneration(type) && !registry_.hasAnyTextProvider()) {
      return makeError(ErrorKind::NoProvider, noProviderMessage());
    }
    return makeError(ErrorKind::NoHandler, noHandlerMessage(type, provider));
  }

  // With failover, note whether anything reached the caller's stream callbacks: text, reasoning
  // or a tool call already handed over cannot be taken back, so such a call must not move on to
  // another provider. The callbacks are wrapped in a copy: the caller's params stay as given.
  std::atomic<bool> streamed = false;
  GenerateTextParams watched;
  const GenerateTextParams* sent = &params;
  if (candidates.size() > 1 && (params.onChunk || params.onReasoningChunk || params.onToolCall)) {
    watched = params;
    sent = &watched;
    if (watched.onChunk) {
      watched.onChunk = [inner = params.onChunk, &streamed](std::string_view chunk) {
        streamed = true;
        return inner(chunk);
      };
    }
    if (watched.onReasoningChunk) {
      watched.onReasoningChunk = [inner = params.onReasoningChunk,
                                  &streamed](std::string_view chunk) {
        streamed = true;
        return inner(chunk);
      };
    }
    if (watched.onToolCall) {
      watched.onToolCall = [inner = params.onToolCall, &streamed](const ToolCall& call) {
        streamed = true;
        return inner(call);
      };
    }
  }

  // The attempts left so far are published under the call's span while the next provider runs,
  // so the MODEL_USED it emits can list them; withdrawn when the call ends.
  struct Withdraw {
    InFlightAttempts& table;
    const InFlightAttempts::SpanId& span;
    bool published = false;
    ~Withdraw() {
      if (published) table.erase(span);
    }
  } withdraw{*inFlight_, params.trace.spanId, false};

  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const Resolution& candidate = candidates[i];
    if (info) {
      *info = CallInfo{candidate.registration.providerName, candidate.servedAs,
                       static_cast<int>(i) + 1};
    }
    if (logger_.enabled(LogLevel::Debug)) {  // the message is built only when it is shown
      logger_.log(LogLevel::Debug, kSource,
                  std::string(toString(type)) + " -> " + candidate.registration.providerName +
                      " (" + std::string(toString(candidate.servedAs)) + ")");
    }

    // The registration copy holds the provider (and so its library) for the whole call.
    const auto attemptStarted = std::chrono::steady_clock::now();
    ModelResult result = candidate.registration.provider->generateText(candidate.servedAs, *sent);
    if (result.ok()) return result;

    const ModelError& error = result.error();
    attempts.push_back({candidate.registration.providerName, candidate.servedAs, error.kind,
                        error.httpStatus, error.message,
                        std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - attemptStarted)});
    if (i + 1 == candidates.size()) return result;
    if (!movesOn(error, candidate.servedAs, params, streamed)) return result;
    inFlight_->set(params.trace.spanId, attempts);
    withdraw.published = true;
    const Resolution& next = candidates[i + 1];
    logger_.log(LogLevel::Warn, kSource,
                candidate.registration.providerName + " failed (" +
                    std::string(toString(candidate.servedAs)) +
                    "): " + std::string(toString(error.kind)) + ": " + error.message +
                    "; MODEL_FAILOVER: trying " + next.registration.providerName + " (" +
                    std::string(toString(next.servedAs)) + ")");
  }
  return makeError(ErrorKind::Internal, "unreachable: no candidate ran");
}

}  // namespace agent::host
