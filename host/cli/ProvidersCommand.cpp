#include "ProvidersCommand.hpp"

#include <cmath>
#include <cstdint>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "agent/support/Utf8.hpp"

namespace agent::host::cli {
namespace {

// Priorities are numbers, not integers (-1.5 is valid): a whole one is written as an integer, any
// other as it is.
template <class Writer>
void writePriority(Writer& writer, double priority) {
  if (std::trunc(priority) == priority && std::abs(priority) < 1e15) {
    writer.Int64(static_cast<std::int64_t>(priority));
  } else {
    writer.Double(priority);
  }
}

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

// File names and dlerror() texts are bytes, not necessarily UTF-8; JSON must be UTF-8.
void writeString(Writer& writer, std::string_view text) {
  const std::string valid = text::toValidUtf8(text);
  writer.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
}

void writeStringOrNull(Writer& writer, std::string_view text) {
  if (text.empty()) {
    writer.Null();
  } else {
    writeString(writer, text);
  }
}

// A priority is any finite number (-1.5 is valid): whole ones print as integers, others as they
// are.
void writeNumber(Writer& writer, double value) {
  constexpr double kLargestExact = 9007199254740992.0;  // 2^53
  if (std::trunc(value) == value && std::fabs(value) <= kLargestExact) {
    writer.Int64(static_cast<std::int64_t>(value));
  } else {
    writer.Double(value);
  }
}

// Registration metadata: what the provider said; a field it did not say is null.
void writeMetadata(Writer& writer, const ModelMetadata& metadata) {
  writer.StartObject();
  writer.Key("displayModel");
  writeStringOrNull(writer, metadata.displayModel);
  writer.Key("contextWindowTokens");
  if (metadata.contextWindowTokens) {
    writer.Int64(*metadata.contextWindowTokens);
  } else {
    writer.Null();
  }
  writer.Key("local");
  if (metadata.local) {
    writer.Bool(*metadata.local);
  } else {
    writer.Null();
  }
  writer.Key("streamable");
  if (metadata.streamable) {
    writer.Bool(*metadata.streamable);
  } else {
    writer.Null();
  }
  writer.Key("serverAddress");
  writeStringOrNull(writer, metadata.serverAddress);
  writer.Key("serverPort");
  if (metadata.serverPort) {
    writer.Int(*metadata.serverPort);
  } else {
    writer.Null();
  }
  writer.EndObject();
}

// The metadata as a short text: "gpt-4o-mini, streamable, 127.0.0.1:4356".
std::string metadataText(const ModelMetadata& metadata) {
  std::string text = metadata.displayModel;
  const auto add = [&text](std::string_view part) {
    if (!text.empty()) text += ", ";
    text += part;
  };
  if (metadata.contextWindowTokens) {
    add(std::to_string(*metadata.contextWindowTokens) + " tokens");
  }
  if (metadata.local.value_or(false)) add("local");
  if (metadata.streamable.value_or(false)) add("streamable");
  if (!metadata.serverAddress.empty()) {
    add(metadata.serverAddress +
        (metadata.serverPort ? ":" + std::to_string(*metadata.serverPort) : std::string()));
  }
  return text;
}

void writePlugin(Writer& writer, const PluginReport& plugin, const Settings& settings) {
  writer.StartObject();
  writer.Key("file");
  writeString(writer, plugin.path.filename().string());
  writer.Key("path");
  writeString(writer, plugin.path.string());
  writer.Key("status");
  writeString(writer, toString(plugin.status));
  writer.Key("name");
  writeStringOrNull(writer, plugin.name);
  writer.Key("version");
  writeStringOrNull(writer, plugin.version);
  writer.Key("description");
  writeStringOrNull(writer, plugin.description);
  writer.Key("priority");
  if (plugin.status == PluginReport::Status::Loaded) {
    writeNumber(writer, plugin.priority);
  } else {
    writer.Null();
  }
  writer.Key("modelTypes");
  writer.StartArray();
  for (ModelType type : plugin.modelTypes)
    writeString(writer, toString(type));
  writer.EndArray();
  writer.Key("reason");
  writeStringOrNull(writer, plugin.reason);
  writer.Key("autoEnable");
  writer.StartArray();
  for (const auto& key : plugin.autoEnableKeys)
    writeString(writer, key);
  writer.EndArray();
  // Settings are listed with whether they are set, never with their values.
  writer.Key("settings");
  writer.StartArray();
  for (const auto& setting : plugin.settings) {
    writer.StartObject();
    writer.Key("key");
    writeString(writer, setting.key);
    writer.Key("set");
    writer.Bool(settings.isSet(setting.key));
    writer.Key("secret");
    writer.Bool(setting.secret);
    writer.Key("default");
    if (setting.defaultValue) {
      writeString(writer, *setting.defaultValue);
    } else {
      writer.Null();
    }
    writer.Key("description");
    writeString(writer, setting.description);
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
}

void printJson(AgentHost& host, const std::filesystem::path& directory, std::ostream& out) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("pluginsDirectory");
  writeString(writer, directory.string());
  writer.Key("plugins");
  writer.StartArray();
  for (const auto& plugin : host.plugins())
    writePlugin(writer, plugin, host.settings());
  writer.EndArray();
  writer.Key("models");
  writer.StartObject();
  for (ModelType type : allModelTypes()) {
    const auto ranked = host.registry().ranked(type);
    if (ranked.empty()) continue;
    writer.Key(toString(type).data(), static_cast<rapidjson::SizeType>(toString(type).size()));
    writer.StartArray();
    for (const auto& registration : ranked) {
      writer.StartObject();
      writer.Key("provider");
      writeString(writer, registration.providerName);
      writer.Key("priority");
      writeNumber(writer, registration.priority);
      writer.Key("metadata");
      writeMetadata(writer, registration.metadata);
      writer.EndObject();
    }
    writer.EndArray();
  }
  writer.EndObject();
  // elizaOS's getModelRegistrations(): every registration, without handlers, as resolution
  // orders them.
  writer.Key("registrations");
  writer.StartArray();
  for (const auto& registration : host.registry().getModelRegistrations()) {
    writer.StartObject();
    writer.Key("modelType");
    writeString(writer, toString(registration.type));
    writer.Key("provider");
    writeString(writer, registration.provider);
    writer.Key("priority");
    writeNumber(writer, registration.priority);
    writer.Key("registrationIndex");
    writer.Uint64(registration.sequence);
    writer.Key("metadata");
    writeMetadata(writer, registration.metadata);
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  out << buffer.GetString() << '\n';
}

void printText(AgentHost& host, const std::filesystem::path& directory, std::ostream& out) {
  out << "Plugins in " << directory.string() << ":\n";
  if (host.plugins().empty()) out << "  (no *.so files)\n";
  for (const auto& plugin : host.plugins()) {
    std::ostringstream label;
    if (plugin.name.empty()) {
      label << plugin.path.filename().string();
    } else {
      label << plugin.name << ' ' << plugin.version;
    }
    out << "  " << std::left << std::setw(22) << label.str() << ' ' << std::setw(9)
        << toString(plugin.status);
    if (plugin.status == PluginReport::Status::Loaded) {
      out << "priority " << plugin.priority << "  " << plugin.path.filename().string();
    } else {
      out << plugin.reason;
      if (!plugin.name.empty()) out << "  (" << plugin.path.filename().string() << ")";
    }
    out << '\n';
  }
  out << "Models (best first):\n";
  bool any = false;
  for (ModelType type : allModelTypes()) {
    const auto ranked = host.registry().ranked(type);
    if (ranked.empty()) continue;
    any = true;
    out << "  " << std::left << std::setw(22) << toString(type) << ' ';
    for (std::size_t i = 0; i < ranked.size(); ++i) {
      out << (i ? "; " : "") << ranked[i].providerName << " (" << ranked[i].priority;
      const std::string metadata = metadataText(ranked[i].metadata);
      if (!metadata.empty()) out << ": " << metadata;
      out << ")";
    }
    out << '\n';
  }
  if (!any) out << "  (none: no plugin is loaded)\n";
}

class ProvidersCommand final : public Command {
 public:
  CLI::App& define(CLI::App& app) override {
    CLI::App& command = *app.add_subcommand(
        "providers",
        "The plugins found (loaded, disabled or skipped, and why) and, per model type, the "
        "providers that serve it, best first, with their priorities");
    command.add_flag("--json", json_, "Print one JSON object")->disable_flag_override();
    return command;
  }

  int run(CommandContext& context) override {
    auto host = makeHost(context);
    const auto directory = pluginsDirectory(context.globals, host->settings());
    if (json_) {
      printJson(*host, directory, context.out);
    } else {
      printText(*host, directory, context.out);
    }
    context.out.flush();
    return kExitOk;
  }

 private:
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> makeProvidersCommand() {
  return std::make_unique<ProvidersCommand>();
}

}  // namespace agent::host::cli
