// mcp-bench: our MCP client's start-up (spawn, initialize, tools/list) and tools/call round trip
// over stdio, through the real host and mcp.so, against the server whose command follows.
//
//   mcp-bench PLUGINS_DIR ROUNDS CALLS COMMAND ARGS...
//
// Prints one line per figure (median and p90 in ms), the same format as sdk-client.mjs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "agent/host/AgentHost.hpp"

namespace {

using Clock = std::chrono::steady_clock;

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

void report(const char* label, std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  std::printf("%-28s median %8.3f ms   p90 %8.3f ms   (n=%zu)\n", label, ms[ms.size() / 2],
              ms[ms.size() * 9 / 10], ms.size());
}

double since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: mcp-bench PLUGINS_DIR ROUNDS CALLS COMMAND ARGS...\n";
    return 2;
  }
  const std::string pluginsDir = argv[1];
  const int rounds = std::atoi(argv[2]);
  const int calls = std::atoi(argv[3]);
  std::string config = R"({"servers":{"bench":{"command":)" + quoted(argv[4]) + R"(,"args":[)";
  for (int i = 5; i < argc; ++i)
    config += (i > 5 ? "," : "") + quoted(argv[i]);
  config += "]}}}";

  std::vector<double> startups, roundTrips;
  for (int round = 0; round < rounds; ++round) {
    std::ostringstream log;
    agent::host::HostOptions options;
    options.pluginsDirectory = pluginsDir;
    options.logStream = &log;
    options.environment = [config](std::string_view key) -> std::optional<std::string> {
      if (key == "MCP_SERVERS") return config;
      if (const char* value = std::getenv(std::string(key).c_str())) return std::string(value);
      return std::nullopt;
    };
    const auto start = Clock::now();
    agent::host::AgentHost host(std::move(options));
    if (host.toolProviders().empty()) {
      std::cerr << "mcp.so was not loaded from " << pluginsDir << "\n" << log.str();
      return 1;
    }
    auto& provider = *host.toolProviders().front().provider;
    const auto tools = provider.listTools(start + std::chrono::seconds(30));
    startups.push_back(since(start));
    if (tools.empty()) {
      std::cerr << "the server listed no tools\n" << log.str();
      return 1;
    }
    agent::ToolCallContext context;
    context.deadline = Clock::now() + std::chrono::minutes(5);
    for (int i = 0; i < calls; ++i) {
      const auto call = Clock::now();
      const auto result = provider.callTool("bench__echo", R"({"message":"ping"})", context);
      roundTrips.push_back(since(call));
      if (result.isError) {
        std::cerr << "echo failed: " << result.text << "\n";
        return 1;
      }
    }
  }
  std::printf("agent-host mcp.so (C++)\n");
  report("start-up (spawn+init+list)", startups);
  report("tools/call echo round trip", roundTrips);
  return 0;
}
