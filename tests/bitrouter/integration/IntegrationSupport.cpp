#include "IntegrationSupport.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace agent::bitrouter::integration {

// --- TempDir -----------------------------------------------------------------------------------

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/bitrouter-integ-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error(std::string("mkdtemp failed: ") + std::strerror(errno));
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::write(const std::string& name, const std::string& content) const {
  const auto file = path_ / name;
  std::ofstream out(file, std::ios::binary);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + file.string());
  return file;
}

void TempDir::clear() const {
  for (const auto& entry : std::filesystem::directory_iterator(path_)) {
    std::filesystem::remove_all(entry.path());
  }
}

// --- Small helpers -----------------------------------------------------------------------------

std::uint16_t unusedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("bind failed");
  }
  // Never listened on, and closed: a connect is refused.
  ::close(fd);
  return ntohs(address.sin_port);
}

host::Settings::Environment mapEnvironment(EnvMap values) {
  return [values = std::move(values)](std::string_view key) -> std::optional<std::string> {
    if (auto it = values.find(std::string(key)); it != values.end()) return it->second;
    return std::nullopt;
  };
}

GenerateTextParams withPrompt(std::string prompt) {
  GenerateTextParams params;
  params.prompt = std::move(prompt);
  return params;
}

rapidjson::Document parseJson(std::string_view text) {
  rapidjson::Document document;
  document.Parse(text.data(), text.size());
  if (document.HasParseError()) {
    ADD_FAILURE() << "not JSON (" << rapidjson::GetParseError_En(document.GetParseError()) << " at "
                  << document.GetErrorOffset() << "): " << text;
    document.SetNull();
  }
  return document;
}

std::string toJson(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::vector<std::string> splitLines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    lines.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::string describe(const ModelResult& result) {
  if (result.ok()) return "ok: " + result.output().text;
  const ModelError& error = result.error();
  std::string text(toString(error.kind));
  if (error.httpStatus != 0) text += " (HTTP " + std::to_string(error.httpStatus) + ")";
  return text + ": " + error.message;
}

bool contains(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

std::size_t countOf(std::string_view text, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t pos = text.find(needle); pos != std::string_view::npos;
       pos = text.find(needle, pos + needle.size())) {
    ++count;
  }
  return count;
}

// --- Running the real agent-host binary --------------------------------------------------------

ProcessResult runProcess(const std::string& executable, const std::vector<std::string>& args,
                         const EnvMap& env) {
  int outPipe[2], errPipe[2];
  if (::pipe2(outPipe, O_CLOEXEC) != 0 || ::pipe2(errPipe, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe2 failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2);

  std::vector<std::string> argStrings{executable};
  argStrings.insert(argStrings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argStrings)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> envStrings{"PATH=/usr/bin:/bin"};
  for (const auto& [key, value] : env)
    envStrings.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : envStrings)
    envp.push_back(entry.data());
  envp.push_back(nullptr);

  pid_t pid = 0;
  const int spawned =
      ::posix_spawn(&pid, executable.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(outPipe[1]);
  ::close(errPipe[1]);
  if (spawned != 0) {
    ::close(outPipe[0]);
    ::close(errPipe[0]);
    throw std::runtime_error("posix_spawn " + executable + ": " + std::strerror(spawned));
  }

  // Drain both outputs together so that neither can fill up and block the child.
  ProcessResult result;
  int openOutputs = 2;
  pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
  while (openOutputs > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[4096];
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --openOutputs;
      }
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

// --- The fixture -------------------------------------------------------------------------------

standin::StandinOptions authModeOptions() {
  standin::StandinOptions options;
  options.skipAuth = false;
  options.validKeys = {std::string(kValidKey)};
  return options;
}

void BitRouterIntegrationTest::SetUp() {
  restartStandin({});
}

void BitRouterIntegrationTest::TearDown() {
  host_.reset();
  if (standin_) standin_->stop();
}

void BitRouterIntegrationTest::restartStandin(standin::StandinOptions options) {
  host_.reset();
  if (standin_) standin_->stop();
  standin_ = std::make_unique<standin::BitRouterStandin>(std::move(options));
  standin_->start();
}

EnvMap BitRouterIntegrationTest::baseEnv() const {
  return {
      {"BITROUTER_BASE_URL", standin_->baseUrl()},
      {"BITROUTER_RETRY_BASE_MS", "1"},
      {"BITROUTER_TIMEOUT_MS", "20000"},
  };
}

host::AgentHost& BitRouterIntegrationTest::makeHost(const EnvMap& overrides, Plugins plugins,
                                                    LogLevel level) {
  EnvMap env = baseEnv();
  for (const auto& [key, value] : overrides)
    env[key] = value;
  return makeHostWithEnv(env, plugins, level);
}

host::AgentHost& BitRouterIntegrationTest::makeHostWithEnv(const EnvMap& env, Plugins plugins,
                                                           LogLevel level) {
  host_.reset();
  {
    std::lock_guard lock(eventsMutex_);
    events_.clear();
  }
  host::HostOptions options;
  options.pluginsDirectory = preparePlugins(plugins);
  options.character = character_;
  options.environment = mapEnvironment(env);
  options.logLevel = level;
  options.logStream = &log_;
  host_ = std::make_unique<host::AgentHost>(std::move(options));
  host_->events().subscribe([this](const ModelUsedEvent& event) {
    std::lock_guard lock(eventsMutex_);
    events_.push_back(event);
  });
  return *host_;
}

const std::filesystem::path& BitRouterIntegrationTest::preparePlugins(Plugins plugins) {
  // Only the plugins this test wants, under their real file names (load order = name order),
  // so that nothing else built into the plugins directory can change what a test sees.
  pluginsDir_.clear();
  std::filesystem::create_symlink(BITROUTER_PLUGIN_FILE, pluginsDir_.path() / "bitrouter.so");
  if (plugins == Plugins::BitRouterAndEcho) {
    std::filesystem::create_symlink(ECHO_PLUGIN_FILE, pluginsDir_.path() / "echo.so");
  }
  return pluginsDir_.path();
}

host::AgentHost& BitRouterIntegrationTest::host() {
  if (!host_) makeHost();
  return *host_;
}

const host::PluginReport* BitRouterIntegrationTest::report(std::string_view name) const {
  if (!host_) return nullptr;
  for (const auto& plugin : host_->plugins()) {
    if (plugin.name == name) return &plugin;
  }
  return nullptr;
}

ModelResult BitRouterIntegrationTest::call(ModelType type, GenerateTextParams params,
                                           std::optional<std::string_view> provider,
                                           host::CallInfo* info) {
  return host().runtime().useModel(type, std::move(params), provider, info);
}

ModelResult BitRouterIntegrationTest::call(ModelType type, std::string prompt) {
  return call(type, withPrompt(std::move(prompt)));
}

std::vector<ModelUsedEvent> BitRouterIntegrationTest::modelUsed() const {
  std::lock_guard lock(eventsMutex_);
  return events_;
}

std::vector<standin::RecordedRequest> BitRouterIntegrationTest::chatRequests() const {
  std::vector<standin::RecordedRequest> chats;
  for (auto& request : standin_->requests()) {
    if (request.method == "POST" && request.path == "/v1/chat/completions") {
      chats.push_back(std::move(request));
    }
  }
  return chats;
}

rapidjson::Document BitRouterIntegrationTest::lastChatBody() const {
  const auto chats = chatRequests();
  if (chats.empty()) {
    ADD_FAILURE() << "the stand-in received no chat request";
    return rapidjson::Document();
  }
  return parseJson(chats.back().body);
}

}  // namespace agent::bitrouter::integration
