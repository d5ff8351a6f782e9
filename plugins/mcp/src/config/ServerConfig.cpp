#include "config/ServerConfig.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <fstream>
#include <sstream>

#include "agent/support/Text.hpp"

namespace agent::mcp {
namespace {

std::string str(const rapidjson::Value& value) {
  return std::string(value.GetString(), value.GetStringLength());
}

bool hasHttpScheme(std::string_view url) {
  const std::string lower = text::toLower(url.substr(0, 8));
  return lower.rfind("http://", 0) == 0 || lower.rfind("https://", 0) == 0;
}

// Reads {"NAME": "value"} into `out` with ${...} replaced; a problem text on failure.
std::optional<std::string> readValues(const rapidjson::Value& server, const char* field,
                                      const SettingLookup& setting, NamedValues& out) {
  const auto it = server.FindMember(field);
  if (it == server.MemberEnd() || it->value.IsNull()) return std::nullopt;
  if (!it->value.IsObject()) return std::string(field) + " must be an object of NAME: text";
  for (const auto& member : it->value.GetObject()) {
    if (!member.value.IsString())
      return std::string(field) + "." + str(member.name) + " must be text";
    std::string missing;
    auto value = substituteSettings(str(member.value), setting, missing);
    if (!value) {
      return std::string(field) + "." + str(member.name) + " names ${" + missing +
             "}, which is not set";
    }
    out.emplace_back(str(member.name), std::move(*value));
  }
  return std::nullopt;
}

std::optional<std::string> readTimeout(const rapidjson::Value& server, const char* field,
                                       ServerConfig& config) {
  const auto it = server.FindMember(field);
  if (it == server.MemberEnd() || it->value.IsNull()) return std::nullopt;
  if (!it->value.IsNumber() || it->value.GetDouble() < 0)
    return std::string(field) + " must be a number of milliseconds, 0 or more";
  const double ms = it->value.GetDouble();
  if (ms > 0) config.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(ms));
  return std::nullopt;
}

// One server's entry; a problem naming the field when it cannot be used.
std::optional<std::string> readServer(const rapidjson::Value& server, const SettingLookup& setting,
                                      ServerConfig& config) {
  if (!server.IsObject()) return std::string("must be an object");
  std::string type = "stdio";
  if (auto it = server.FindMember("type"); it != server.MemberEnd() && !it->value.IsNull()) {
    if (!it->value.IsString()) return std::string("type must be text");
    type = text::toLower(str(it->value));
  } else if (server.HasMember("url")) {
    type = "http";
  }
  if (type == "stdio") {
    config.type = ServerConfig::Type::Stdio;
    const auto command = server.FindMember("command");
    if (command == server.MemberEnd() || !command->value.IsString() ||
        text::isBlank(str(command->value)))
      return std::string("command is missing (stdio servers need one)");
    config.argv.push_back(str(command->value));
    if (auto args = server.FindMember("args");
        args != server.MemberEnd() && !args->value.IsNull()) {
      if (!args->value.IsArray()) return std::string("args must be an array of text");
      for (const auto& arg : args->value.GetArray()) {
        if (!arg.IsString()) return std::string("args must be an array of text");
        config.argv.push_back(str(arg));
      }
    }
    if (auto problem = readValues(server, "env", setting, config.environment)) return problem;
    if (auto cwd = server.FindMember("cwd"); cwd != server.MemberEnd() && !cwd->value.IsNull()) {
      if (!cwd->value.IsString()) return std::string("cwd must be text");
      config.workingDirectory = str(cwd->value);
    }
    if (auto problem = readTimeout(server, "timeoutInMillis", config)) return problem;
    return readTimeout(server, "timeout", config);
  }
  if (type == "streamable-http" || type == "http") {
    config.type = ServerConfig::Type::Http;
    const auto url = server.FindMember("url");
    if (url == server.MemberEnd() || !url->value.IsString() || text::isBlank(str(url->value)))
      return std::string("url is missing (HTTP servers need one)");
    config.url = std::string(text::trim(str(url->value)));
    if (!hasHttpScheme(config.url)) return std::string("url must start with http:// or https://");
    if (auto problem = readValues(server, "headers", setting, config.headers)) return problem;
    if (auto problem = readTimeout(server, "timeout", config)) return problem;
    return readTimeout(server, "timeoutInMillis", config);
  }
  if (type == "sse") {
    return std::string(
        "type \"sse\" (HTTP+SSE, deprecated since 2025-03-26) is not supported; use "
        "\"streamable-http\", which the same servers serve");
  }
  return "type \"" + type + "\" is unknown: use stdio, streamable-http or http";
}

}  // namespace

std::optional<std::string> substituteSettings(std::string_view value, const SettingLookup& setting,
                                              std::string& missing) {
  std::string out;
  std::size_t i = 0;
  while (i < value.size()) {
    const auto open = value.find("${", i);
    if (open == std::string_view::npos) break;
    const auto close = value.find('}', open + 2);
    if (close == std::string_view::npos) break;
    out.append(value.substr(i, open - i));
    const std::string_view name = value.substr(open + 2, close - open - 2);
    const auto replacement = setting ? setting(name) : std::nullopt;
    if (!replacement) {
      missing = std::string(name);
      return std::nullopt;
    }
    out += *replacement;
    i = close + 1;
  }
  out.append(value.substr(i));
  return out;
}

void parseMcpConfig(std::string_view json, std::string_view origin, const SettingLookup& setting,
                    McpConfig& into) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError()) {
    into.problems.push_back(std::string(origin) + " is not valid JSON: " +
                            rapidjson::GetParseError_En(document.GetParseError()) + " at offset " +
                            std::to_string(document.GetErrorOffset()));
    return;
  }
  if (!document.IsObject()) {
    into.problems.push_back(std::string(origin) + " must be a JSON object {\"servers\": {...}}");
    return;
  }
  if (auto it = document.FindMember("maxRetries"); it != document.MemberEnd()) {
    if (it->value.IsInt() && it->value.GetInt() >= 0) {
      into.maxRetries = it->value.GetInt();
    } else {
      into.problems.push_back(std::string(origin) + ": maxRetries must be a whole number >= 0");
    }
  }
  auto servers = document.FindMember("servers");
  if (servers == document.MemberEnd()) servers = document.FindMember("mcpServers");
  if (servers == document.MemberEnd() || servers->value.IsNull()) return;
  if (!servers->value.IsObject()) {
    into.problems.push_back(std::string(origin) + ": servers must be an object of NAME: server");
    return;
  }
  for (const auto& member : servers->value.GetObject()) {
    ServerConfig config;
    config.name = str(member.name);
    bool known = false;
    for (const ServerConfig& existing : into.servers)
      known = known || existing.name == config.name;
    if (known) continue;
    if (config.name.empty()) {
      into.problems.push_back(std::string(origin) + ": a server has an empty name");
      continue;
    }
    if (auto problem = readServer(member.value, setting, config)) {
      into.problems.push_back("MCP server " + config.name + " (" + std::string(origin) +
                              "): " + *problem + "; it is left out");
      continue;
    }
    into.servers.push_back(std::move(config));
  }
}

McpConfig loadMcpConfig(const SettingLookup& setting) {
  McpConfig config;
  auto present = [&](std::string_view key) -> std::optional<std::string> {
    auto value = setting(key);
    if (!value || text::isBlank(*value)) return std::nullopt;
    return value;
  };
  if (auto text = present("mcp"))
    parseMcpConfig(*text, "the character's settings.mcp", setting, config);
  if (auto text = present("MCP_SERVERS")) parseMcpConfig(*text, "MCP_SERVERS", setting, config);
  if (auto path = present("MCP_CONFIG_FILE")) {
    std::ifstream in(std::string(text::trim(*path)), std::ios::binary);
    std::ostringstream content;
    if (in) content << in.rdbuf();
    if (!in) {
      config.problems.push_back("MCP_CONFIG_FILE '" + std::string(text::trim(*path)) +
                                "' cannot be read");
    } else {
      parseMcpConfig(content.str(), "MCP_CONFIG_FILE", setting, config);
    }
  }
  return config;
}

}  // namespace agent::mcp
