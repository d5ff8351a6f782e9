#include "server/ServerConnection.hpp"

#include <algorithm>
#include <charconv>

#include "agent/support/Text.hpp"
#include "protocol/JsonRpc.hpp"
#include "protocol/Lifecycle.hpp"
#include "protocol/ResultText.hpp"
#include "transport/TransportFactory.hpp"

#ifndef AGENT_MCP_VERSION
#define AGENT_MCP_VERSION "0"
#endif

namespace agent::mcp {

using Clock = std::chrono::steady_clock;

namespace {

constexpr int kMaxPages = 100;          // a server that pages forever is cut off
constexpr int kProgressCapFactor = 10;  // progress extends a request to 10 × the timeout at most
constexpr std::chrono::milliseconds kPoll{100};        // how often a waiting call checks cancel
constexpr std::chrono::seconds kStableConnection{60};  // up this long: the retry count restarts
constexpr std::chrono::seconds kSessionServed{1};      // a session the server ended after this long
                                                       // is renewed at once
// The handshake waits at least this long whatever the call timeout: starting a server (npx, a
// cold Node.js) can take longer than a short call should. Model calls never wait for it: they
// wait MCP_STARTUP_TIMEOUT_MS at most.
constexpr std::chrono::milliseconds kHandshakeTimeout{60000};

// The earlier of `limit` and the call's deadline. A context may leave its deadline unset (the
// clock's epoch), and then only `limit` holds.
Clock::time_point withinDeadline(Clock::time_point limit, const ToolCallContext* context) {
  if (context == nullptr || context->deadline == Clock::time_point{}) return limit;
  return std::min(limit, context->deadline);
}

std::string str(const rapidjson::Value& value) {
  return value.IsString() ? std::string(value.GetString(), value.GetStringLength()) : std::string();
}

std::string memberText(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return {};
  const auto it = object.FindMember(name);
  return it == object.MemberEnd() ? std::string() : str(it->value);
}

}  // namespace

struct ServerConnection::Pending {
  bool done = false;
  std::shared_ptr<rapidjson::Document> message;
  std::string failure;
  bool unread = false;  // see Reply::unread
  Clock::time_point lastActivity = Clock::now();
};

ServerConnection::ServerConnection(ServerConfig config, const HostServices& host,
                                   ServerOptions options)
    : config_(std::move(config)), host_(host), options_(options) {}

ServerConnection::~ServerConnection() {
  stop();
}

void ServerConnection::start() {
  supervisor_ = std::thread([this] { supervise(); });
}

void ServerConnection::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (supervisor_.joinable()) supervisor_.join();
}

void ServerConnection::log(LogLevel level, const std::string& message) const {
  host_.log(level, "mcp", "server " + config_.name + ": " + message);
}

std::string ServerConnection::withLog(std::string message) const {
  std::shared_ptr<Transport> transport;
  {
    std::lock_guard lock(mutex_);
    transport = transport_;
  }
  if (!transport) return message;
  if (const std::string log = transport->recentLog(); !text::isBlank(log))
    message += "; its last lines: " + text::oneLine(log);
  return message;
}

const char* ServerConnection::stateName(State state) {
  switch (state) {
    case State::Starting:
      return "starting";
    case State::Ready:
      return "ready";
    case State::Restarting:
      return "restarting";
    case State::Failed:
      return "failed";
    case State::Stopped:
      return "stopped";
  }
  return "unknown";
}

void ServerConnection::supervise() {
  int failures = 0;
  while (true) {
    std::uint64_t generation = 0;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
      generation = ++generation_;
      closed_ = false;
      sessionEnded_ = false;
      closedWhy_.clear();
    }
    auto connected = connect(generation);
    std::string why;
    bool sessionEnded = false;
    std::unique_lock lock(mutex_);
    if (connected) {
      state_ = State::Ready;
      problem_.clear();
      const auto since = Clock::now();
      changed_.notify_all();
      log(LogLevel::Info, "ready (" + detail_ + ", " + std::to_string(tools_.size()) + " tools)");
      changed_.wait(lock, [&] { return stopping_ || closed_; });
      const auto up = Clock::now() - since;
      if (up >= kStableConnection) failures = 0;
      why = closedWhy_;
      // A session the server ended after serving it a while: start the next one now. One that
      // ends as soon as it begins is a failure like any other, so it cannot spin.
      sessionEnded = sessionEnded_ && up >= kSessionServed;
    } else {
      why = connected.error();
    }
    auto transport = std::move(transport_);
    for (auto& [id, pending] : pending_) {
      pending->done = true;
      pending->failure = why.empty() ? "the connection was closed" : why;
    }
    pending_.clear();
    changed_.notify_all();
    if (stopping_) {
      lock.unlock();
      if (transport) transport->close();
      break;
    }
    lock.unlock();
    if (transport) transport->close();
    lock.lock();
    if (sessionEnded) {
      log(LogLevel::Info, why);
      continue;
    }
    if (failures >= options_.maxRetries) {
      state_ = State::Failed;
      problem_ =
          why + (options_.maxRetries > 0
                     ? " (gave up after " + std::to_string(options_.maxRetries) + " restarts)"
                     : std::string());
      changed_.notify_all();
      log(LogLevel::Error, problem_);
      changed_.wait(lock, [&] { return stopping_; });
      break;
    }
    const auto delay = options_.firstBackoff * (1 << std::min(failures, 16));
    ++failures;
    state_ = State::Restarting;
    problem_ = why + "; restarting in " + std::to_string(delay.count()) + " ms";
    changed_.notify_all();
    log(LogLevel::Warn, problem_);
    changed_.wait_for(lock, delay, [&] { return stopping_; });
  }
  std::lock_guard lock(mutex_);
  state_ = State::Stopped;
  changed_.notify_all();
}

Expected<Done, std::string> ServerConnection::connect(std::uint64_t generation) {
  auto transport = makeTransport(config_, host_);
  {
    std::lock_guard lock(mutex_);
    transport_ = transport;
  }
  TransportHandlers handlers;
  handlers.onMessage = [this, generation](std::string_view text) { onMessage(generation, text); };
  handlers.onClosed = [this, generation](const std::string& why, bool sessionEnded) {
    onClosed(generation, why, sessionEnded);
  };
  handlers.onUnread = [this, generation](const std::string& id) { onUnread(generation, id); };
  handlers.onWarning = [this](const std::string& warning) { log(LogLevel::Warn, warning); };
  if (auto opened = transport->open(std::move(handlers)); !opened) return opened.error();

  const auto handshake = std::max(config_.timeout, kHandshakeTimeout);
  Reply reply =
      request("initialize", initializeParams(AGENT_MCP_VERSION), false, nullptr, handshake);
  if (!reply.message) return "initialize failed: " + reply.failure;
  const rapidjson::Value& message = *reply.message;
  if (message.HasMember("error")) return "initialize failed: " + describeError(message["error"]);
  const rapidjson::Value& result = message["result"];
  const std::string version = memberText(result, "protocolVersion");
  if (!isSupportedVersion(version)) {
    return "the server answered protocol version '" + version +
           "', which this client does not speak (it speaks 2025-11-25, 2025-06-18, 2025-03-26 "
           "and 2024-11-05)";
  }
  transport->setProtocolVersion(version);
  std::string detail = "protocol " + version;
  if (result.IsObject() && result.HasMember("serverInfo")) {
    const std::string serverName = memberText(result["serverInfo"], "name");
    const std::string serverVersion = memberText(result["serverInfo"], "version");
    if (!serverName.empty()) detail += ", server " + serverName + " " + serverVersion;
  }
  if (auto sent = transport->send(notificationText("notifications/initialized", "")); !sent)
    return "cannot send notifications/initialized: " + sent.error();
  auto tools = listAll(handshake);
  if (!tools) return tools.error();
  std::lock_guard lock(mutex_);
  detail_ = std::move(detail);
  tools_ = std::move(tools).value();
  return Done{};
}

Expected<std::vector<McpTool>, std::string> ServerConnection::listAll(
    std::chrono::milliseconds timeout) {
  std::vector<McpTool> tools;
  std::string cursor;
  for (int page = 0; page < kMaxPages; ++page) {
    const std::string params = cursor.empty() ? "{}" : "{\"cursor\":" + quoted(cursor) + "}";
    Reply reply = request("tools/list", params, false, nullptr, timeout);
    if (!reply.message) return "tools/list failed: " + reply.failure;
    const rapidjson::Value& message = *reply.message;
    if (message.HasMember("error")) return "tools/list failed: " + describeError(message["error"]);
    const rapidjson::Value& result = message["result"];
    if (!result.IsObject() || !result.HasMember("tools") || !result["tools"].IsArray())
      return std::string("tools/list answered without a tools array");
    for (const auto& tool : result["tools"].GetArray()) {
      McpTool entry;
      entry.name = memberText(tool, "name");
      if (entry.name.empty()) continue;
      entry.description = memberText(tool, "description");
      if (tool.HasMember("inputSchema") && tool["inputSchema"].IsObject()) {
        entry.inputSchema = toJson(tool["inputSchema"]);
      } else {
        entry.inputSchema = R"({"type":"object"})";
      }
      if (auto annotations = tool.FindMember("annotations");
          annotations != tool.MemberEnd() && annotations->value.IsObject()) {
        auto hint = annotations->value.FindMember("readOnlyHint");
        entry.readOnly =
            hint != annotations->value.MemberEnd() && hint->value.IsBool() && hint->value.GetBool();
      }
      tools.push_back(std::move(entry));
    }
    cursor = memberText(result, "nextCursor");
    if (cursor.empty()) return tools;
  }
  return tools;
}

ServerConnection::Reply ServerConnection::request(std::string_view method,
                                                  const std::string& params, bool withProgress,
                                                  const ToolCallContext* context,
                                                  std::chrono::milliseconds timeout) {
  const std::int64_t id = nextId_++;
  std::string body = params;
  if (withProgress) {
    // The request's own id is its progress token. params is an object: add _meta first.
    std::string meta = "{\"progressToken\":" + std::to_string(id);
    if (context != nullptr && context->trace.valid())
      meta += ",\"traceparent\":" + quoted(context->trace.traceparent());
    meta += "}";
    body = "{\"_meta\":" + meta + (params.size() > 2 ? "," + params.substr(1) : "}");
  }
  auto pending = std::make_shared<Pending>();
  std::shared_ptr<Transport> transport;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return Reply{nullptr, "the client is shutting down"};
    if (closed_ || !transport_)
      return Reply{nullptr, closedWhy_.empty() ? "not connected" : closedWhy_};
    transport = transport_;
    pending_[id] = pending;
  }
  if (auto sent = transport->send(requestText(id, method, body)); !sent) {
    std::lock_guard lock(mutex_);
    pending_.erase(id);
    return Reply{nullptr, sent.error()};
  }
  const auto started = Clock::now();
  const auto hardCap = started + timeout * kProgressCapFactor;
  std::unique_lock lock(mutex_);
  std::string cancelReason;
  while (!pending->done) {
    const auto now = Clock::now();
    const auto deadline =
        withinDeadline(std::min(pending->lastActivity + timeout, hardCap), context);
    if (stopping_) {
      cancelReason = "the client is shutting down";
      break;
    }
    if (context != nullptr && context->cancellation && context->cancellation->cancelled()) {
      cancelReason = "cancelled";
      break;
    }
    if (now >= deadline) {
      const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(now - started);
      cancelReason =
          std::string(method) + " timed out after " + std::to_string(waited.count()) + " ms";
      break;
    }
    changed_.wait_until(lock, std::min(deadline, now + kPoll));
  }
  if (pending->done) {
    if (pending->message) return Reply{pending->message, {}};
    return Reply{nullptr, pending->failure, pending->unread};
  }
  pending_.erase(id);
  lock.unlock();
  (void)transport->send(notificationText(
      "notifications/cancelled",
      "{\"requestId\":" + std::to_string(id) + ",\"reason\":" + quoted(cancelReason) + "}"));
  return Reply{nullptr, withLog(cancelReason)};
}

void ServerConnection::sendQuietly(const std::string& message) {
  std::shared_ptr<Transport> transport;
  {
    std::lock_guard lock(mutex_);
    transport = transport_;
  }
  if (transport) (void)transport->send(message);
}

void ServerConnection::onMessage(std::uint64_t generation, std::string_view text) {
  Incoming message = parseMessage(text);
  switch (message.kind) {
    case Incoming::Kind::Invalid: {
      std::string excerpt(text.substr(0, 80));
      log(LogLevel::Warn, "skipped a line that is not JSON-RPC (" + message.method +
                              "): " + text::oneLine(excerpt));
      return;
    }
    case Incoming::Kind::Response: {
      std::lock_guard lock(mutex_);
      if (generation != generation_) return;
      auto it = pending_.find(message.id);
      if (it == pending_.end()) return;  // answered after a timeout: nobody waits for it
      it->second->done = true;
      it->second->message = message.document;
      pending_.erase(it);
      changed_.notify_all();
      return;
    }
    case Incoming::Kind::Request: {
      if (message.method == "ping") {
        sendQuietly(resultText(message.rawId, "{}"));
      } else {
        sendQuietly(
            errorText(message.rawId, -32601, "agent-host does not support " + message.method));
      }
      return;
    }
    case Incoming::Kind::Notification:
      break;
  }
  if (message.method == "notifications/progress") {
    const rapidjson::Value* params = message.member("params");
    if (params == nullptr || !params->IsObject() || !params->HasMember("progressToken")) return;
    const rapidjson::Value& token = (*params)["progressToken"];
    std::int64_t id = -1;
    if (token.IsInt64()) id = token.GetInt64();
    if (token.IsString()) id = text::parseInt64(str(token)).value_or(-1);
    std::lock_guard lock(mutex_);
    if (auto it = pending_.find(id); it != pending_.end()) {
      it->second->lastActivity = Clock::now();
      changed_.notify_all();
    }
  } else if (message.method == "notifications/tools/list_changed") {
    std::lock_guard lock(mutex_);
    toolsStale_ = true;
  } else if (message.method == "notifications/message") {
    log(LogLevel::Debug, text::oneLine(text.substr(0, 300)));
  }
}

void ServerConnection::onClosed(std::uint64_t generation, const std::string& why,
                                bool sessionEnded) {
  std::lock_guard lock(mutex_);
  if (generation != generation_) return;
  closed_ = true;
  sessionEnded_ = sessionEnded;
  closedWhy_ = why;
  // Not ready from now on: the supervisor decides between restarting and failed. A session the
  // server ended is starting again, so new calls wait for it rather than fail.
  if (state_ == State::Ready) {
    state_ = sessionEnded ? State::Starting : State::Restarting;
    problem_ = why;
  }
  // Calls in flight fail now, not at their timeout.
  for (auto& [id, pending] : pending_) {
    pending->done = true;
    pending->failure = why;
  }
  pending_.clear();
  changed_.notify_all();
}

void ServerConnection::onUnread(std::uint64_t generation, const std::string& requestId) {
  std::int64_t id = 0;
  const char* end = requestId.data() + requestId.size();
  if (std::from_chars(requestId.data(), end, id).ptr != end) return;
  std::lock_guard lock(mutex_);
  if (generation != generation_) return;
  if (const auto found = pending_.find(id); found != pending_.end()) found->second->unread = true;
}

bool ServerConnection::waitReady(Clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock, deadline, [&] {
    return state_ == State::Ready || state_ == State::Failed || state_ == State::Stopped;
  });
  return state_ == State::Ready;
}

ToolSourceStatus ServerConnection::status() const {
  std::lock_guard lock(mutex_);
  ToolSourceStatus status;
  status.name = config_.name;
  status.state = stateName(state_);
  status.detail = detail_;
  status.problem = problem_;
  if (state_ == State::Starting && transport_) {
    if (const std::string log = transport_->recentLog(); !text::isBlank(log))
      status.problem = "still starting; its last lines: " + text::oneLine(log);
  }
  status.toolCount = state_ == State::Ready ? static_cast<int>(tools_.size()) : 0;
  return status;
}

std::vector<McpTool> ServerConnection::tools() {
  std::lock_guard listing(listMutex_);
  {
    std::lock_guard lock(mutex_);
    if (state_ != State::Ready) return {};
    if (!toolsStale_) return tools_;
    toolsStale_ = false;
  }
  auto listed = listAll(config_.timeout);
  std::lock_guard lock(mutex_);
  if (listed) {
    tools_ = std::move(listed).value();
  } else {
    log(LogLevel::Warn, "listing the tools again failed: " + listed.error());
  }
  return state_ == State::Ready ? tools_ : std::vector<McpTool>{};
}

std::optional<std::string> ServerConnection::notReadyFor(const ToolCallContext& context) {
  const auto startBy = withinDeadline(Clock::now() + config_.timeout, &context);
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock, startBy, [&] { return state_ != State::Starting || stopping_; });
  if (state_ == State::Ready) return std::nullopt;
  return std::string("not ready (") + stateName(state_) + ")" +
         (problem_.empty() ? std::string() : ": " + problem_);
}

ToolResult ServerConnection::callTool(const std::string& tool, std::string_view arguments,
                                      const ToolCallContext& context) {
  const std::string prefix = "MCP server " + config_.name + ": ";
  if (std::optional<std::string> notReady = notReadyFor(context)) {
    return ToolResult{true, prefix + *notReady, {}};
  }
  const std::string params =
      "{\"name\":" + quoted(tool) +
      ",\"arguments\":" + (text::isBlank(arguments) ? std::string("{}") : std::string(arguments)) +
      "}";
  Reply reply = request("tools/call", params, true, &context, config_.timeout);
  if (!reply.message && reply.unread) {
    // The server had ended the session and refused the call unread: once more, on the new one.
    log(LogLevel::Info, "calling " + tool + " again on the new session");
    if (std::optional<std::string> notReady = notReadyFor(context)) {
      return ToolResult{true, prefix + *notReady, {}};
    }
    reply = request("tools/call", params, true, &context, config_.timeout);
  }
  if (!reply.message) return ToolResult{true, prefix + reply.failure, {}};
  const rapidjson::Value& message = *reply.message;
  if (message.HasMember("error")) {
    return ToolResult{true, describeError(message["error"]), toJson(message["error"])};
  }
  const rapidjson::Value& result = message["result"];
  ResultText text = resultText(result, options_.maxResultChars);
  return ToolResult{text.isError, std::move(text.text), toJson(result)};
}

}  // namespace agent::mcp
