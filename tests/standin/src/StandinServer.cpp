#include "StandinServer.hpp"

#include <optional>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Timespan.h>

#include "StandinConnection.hpp"

namespace agent::standin {

StandinServer::StandinServer(std::shared_ptr<StandinState> state,
                             std::shared_ptr<const RequestRouter> router)
    : state_(std::move(state)), router_(std::move(router)) {}

StandinServer::~StandinServer() {
  stop();
}

std::uint16_t StandinServer::start(const std::string& host, std::uint16_t port) {
  listener_.bind(Poco::Net::SocketAddress(host, port), true);
  listener_.listen(256);
  // Non-blocking: a connection reset between poll() and accept() must not block the acceptor.
  listener_.setBlocking(false);
  port_ = listener_.address().port();
  knockHost_ =
      listener_.address().host().isWildcard()
          ? (listener_.address().family() == Poco::Net::AddressFamily::IPv6 ? "::1" : "127.0.0.1")
          : listener_.address().host().toString();
  const auto threads = static_cast<std::size_t>(std::max(state_->options().maxThreads, 1));
  maxWorkers_ = threads;
  maxQueued_ = 4 * threads;
  acceptor_ = std::thread([this] { acceptLoop(); });
  return port_;
}

void StandinServer::acceptLoop() {
  const Poco::Timespan tick(0, 250 * 1000);  // a fallback only: stop() knocks
  while (!stopAccepting_.load()) {
    bool readable = false;
    try {
      readable = listener_.poll(tick, Poco::Net::Socket::SELECT_READ);
    } catch (...) {
      continue;
    }
    if (!readable) continue;
    std::lock_guard lock(mutex_);
    if (stopAccepting_.load()) break;
    try {
      // Accepted straight into the queue, under the lock: the acceptor keeps no reference.
      pending_.push_back(listener_.acceptConnection());
    } catch (...) {  // EAGAIN after a reset, EMFILE...: try again on the next poll
      continue;
    }
    if (pending_.size() > maxQueued_) {
      pending_.pop_back();  // overloaded: refuse by closing
      continue;
    }
    // One worker per queued socket: an idle worker counts until it wakes and takes one, so two
    // accepts in a row must not both rely on it (the second connection would wait for a worker
    // to finish a whole keep-alive connection).
    if (pending_.size() > idleWorkers_ && workers_.size() < maxWorkers_) {
      workers_.emplace_back([this] { workerLoop(); });
    }
    work_.notify_one();
  }
}

void StandinServer::workerLoop() {
  for (;;) {
    std::optional<Poco::Net::StreamSocket> socket;
    {
      std::unique_lock lock(mutex_);
      ++idleWorkers_;
      work_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      --idleWorkers_;
      if (stopping_) return;
      socket.emplace(pending_.front());
      pending_.pop_front();
    }
    socket->setBlocking(true);
    StandinConnection(*socket, *state_, *router_).run();
  }  // the last reference to the socket goes here, on the thread that served it
}

void StandinServer::knock() {
  try {
    Poco::Net::StreamSocket knock;
    knock.connect(Poco::Net::SocketAddress(knockHost_, port_), Poco::Timespan(0, 200 * 1000));
  } catch (...) {  // the poll's own timeout still ends the acceptor
  }
}

void StandinServer::stop() {
  if (!acceptor_.joinable()) return;
  stopAccepting_.store(true);
  knock();
  acceptor_.join();
  listener_.close();

  state_->beginStop();  // wakes every wait and blocked read of live connections
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    pending_.clear();  // accepted but never served: closed
  }
  work_.notify_all();
  for (auto& worker : workers_)
    worker.join();
  workers_.clear();
}

}  // namespace agent::standin
