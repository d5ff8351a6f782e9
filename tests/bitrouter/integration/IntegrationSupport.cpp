#include "IntegrationSupport.hpp"

#include <unistd.h>

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace agent::bitrouter::integration {

// --- Small helpers -----------------------------------------------------------------------------

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
  pluginsDir_.addPlugin(BITROUTER_PLUGIN_FILE, "bitrouter.so");
  if (plugins == Plugins::BitRouterAndEcho) pluginsDir_.addPlugin(ECHO_PLUGIN_FILE, "echo.so");
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

bool BitRouterIntegrationTest::waitForLog(std::string_view needle,
                                          std::chrono::milliseconds limit) const {
  const auto end = Clock::now() + limit;
  while (!contains(logText(), needle)) {
    if (Clock::now() >= end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

std::vector<ModelUsedEvent> BitRouterIntegrationTest::modelUsed() const {
  if (host_) host_->events().flush();  // events are delivered off the call's thread
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
