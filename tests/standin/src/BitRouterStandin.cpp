#include "BitRouterStandin.hpp"

#include <memory>
#include <mutex>

#include "RequestRouter.hpp"
#include "StandinServer.hpp"
#include "StandinState.hpp"

namespace agent::standin {
namespace {

// Where a client reaches a server bound to `host` (a wildcard bind is reached through loopback).
std::string reachable(const std::string& host) {
  if (host.empty() || host == "0.0.0.0") return "127.0.0.1";
  if (host == "::") return "::1";
  return host;
}

}  // namespace

class BitRouterStandin::Impl {
 public:
  explicit Impl(StandinOptions options)
      : state_(std::make_shared<StandinState>(std::move(options))),
        router_(std::make_shared<const RequestRouter>(*state_)) {}

  ~Impl() { stop(); }

  void start() {
    std::lock_guard lock(mutex_);
    if (server_) return;
    // After a stop(), come back on the same port so clients configured with it reconnect.
    const std::uint16_t port = boundPort_ != 0 ? boundPort_ : state_->options().port;
    auto server = std::make_unique<StandinServer>(state_, router_);
    state_->resume();
    boundPort_ = server->start(state_->options().host, port);
    server_ = std::move(server);
  }

  void stop() {
    std::lock_guard lock(mutex_);
    if (!server_) return;
    server_->stop();
    server_.reset();
  }

  bool running() const {
    std::lock_guard lock(mutex_);
    return server_ != nullptr;
  }

  std::uint16_t port() const {
    std::lock_guard lock(mutex_);
    return boundPort_ != 0 ? boundPort_ : state_->options().port;
  }

  StandinState& state() { return *state_; }
  const StandinState& state() const { return *state_; }
  std::string reachableHost() const { return reachable(state_->options().host); }

 private:
  std::shared_ptr<StandinState> state_;
  std::shared_ptr<const RequestRouter> router_;
  mutable std::mutex mutex_;
  std::uint16_t boundPort_ = 0;
  std::unique_ptr<StandinServer> server_;
};

BitRouterStandin::BitRouterStandin(StandinOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

BitRouterStandin::~BitRouterStandin() = default;

void BitRouterStandin::start() {
  impl_->start();
}
void BitRouterStandin::stop() {
  impl_->stop();
}
bool BitRouterStandin::running() const {
  return impl_->running();
}
std::uint16_t BitRouterStandin::port() const {
  return impl_->port();
}

std::string BitRouterStandin::baseUrl() const {
  std::string host = impl_->reachableHost();
  if (host.find(':') != std::string::npos) host = "[" + host + "]";  // IPv6 literal
  return "http://" + host + ":" + std::to_string(port());
}

void BitRouterStandin::script(ResponseScript script) {
  impl_->state().pushScript(script, 1);
}
void BitRouterStandin::scriptRepeated(ResponseScript script, int count) {
  impl_->state().pushScript(script, count);
}
void BitRouterStandin::clearScripts() {
  impl_->state().clearScripts();
}
std::size_t BitRouterStandin::queuedScripts() const {
  return impl_->state().queuedScripts();
}

std::vector<RecordedRequest> BitRouterStandin::requests() const {
  return impl_->state().records();
}
std::size_t BitRouterStandin::chatRequestCount() const {
  return impl_->state().chatRequests();
}
std::size_t BitRouterStandin::connectionCount() const {
  return impl_->state().connections();
}
void BitRouterStandin::resetRecords() {
  impl_->state().resetRecords();
}

std::optional<std::chrono::steady_clock::time_point> BitRouterStandin::lastStreamFrameSentAt()
    const {
  return impl_->state().lastStreamFrameSentAt();
}

}  // namespace agent::standin
