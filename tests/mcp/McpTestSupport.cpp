#include "McpTestSupport.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

namespace agent::mcp::test {

namespace {

std::string quotedJson(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::filesystem::path serverBin(const std::string& name) {
  const auto path = std::filesystem::path(MCP_SERVERS_DIR) / "node_modules" / ".bin" / name;
  if (!std::filesystem::exists(path)) {
    ADD_FAILURE() << path << " is missing: run scripts/bootstrap.sh (npm ci in tests/mcp/servers)";
  }
  return path;
}

std::string scriptedCommand(const std::string& mode) {
  return stdioServer({"node", MCP_SCRIPTED_SERVER, mode});
}

std::string stdioServer(const std::vector<std::string>& argv, const std::string& extra) {
  std::string entry = "{\"type\":\"stdio\",\"command\":" + quotedJson(argv.at(0)) + ",\"args\":[";
  for (std::size_t i = 1; i < argv.size(); ++i)
    entry += (i > 1 ? "," : "") + quotedJson(argv[i]);
  entry += "]";
  if (!extra.empty()) entry += "," + extra;
  return entry + "}";
}

McpHost::McpHost(const std::string& config, agent::test::EnvMap env, bool withBitRouter) {
  plugins_.addPlugin(MCP_PLUGIN_FILE, "mcp.so");
  if (withBitRouter) plugins_.addPlugin(BITROUTER_PLUGIN_FILE, "bitrouter.so");
  env["MCP_SERVERS"] = config;
  if (const char* path = std::getenv("PATH")) env.emplace("PATH", path);
  if (const char* home = std::getenv("HOME")) env.emplace("HOME", home);
  host::HostOptions options;
  options.pluginsDirectory = plugins_.path();
  options.environment = agent::test::mapEnvironment(std::move(env));
  options.logLevel = LogLevel::Debug;
  options.logStream = &log_;
  host_ = std::make_unique<host::AgentHost>(std::move(options));
}

McpHost::~McpHost() {
  host_.reset();
}

ToolProvider& McpHost::provider() {
  if (host_->toolProviders().empty()) {
    ADD_FAILURE() << "mcp.so lent no tools; its log:\n" << log_.str();
    throw std::runtime_error("no tool provider");
  }
  return *host_->toolProviders().front().provider;
}

ToolSourceStatus McpHost::status(const std::string& server) {
  for (ToolSourceStatus& status : provider().toolSources()) {
    if (status.name == server) return status;
  }
  ADD_FAILURE() << "no server " << server;
  return {};
}

std::vector<ProvidedTool> McpHost::tools(std::chrono::milliseconds wait) {
  return provider().listTools(std::chrono::steady_clock::now() + wait);
}

ToolResult McpHost::call(const std::string& name, const std::string& arguments,
                         std::chrono::milliseconds deadline) {
  ToolCallContext context;
  context.deadline = std::chrono::steady_clock::now() + deadline;
  return provider().callTool(name, arguments, context);
}

std::string McpHost::finish() {
  host_.reset();
  return log_.str();
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const agent::test::EnvMap& env) {
  std::vector<std::string> entries;
  for (const auto& [key, value] : env)
    entries.push_back(key + "=" + value);
  std::vector<char*> args, envp;
  for (const auto& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  for (const auto& entry : entries)
    envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ == 0) {
    ::setpgid(0, 0);
    ::execve(args[0], args.data(), envp.data());
    ::_exit(127);
  }
}

BackgroundProcess::~BackgroundProcess() {
  if (pid_ <= 0) return;
  ::kill(-pid_, SIGTERM);
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 200; ++i) {
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
}

ScriptedHttpServer::ScriptedHttpServer(const std::string& mode)
    : port_(agent::test::unusedLoopbackPort()) {
  std::filesystem::path node = "node";
  const char* path = std::getenv("PATH");
  std::stringstream directories(path != nullptr ? path : "");
  for (std::string directory; std::getline(directories, directory, ':');) {
    if (std::filesystem::exists(std::filesystem::path(directory) / "node")) {
      node = std::filesystem::path(directory) / "node";
      break;
    }
  }
  agent::test::EnvMap env{{"PATH", path != nullptr ? path : ""}};
  process_ = std::make_unique<BackgroundProcess>(
      std::vector<std::string>{node.string(), MCP_SCRIPTED_SERVER, mode,
                               "http:" + std::to_string(port_)},
      env);
  if (!waitForPort(port_, std::chrono::seconds(20)))
    ADD_FAILURE() << "the scripted HTTP server did not listen on port " << port_;
}

std::string ScriptedHttpServer::entry() const {
  return R"({"type": "streamable-http", "url": "http://127.0.0.1:)" + std::to_string(port_) +
         R"(/mcp"})";
}

bool waitForPort(int port, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool connected =
        ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    if (connected) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace agent::mcp::test
