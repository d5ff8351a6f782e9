#include "SharedOptions.hpp"

#include <fstream>
#include <iterator>
#include <limits>
#include <utility>

#include "CliSupport.hpp"
#include "agent/support/Text.hpp"

namespace agent::host::cli {
namespace {

std::string rangeText(IntegerRange range) {
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  if (range.minimum == kMin && range.maximum == kMax) return "";
  if (range.maximum == kMax) return "at least " + std::to_string(range.minimum);
  return "between " + std::to_string(range.minimum) + " and " + std::to_string(range.maximum);
}

std::string knownModelTypes() {
  std::string known;
  for (ModelType type : allModelTypes()) {
    if (!known.empty()) known += ", ";
    known += toString(type);
  }
  return known;
}

}  // namespace

CLI::Option* addModelTypeOption(CLI::App& app, ModelType& type) {
  return app
      .add_option_function<std::string>(
          "--model",
          [&type](const std::string& value) {
            const auto parsed = parseModelType(text::toUpper(text::trim(value)));
            if (!parsed) {
              throw CLI::ValidationError("unknown model type '" + text::oneLine(value) +
                                         "': use one of " + knownModelTypes());
            }
            type = *parsed;
          },
          "The model type, any case (default " + std::string(toString(type)) +
              "; also TEXT_NANO, TEXT_MEDIUM, TEXT_LARGE, TEXT_MEGA, RESPONSE_HANDLER, "
              "ACTION_PLANNER, ...)")
      ->type_name("TYPE");
}

CLI::Option* addProviderOption(CLI::App& app, std::optional<std::string>& provider) {
  return app
      .add_option_function<std::string>(
          "--provider", [&provider](const std::string& value) { provider = value; },
          "Use this provider only (by name): no silent fallback to another")
      ->type_name("NAME");
}

CLI::Option* addIntegerOption(CLI::App& app, const std::string& name,
                              std::function<void(std::int64_t)> store, IntegerRange range,
                              const std::string& description) {
  const std::string bounds = rangeText(range);
  return app
      .add_option_function<std::string>(
          name,
          [name, store = std::move(store), range, bounds](const std::string& value) {
            const auto parsed = text::parseInt64(value);
            if (!parsed) {
              throw CLI::ValidationError(name + " needs an integer, got '" + text::oneLine(value) +
                                         "'");
            }
            if (*parsed < range.minimum || *parsed > range.maximum) {
              throw CLI::ValidationError(name + " must be " + bounds + ", got " +
                                         std::to_string(*parsed));
            }
            store(*parsed);
          },
          bounds.empty() ? description : description + " (" + bounds + ")")
      ->type_name("N");
}

CLI::Option* addNumberOption(CLI::App& app, const std::string& name, std::optional<double>& target,
                             const std::string& description) {
  return app
      .add_option_function<std::string>(
          name,
          [name, &target](const std::string& value) {
            const auto parsed = text::parseNumber(value);
            if (!parsed) {
              throw CLI::ValidationError(name + " needs a number, got '" + text::oneLine(value) +
                                         "'");
            }
            target = *parsed;
          },
          description)
      ->type_name("X");
}

std::string jsonTextOrFile(const std::string& option, const std::string& value) {
  const auto trimmed = text::trim(value);
  if (!trimmed.empty() && (trimmed.front() == '{' || trimmed.front() == '[')) {
    return std::string(trimmed);
  }
  std::ifstream in(value, std::ios::binary);
  if (!in) {
    throw CLI::ValidationError(option + ": cannot read '" + value + "': give a file or JSON text");
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string failureLine(const ModelError& error, const CallInfo& info) {
  std::string line;
  if (error.kind == ErrorKind::NoProvider || error.kind == ErrorKind::NoHandler) {
    line += toString(error.kind);
  } else {
    line += info.provider + " failed (" + std::string(toString(info.servedAs)) + "): ";
    line += toString(error.kind);
    // A failure inside a 200 reply (a refusal, an error frame) shows no status: 200 would mislead.
    if (error.httpStatus >= 300) line += " (HTTP " + std::to_string(error.httpStatus) + ")";
  }
  line += ": " + error.message;
  if (error.retryAfter) {
    line += " (retry after " + std::to_string(error.retryAfter->count()) + " ms)";
  }
  // BitRouter's own messages name the request already once it has answered.
  if (!error.requestId.empty() && error.message.find(error.requestId) == std::string::npos) {
    line += " [request " + error.requestId + "]";
  }
  return text::oneLine(line);
}

int failedCallExitCode(const ModelError& error, const AgentHost& host) {
  if (error.kind == ErrorKind::BadRequest && error.httpStatus == 0) return kExitUsage;
  if (error.kind != ErrorKind::NoProvider && error.kind != ErrorKind::NoHandler) {
    return kExitCallFailed;
  }
  // The loader has already said why the plugin did not start, naming the setting.
  for (const PluginReport& plugin : host.plugins()) {
    if (plugin.initFailed) return kExitUsage;
  }
  return kExitCallFailed;
}

}  // namespace agent::host::cli
