#include "RawServer.hpp"

#include <sys/socket.h>

#include <Poco/Exception.h>

namespace agent::bitrouter::test {

RawServer::RawServer(Behavior behavior)
    : behavior_(std::move(behavior)), socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
  thread_ = std::thread([this] { serve(); });
}

RawServer::~RawServer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    ::shutdown(socket_.impl()->sockfd(), SHUT_RDWR);  // the accept poll returns now
    if (current_.impl()->initialized()) ::shutdown(current_.impl()->sockfd(), SHUT_RDWR);
  }
  changed_.notify_all();
  thread_.join();
}

bool RawServer::waitForClosedConnections(int count, std::chrono::milliseconds limit) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, limit, [&] { return closed_ >= count; });
}

bool RawServer::send(Poco::Net::StreamSocket& socket, std::string_view bytes) {
  try {
    while (!bytes.empty()) {
      const int sent = socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
}

bool RawServer::trickle(Poco::Net::StreamSocket& socket, std::string_view bytes,
                        std::chrono::milliseconds delay) const {
  for (const char byte : bytes) {
    if (stop_ || !send(socket, std::string_view(&byte, 1))) return false;
    std::unique_lock<std::mutex> lock(mutex_);
    if (changed_.wait_for(lock, delay, [this] { return stop_.load(); })) return false;
  }
  return true;
}

std::string RawServer::okResponse(const std::string& body, const std::string& extraHeaders) {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: Keep-Alive\r\n" +
         extraHeaders + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

bool RawServer::readRequest(Poco::Net::StreamSocket& socket) {
  std::string data;
  char buffer[4096];
  for (;;) {
    const std::size_t headerEnd = data.find("\r\n\r\n");
    if (headerEnd != std::string::npos) {
      const std::size_t lengthAt = data.find("Content-Length: ");
      const std::size_t length =
          lengthAt == std::string::npos ? 0 : std::stoul(data.substr(lengthAt + 16));
      if (data.size() >= headerEnd + 4 + length) return true;
    }
    int n = 0;
    try {
      n = socket.receiveBytes(buffer, sizeof buffer);
    } catch (const Poco::Exception&) {
      return false;
    }
    if (n <= 0) return false;
    data.append(buffer, static_cast<std::size_t>(n));
  }
}

void RawServer::serve() {
  while (!stop_) {
    Poco::Net::StreamSocket connection;
    try {
      // Blocks until a client connects or the destructor shuts the listener down.
      if (!socket_.poll(Poco::Timespan(10, 0), Poco::Net::Socket::SELECT_READ)) continue;
      std::lock_guard<std::mutex> lock(mutex_);
      if (stop_) break;
      connection = socket_.acceptConnection();
      current_ = connection;
    } catch (const Poco::Exception&) {
      continue;
    }
    const int number = ++connections_;
    connection.setReceiveTimeout(Poco::Timespan(2, 0));
    bool keep = true;
    while (keep && !stop_ && readRequest(connection)) {
      keep = behavior_(*this, connection, number, ++requests_);
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      connection.close();
      current_ = Poco::Net::StreamSocket();
      ++closed_;
    }
    changed_.notify_all();
  }
}

}  // namespace agent::bitrouter::test
