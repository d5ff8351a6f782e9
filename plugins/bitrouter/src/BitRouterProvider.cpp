#include "agent/bitrouter/BitRouterProvider.hpp"

#include <chrono>
#include <string>

#include "agent/ModelUsed.hpp"
#include "agent/support/Text.hpp"

namespace agent::bitrouter {
namespace {

SettingLookup hostLookup(const HostServices& host) {
  return [&host](std::string_view key) { return host.setting(key); };
}

ClientOptions clientOptions(const HostServices& host) {
  ClientOptions options;
  options.log = [&host](LogLevel level, std::string_view message) {
    host.log(level, BitRouterProvider::kName, message);
  };
  return options;
}

// A BitRouter on this machine is usually one run with skip_auth; elsewhere a missing key is
// more likely a mistake.
bool isLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace

BitRouterProvider::BitRouterProvider(const HostServices& host)
    : host_(host), client_(BitRouterConfig::fromSettings(hostLookup(host)), clientOptions(host)) {
  logConfiguration();
  if (!client_.config().hasApiKey()) {
    host_.log(isLoopback(client_.config().baseUrl.host) ? LogLevel::Info : LogLevel::Warn, kName,
              "BITROUTER_API_KEY is not set - assuming BitRouter runs with skip_auth");
    return;
  }
  probe();
}

BitRouterProvider::~BitRouterProvider() = default;

void BitRouterProvider::logConfiguration() const {
  const BitRouterConfig& config = client_.config();
  const ModelChoice* small = config.models.find(ModelType::TextSmall);
  const ModelChoice* large = config.models.find(ModelType::TextLarge);
  std::string line = "BitRouter at " + config.baseUrl.text + "; SMALL " + small->model +
                     ", LARGE " + large->model + "; structured outputs " +
                     (config.structuredOutputs ? "json_schema" : "json_object") + "; timeout " +
                     std::to_string(config.timeout.count()) + " ms, retries " +
                     std::to_string(config.maxRetries) + " (settings are read once, at init)";
  host_.log(LogLevel::Info, kName, line);
}

void BitRouterProvider::probe() {
  // In the background: a BitRouter that accepts and never answers must not hold up init (and so
  // every command) for the probe's limit. The report goes to the log when it is in.
  client_.listModelsInBackground(kProbeTimeout,
                                 [this](const ModelsProbe& result) { report(result); });
}

void BitRouterProvider::report(const ModelsProbe& result) const {
  const BitRouterConfig& config = client_.config();
  if (!result.reachable) {
    host_.log(LogLevel::Warn, kName,
              "BitRouter is not reachable at " + config.baseUrl.text + " (" + result.problem +
                  "); calls will fail until it runs");
    return;
  }
  if (!result.problem.empty()) {
    host_.log(LogLevel::Warn, kName, "BitRouter at " + config.baseUrl.text + ": " + result.problem);
    return;
  }
  host_.log(LogLevel::Info, kName,
            "BitRouter reachable at " + config.baseUrl.text + " (" +
                std::to_string(result.models.size()) +
                " models listed; the key is checked on the first call)");
  if (result.models.empty()) {
    host_.log(LogLevel::Warn, kName,
              "BitRouter lists no models; are its upstream provider keys configured?");
    return;
  }
  for (const std::string& warning : missingModelWarnings(config.models, result.models)) {
    host_.log(LogLevel::Warn, kName, warning);
  }
}

std::vector<ModelType> BitRouterProvider::supportedModelTypes() const noexcept {
  return {ModelTiers::kSupportedTypes.begin(), ModelTiers::kSupportedTypes.end()};
}

ModelMetadata BitRouterProvider::modelMetadata(ModelType type) const noexcept {
  ModelMetadata metadata;
  try {
    const BitRouterConfig& config = client_.config();
    if (const ModelChoice* choice = config.models.find(type)) metadata.displayModel = choice->model;
    metadata.streamable = true;
    metadata.serverAddress = config.baseUrl.host;
    metadata.serverPort = config.baseUrl.port;
  } catch (...) {
    return {};  // only an allocation can fail here; nothing said beats a half
  }
  return metadata;
}

ModelResult BitRouterProvider::generateText(ModelType type,
                                            const GenerateTextParams& params) noexcept {
  try {
    const ModelChoice* choice = client_.config().models.find(type);
    if (choice == nullptr) {
      return makeError(ErrorKind::BadRequest, "the bitrouter provider does not serve model type " +
                                                  std::string(toString(type)));
    }
    // A per-call model replaces the tier's, in the body and in MODEL_USED.
    ModelChoice callModel;
    if (params.model && !text::isBlank(*params.model)) {
      callModel.model = std::string(text::trim(*params.model));
      callModel.source = "the call's model parameter";
      choice = &callModel;
    }
    const auto started = std::chrono::steady_clock::now();
    ModelResult result = client_.chat(*choice, params);
    if (result.ok()) {
      ModelUsedEvent event = modelUsedEvent(kName, type, params, result.output(), started);
      event.serverAddress = client_.config().baseUrl.host;
      event.serverPort = client_.config().baseUrl.port;
      host_.emitModelUsed(event);
    }
    return result;
  } catch (const std::exception& error) {
    return makeError(ErrorKind::Internal,
                     std::string("unexpected error in the bitrouter provider: ") + error.what());
  } catch (...) {
    return makeError(ErrorKind::Internal,
                     "unexpected non-standard exception in the bitrouter provider");
  }
}

}  // namespace agent::bitrouter
