// The echo provider: a complete, minimal agent-host plugin.
//
// It answers every text call with "echo: <prompt>", without a network, so it is the template to
// copy when writing a real provider (docs/writing-a-provider.md walks through it). The shape:
//   1. a manifest (name, priority, autoEnable keys, the settings it reads),
//   2. a class implementing agent::ModelProvider,
//   3. AGENT_PLUGIN(Class, manifest), which writes the manifest into the plugin file (the host
//      reads it without loading the library) and exports the versioned entry.
//
// Rules every provider follows (the host relies on them):
//   * generateText() is called from many threads at once: keep the provider immutable after
//     construction (or guard what changes).
//   * No exception may leave the plugin: generateText() is noexcept and reports failures as
//     ModelError values; the constructor may throw, and AGENT_PLUGIN turns that into a clean
//     "init failed" report.
//   * Read settings through HostServices::setting() (character secrets, character settings, then
//     the environment), never getenv() directly, and never log a secret's value.
#include <agent/Plugin.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

// -- 1. The manifest ---------------------------------------------------------------------------

// The plugin is opt-in: the host enables it only when one of these settings is non-blank.
constexpr std::string_view kAutoEnableKeys[] = {"ECHO_PROVIDER"};

// Every setting the plugin reads, for `agent-host providers --json` and the docs.
constexpr agent::SettingSpec kSettings[] = {
    {"ECHO_PROVIDER", nullptr, "set to any non-blank value to enable the echo provider", false},
    {"ECHO_PRIORITY", "0", "registration priority (a number); higher wins over other providers",
     false},
    {"ECHO_FAIL_WITH", nullptr,
     "make every call fail with this error kind (e.g. unavailable), to try out failover", false},
};

// The types generateText() serves: the seven text tiers, like the BitRouter provider.
constexpr agent::ModelType kModelTypes[] = {
    agent::ModelType::TextNano,     agent::ModelType::TextSmall, agent::ModelType::TextMedium,
    agent::ModelType::TextLarge,    agent::ModelType::TextMega,  agent::ModelType::ResponseHandler,
    agent::ModelType::ActionPlanner};

// Read by the host from the plugin file before loading it; the list lengths are deduced.
constexpr agent::PluginManifest kManifest{
    .name = "echo",  // the provider name every model is registered under
    .description = "Deterministic offline provider that echoes the prompt",
    .version = "1.0.0",
    .defaultPriority = 0,
    .prioritySetting = "ECHO_PRIORITY",  // the host reads and validates it
    .autoEnableKeys = kAutoEnableKeys,
    .settings = kSettings,
    .modelTypes = kModelTypes,  // known to the host even while the plugin is disabled
};

constexpr std::string_view kModel = "echo-1";

// -- 2. The provider ---------------------------------------------------------------------------

// Parses an ErrorKind from its string form ("unavailable", "rate_limited", ...).
std::optional<agent::ErrorKind> parseErrorKind(std::string_view text) {
  for (int i = 0; i <= static_cast<int>(agent::ErrorKind::Internal); ++i) {
    const auto kind = static_cast<agent::ErrorKind>(i);
    if (agent::toString(kind) == text) return kind;
  }
  return std::nullopt;
}

bool isBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == text.npos;
}

// Usage the way providers estimate it when a server reports none: about four characters a token.
std::int64_t estimateTokens(std::size_t characters) {
  return static_cast<std::int64_t>((characters + 3) / 4);
}

class EchoProvider final : public agent::ModelProvider {
 public:
  // The constructor is the plugin's init. Read settings once here, so generateText() only reads
  // immutable state and is trivially thread-safe. Throwing skips the plugin with the message.
  explicit EchoProvider(const agent::HostServices& host) : host_(host) {
    if (auto failWith = host.setting("ECHO_FAIL_WITH"); failWith && !isBlank(*failWith)) {
      failWith_ = parseErrorKind(*failWith);
      if (!failWith_) {
        throw std::runtime_error(
            "ECHO_FAIL_WITH must be an error kind such as unavailable, "
            "rate_limited or timeout");
      }
      host.log(agent::LogLevel::Info, kManifest.name, "every call will fail (ECHO_FAIL_WITH)");
    }
  }

  std::vector<agent::ModelType> supportedModelTypes() const noexcept override {
    // What the manifest declares; the host registers what this returns.
    return {std::begin(kModelTypes), std::end(kModelTypes)};
  }

  // Registration metadata: the same model for every type, served here, streamable.
  agent::ModelMetadata modelMetadata(agent::ModelType) const noexcept override {
    agent::ModelMetadata metadata;
    metadata.displayModel = std::string(kModel);
    metadata.local = true;
    metadata.streamable = true;
    return metadata;
  }

  agent::ModelResult generateText(agent::ModelType type,
                                  const agent::GenerateTextParams& params) noexcept override {
    // noexcept is a promise: catch everything, including what the caller's callback throws.
    try {
      return generate(type, params);
    } catch (const std::exception& e) {
      return agent::makeError(agent::ErrorKind::Internal, std::string("echo: ") + e.what());
    } catch (...) {
      return agent::makeError(agent::ErrorKind::Internal, "echo: unknown exception");
    }
  }

 private:
  agent::ModelResult generate(agent::ModelType type, const agent::GenerateTextParams& params) {
    const auto started = std::chrono::steady_clock::now();
    if (failWith_) {
      return agent::makeError(*failWith_, "ECHO_FAIL_WITH asked every call to fail");
    }

    // The input: the prompt, or the last message when the caller sent a conversation.
    std::string input = params.prompt;
    if (!params.messages.empty()) input = params.messages.back().content;

    agent::ModelOutput output;
    output.model = std::string(kModel);
    output.text = "echo: " + input;
    output.finishReason = "stop";
    // Honour maxTokens the way a real model does: stop early and say why.
    if (params.maxTokens && *params.maxTokens > 0) {
      const auto limit = static_cast<std::size_t>(*params.maxTokens) * 4;
      if (output.text.size() > limit) {
        output.text.resize(limit);
        output.finishReason = "length";
      }
    }

    // Streaming: deliver the reply in a few chunks. A false return means "stop": end the call
    // as Cancelled and say how much text already went out.
    if (params.stream && params.onChunk) {
      std::string delivered;
      for (const std::string_view chunk : chunks(output.text)) {
        if (!params.onChunk(chunk)) {
          agent::ModelError error =
              agent::makeError(agent::ErrorKind::Cancelled, "the caller cancelled the stream");
          error.partialText = delivered;
          return error;
        }
        delivered += chunk;
      }
    }

    const std::size_t promptSize = input.size() + (params.system ? params.system->size() : 0);
    output.usage.promptTokens = estimateTokens(promptSize);
    output.usage.completionTokens = estimateTokens(output.text.size());
    output.usage.totalTokens = output.usage.promptTokens + output.usage.completionTokens;
    output.usage.estimated = true;

    // MODEL_USED after every successful call, naming the type that actually served.
    host_.emitModelUsed(agent::modelUsedEvent(kManifest.name, type, params, output, started));
    return output;
  }

  // Splits text into up to four pieces at spaces, so streaming is visible but deterministic.
  static std::vector<std::string_view> chunks(std::string_view text) {
    std::vector<std::string_view> pieces;
    const std::size_t target = std::max<std::size_t>(1, text.size() / 4);
    while (!text.empty()) {
      std::size_t cut = text.size();
      if (text.size() > target && pieces.size() < 3) {
        const std::size_t space = text.find(' ', target);
        if (space != std::string_view::npos) cut = space;
      }
      pieces.push_back(text.substr(0, cut));
      text.remove_prefix(cut);
    }
    return pieces;
  }

  const agent::HostServices& host_;  // outlives the provider (the host's promise)
  std::optional<agent::ErrorKind> failWith_;
};

}  // namespace

// -- 3. The export -----------------------------------------------------------------------------

// Defines create/destroy (exceptions become an init-failure message) and exports the versioned
// entry. Exactly one per plugin library.
AGENT_PLUGIN(EchoProvider, kManifest)
