#include "McpCommand.hpp"

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "agent/host/ProvidedTools.hpp"
#include "agent/support/Text.hpp"
#include "agent/support/Utf8.hpp"

namespace agent::host::cli {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kCommandLineServer = "server";  // the name of a --stdio / --url server

bool looksLikeUrl(std::string_view text) {
  const std::string lower = text::toLower(text.substr(0, 8));
  return lower.rfind("http://", 0) == 0 || lower.rfind("https://", 0) == 0;
}

// "COMMAND ARGS..." split into words; single and double quotes group, as a shell would.
std::vector<std::string> splitCommand(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool inWord = false;
  char quote = 0;
  for (const char c : line) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      inWord = true;
    } else if (text::isAsciiSpace(c)) {
      if (inWord) words.push_back(std::move(word));
      word.clear();
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote != 0) throw UsageError("--stdio: a quote is not closed");
  if (inWord) words.push_back(std::move(word));
  return words;
}

std::string jsonString(std::string_view text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  const std::string valid = text::toValidUtf8(text);
  writer.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
  return buffer.GetString();
}

std::string firstLine(std::string_view text) {
  text = text::trim(text);
  return std::string(text.substr(0, text.find('\n')));
}

class McpCommand final : public Command {
 public:
  CLI::App& define(CLI::App& app) override {
    auto* mcp = app.add_subcommand("mcp", "Tools from MCP servers: list them, call one");
    mcp->require_subcommand(1, 1);
    list_ = mcp->add_subcommand(
        "list", "Each MCP server (state, protocol, tool count, why not ready) and its tools");
    list_->add_option("SERVER", words_, "Only this server (or a URL, as --url)");
    addServerOptions(*list_);
    list_->add_flag("--json", json_, "One JSON object: servers, each with its tools");
    call_ = mcp->add_subcommand(
        "call", "Call one tool of an MCP server and print its result; exit 1 on a tool error");
    call_->add_option(
        "WORDS", words_,
        "SERVER TOOL [ARGUMENTS_JSON]: the server, the tool's name there and its arguments (a JSON "
        "object); with --stdio or --url the server may be left out; a URL as the "
        "last word is taken as --url");
    addServerOptions(*call_);
    call_->add_flag("--json", json_, "Print the whole MCP result (JSON)");
    return *mcp;
  }

  int run(CommandContext& context) override {
    takeTrailingUrl();
    const bool listing = list_->parsed();
    std::map<std::string, std::string> overrides;
    if (!stdio_.empty() || !url_.empty()) {
      if (!stdio_.empty() && !url_.empty()) throw UsageError("give --stdio or --url, not both");
      overrides = {{"MCP_SERVERS", commandLineServer()}, {"MCP_CONFIG_FILE", ""}, {"mcp", ""}};
    }
    if (!listing) resolveCallWords();
    auto host = makeHost(context, overrides);
    if (host->toolProviders().empty()) {
      throw UsageError(
          "no MCP server is configured: set MCP_SERVERS or MCP_CONFIG_FILE, add settings.mcp to "
          "the character, or give one with --stdio \"COMMAND ARGS\" or --url URL");
    }
    return listing ? list(*host, context) : call(*host, context);
  }

 private:
  void addServerOptions(CLI::App& command) {
    command.add_option("--stdio", stdio_, "A stdio server to use instead of the configured ones");
    command.add_option("--url", url_,
                       "A Streamable HTTP server to use instead of the configured ones");
  }

  void takeTrailingUrl() {
    if (!words_.empty() && url_.empty() && stdio_.empty() && looksLikeUrl(words_.back())) {
      url_ = words_.back();
      words_.pop_back();
    }
  }

  std::string commandLineServer() const {
    std::string server = "{\"servers\":{\"" + serverName() + "\":";
    if (!url_.empty())
      return server + "{\"type\":\"streamable-http\",\"url\":" + jsonString(url_) + "}}}";
    const auto words = splitCommand(stdio_);
    if (words.empty()) throw UsageError("--stdio needs a command");
    server += "{\"type\":\"stdio\",\"command\":" + jsonString(words[0]) + ",\"args\":[";
    for (std::size_t i = 1; i < words.size(); ++i)
      server += (i > 1 ? "," : "") + jsonString(words[i]);
    return server + "]}}}";
  }

  std::string serverName() const {
    if (server_.empty()) return kCommandLineServer;
    for (const char c : server_) {
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
        throw UsageError("the server name '" + server_ + "' holds a quote or a control character");
    }
    return server_;
  }

  // SERVER TOOL [ARGS]; with a command-line server, SERVER may be left out.
  void resolveCallWords() {
    const bool commandLine = !stdio_.empty() || !url_.empty();
    std::vector<std::string> words = words_;
    if (commandLine &&
        (words.size() == 1 || (words.size() == 2 && text::trim(words[1]).substr(0, 1) == "{"))) {
      words.insert(words.begin(), kCommandLineServer);
    }
    if (words.size() < 2 || words.size() > 3)
      throw UsageError("mcp call needs SERVER TOOL [ARGUMENTS_JSON]");
    server_ = words[0];
    tool_ = words[1];
    arguments_ = words.size() == 3 ? words[2] : "{}";
  }

  ToolSourceStatus findServer(AgentHost& host, const std::string& name,
                              std::shared_ptr<ToolProvider>& provider) const {
    std::string known;
    for (const auto& named : host.toolProviders()) {
      for (ToolSourceStatus& status : named.provider->toolSources()) {
        if (status.name == name) {
          provider = named.provider;
          return status;
        }
        known += (known.empty() ? "" : ", ") + status.name;
      }
    }
    throw UsageError(
        "no MCP server is named '" + name + "'" +
        (known.empty() ? std::string(" (none is configured)") : " (configured: " + known + ")"));
  }

  int list(AgentHost& host, CommandContext& context) {
    if (!words_.empty() && words_.size() > 1) throw UsageError("mcp list takes one SERVER at most");
    const std::string only = words_.empty() ? std::string() : words_[0];
    if (!only.empty()) {
      std::shared_ptr<ToolProvider> provider;
      findServer(host, only, provider);
    }
    const auto readyBy = Clock::now() + toolStartupTimeout(host.settings());
    rapidjson::StringBuffer buffer;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> json(buffer);
    json.StartObject();
    json.Key("servers");
    json.StartArray();
    for (const auto& named : host.toolProviders()) {
      const auto tools = named.provider->listTools(readyBy);
      for (const ToolSourceStatus& status : named.provider->toolSources()) {
        if (!only.empty() && status.name != only) continue;
        if (json_) {
          writeServer(json, status, tools);
        } else {
          printServer(context.out, status, tools);
        }
      }
    }
    json.EndArray();
    json.EndObject();
    if (json_) context.out << buffer.GetString() << '\n';
    return kExitOk;
  }

  static void writeServer(rapidjson::PrettyWriter<rapidjson::StringBuffer>& json,
                          const ToolSourceStatus& status, const std::vector<ProvidedTool>& tools) {
    auto string = [&json](std::string_view text) {
      const std::string valid = text::toValidUtf8(text);
      json.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
    };
    json.StartObject();
    json.Key("name");
    string(status.name);
    json.Key("state");
    string(status.state);
    json.Key("detail");
    string(status.detail);
    json.Key("problem");
    string(status.problem);
    json.Key("toolCount");
    json.Int(status.toolCount);
    json.Key("tools");
    json.StartArray();
    for (const ProvidedTool& tool : tools) {
      if (tool.source != status.name) continue;
      json.StartObject();
      json.Key("name");
      string(tool.definition.name);
      json.Key("originalName");
      string(tool.originalName);
      json.Key("description");
      string(tool.definition.description);
      json.Key("readOnly");
      json.Bool(tool.readOnly);
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
  }

  static void printServer(std::ostream& out, const ToolSourceStatus& status,
                          const std::vector<ProvidedTool>& tools) {
    out << status.name << "  " << status.state;
    if (!status.detail.empty()) out << "  " << status.detail;
    if (status.state == "ready") out << "  " << status.toolCount << " tools";
    out << '\n';
    if (!status.problem.empty()) out << "  why: " << status.problem << '\n';
    for (const ProvidedTool& tool : tools) {
      if (tool.source != status.name) continue;
      out << "  " << tool.definition.name;
      if (tool.originalName != tool.definition.name) out << "  (" << tool.originalName << ")";
      if (const std::string line = firstLine(tool.definition.description); !line.empty())
        out << "  " << line;
      out << '\n';
    }
  }

  int call(AgentHost& host, CommandContext& context) {
    std::shared_ptr<ToolProvider> provider;
    findServer(host, server_, provider);
    const auto tools = provider->listTools(Clock::now() + toolStartupTimeout(host.settings()));
    const ProvidedTool* chosen = nullptr;
    for (const ProvidedTool& tool : tools) {
      if (tool.source == server_ && (tool.originalName == tool_ || tool.definition.name == tool_))
        chosen = &tool;
    }
    if (chosen == nullptr) {
      for (const ToolSourceStatus& status : provider->toolSources()) {
        if (status.name != server_ || status.state == "ready") continue;
        context.err << "agent-host: MCP server " << server_ << " is not ready (" << status.state
                    << ")" << (status.problem.empty() ? "" : ": " + status.problem) << '\n';
        return kExitCallFailed;
      }
      throw UsageError("the MCP server " + server_ + " has no tool named '" + tool_ +
                       "' (see agent-host mcp list " + server_ + ")");
    }
    ToolCallContext call;
    call.deadline = Clock::time_point::max();
    const ToolResult result = provider->callTool(chosen->definition.name, arguments_, call);
    if (json_ && !result.raw.empty()) {
      context.out << result.raw << '\n';
    } else if (!result.isError) {
      context.out << result.text << '\n';
    }
    if (result.isError) {
      context.err << "agent-host: " << chosen->definition.name
                  << " failed: " << text::oneLine(result.text) << '\n';
      return kExitCallFailed;
    }
    return kExitOk;
  }

  CLI::App* list_ = nullptr;
  CLI::App* call_ = nullptr;
  std::vector<std::string> words_;
  std::string stdio_;
  std::string url_;
  bool json_ = false;
  std::string server_;
  std::string tool_;
  std::string arguments_;
};

}  // namespace

std::unique_ptr<Command> makeMcpCommand() {
  return std::make_unique<McpCommand>();
}

void addNoMcpOption(CLI::App& command, bool& noMcp) {
  command.add_flag("--no-mcp", noMcp, "Offer no tools from MCP servers (none is started)");
}

std::map<std::string, std::string> mcpOverrides(bool noMcp) {
  if (!noMcp) return {};
  return {{"MCP_SERVERS", ""}, {"MCP_CONFIG_FILE", ""}, {"mcp", ""}};
}

}  // namespace agent::host::cli
