#include "transport/Connection.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>

#include "agent/support/SigpipeBlock.hpp"
#include "transport/TlsContext.hpp"

namespace agent::bitrouter {
namespace {

using std::chrono::milliseconds;

// What is left until `until`, rounded up (0 once it has passed).
milliseconds left(Connection::Clock::time_point until) noexcept {
  const auto rest = until - Connection::Clock::now();
  if (rest <= Connection::Clock::duration::zero()) return milliseconds::zero();
  return std::chrono::ceil<milliseconds>(rest);
}

bool wouldBlock(int error) noexcept {
  return error == EAGAIN || error == EWOULDBLOCK;
}

}  // namespace

int Connection::descriptor() const noexcept {
  const Poco::Net::SocketImpl* impl = socket_.impl();
  return impl == nullptr ? -1 : static_cast<int>(impl->sockfd());
}

Connection::Status Connection::failWith(TransportError::Kind kind, std::string detail) {
  error_.kind = kind;
  error_.detail = std::move(detail);
  return Status::Failed;
}

Connection::Status Connection::fail(TransportError::Kind kind, int error) {
  return failWith(kind, std::strerror(error));
}

Connection::Status Connection::waitFor(short events, const Wait& wait) const {
  pollfd fds[2] = {{descriptor(), events, 0}, {wait.wake, POLLIN, 0}};
  const nfds_t count = wait.wake >= 0 ? 2 : 1;
  for (;;) {
    const milliseconds rest = left(wait.until);
    if (rest.count() == 0) return Status::TimedOut;
    const int timeout = static_cast<int>(std::min<milliseconds::rep>(rest.count(), 1'000'000));
    const int ready = ::poll(fds, count, timeout);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return Status::Failed;
    }
    if (count == 2 && fds[1].revents != 0) return Status::Woken;
    if (fds[0].revents != 0) return Status::Done;
  }
}

Connection::Status Connection::connect(const BaseUrl& url, milliseconds connectLimit,
                                       const Wait& wait) {
  close();
  Poco::Net::SocketAddress address;
  try {
    address = Poco::Net::SocketAddress(url.host, url.port);
  } catch (const Poco::Exception& error) {
    return failWith(TransportError::Kind::Unresolved, error.displayText());
  }
  try {
    socket_ = Poco::Net::StreamSocket();
    socket_.connectNB(address);  // non-blocking: the wait below is ours
  } catch (const Poco::Net::ConnectionRefusedException& error) {
    close();
    return failWith(TransportError::Kind::Refused, error.displayText());
  } catch (const Poco::Exception& error) {
    close();
    return failWith(TransportError::Kind::SendFailed, error.displayText());
  }
  Wait connecting = wait;
  connecting.until = std::min(wait.until, Clock::now() + connectLimit);
  const Status status = waitFor(POLLOUT, connecting);
  if (status != Status::Done) {
    close();
    if (status == Status::TimedOut) return failWith(TransportError::Kind::ConnectTimeout, "");
    if (status == Status::Failed) return fail(TransportError::Kind::SendFailed, errno);
    return status;
  }
  int problem = 0;
  socklen_t length = sizeof problem;
  if (::getsockopt(descriptor(), SOL_SOCKET, SO_ERROR, &problem, &length) != 0) problem = errno;
  if (problem != 0) {
    close();
    return fail(
        problem == ECONNREFUSED ? TransportError::Kind::Refused : TransportError::Kind::SendFailed,
        problem);
  }
  try {
    socket_.setBlocking(true);
    socket_.setNoDelay(true);
  } catch (const Poco::Exception& error) {
    close();
    return failWith(TransportError::Kind::SendFailed, error.displayText());
  }
  timeouts_.forget();
  open_ = true;
  tls_ = false;
  return Status::Done;
}

Connection::Status Connection::startTls(const TlsContext& tls, const std::string& host,
                                        milliseconds limit) {
  const SigpipeBlock noSigpipe;  // the handshake writes too
  try {
    timeouts_.applySend(socket_, limit);
    timeouts_.applyReceive(socket_, limit);
    socket_ = Poco::Net::SecureStreamSocket::attach(socket_, host, tls.context());
    tls_ = true;
    return Status::Done;
  } catch (const Poco::TimeoutException&) {
    close();
    return failWith(TransportError::Kind::ConnectTimeout, "");
  } catch (const Poco::Net::SSLException& error) {
    const std::string text = error.displayText();
    const bool certificate =
        dynamic_cast<const Poco::Net::CertificateValidationException*>(&error) != nullptr ||
        dynamic_cast<const Poco::Net::InvalidCertificateException*>(&error) != nullptr ||
        text.find("certificate") != std::string::npos;
    close();
    return failWith(certificate ? TransportError::Kind::Certificate : TransportError::Kind::Tls,
                    text);
  } catch (const Poco::Exception& error) {
    close();
    return failWith(TransportError::Kind::SendFailed, error.displayText());
  }
}

Connection::Status Connection::send(std::string_view head, std::string_view body,
                                    const Wait& wait) {
  if (tls_) {
    const SigpipeBlock noSigpipe;
    try {
      for (std::string_view part : {head, body}) {
        while (!part.empty()) {
          const milliseconds rest = left(wait.until);
          if (rest.count() == 0) return Status::TimedOut;
          timeouts_.applySend(socket_, rest);
          const int sent = socket_.sendBytes(part.data(), static_cast<int>(part.size()));
          if (sent <= 0) return failWith(TransportError::Kind::SendFailed, "the write failed");
          part.remove_prefix(static_cast<std::size_t>(sent));
        }
      }
      return Status::Done;
    } catch (const Poco::TimeoutException&) {
      return Status::TimedOut;
    } catch (const Poco::Exception& error) {
      return failWith(TransportError::Kind::SendFailed, error.displayText());
    }
  }
  iovec parts[2] = {{const_cast<char*>(head.data()), head.size()},
                    {const_cast<char*>(body.data()), body.size()}};
  iovec* next = parts;
  int count = body.empty() ? 1 : 2;
  const bool cancellable = wait.wake >= 0;
  while (count > 0) {
    if (!cancellable) {
      const milliseconds rest = left(wait.until);
      if (rest.count() == 0) return Status::TimedOut;
      try {
        timeouts_.applySend(socket_, rest);
      } catch (const Poco::Exception& error) {
        return failWith(TransportError::Kind::SendFailed, error.displayText());
      }
    }
    msghdr message{};
    message.msg_iov = next;
    message.msg_iovlen = static_cast<std::size_t>(count);
    const ssize_t sent =
        ::sendmsg(descriptor(), &message, MSG_NOSIGNAL | (cancellable ? MSG_DONTWAIT : 0));
    if (sent < 0) {
      const int error = errno;
      if (error == EINTR) continue;
      if (!wouldBlock(error)) return fail(TransportError::Kind::SendFailed, error);
      if (!cancellable) return Status::TimedOut;  // the send timeout passed
      const Status status = waitFor(POLLOUT, wait);
      if (status == Status::Failed) return fail(TransportError::Kind::SendFailed, errno);
      if (status != Status::Done) return status;
      continue;
    }
    auto done = static_cast<std::size_t>(sent);
    while (count > 0 && done >= next->iov_len) {
      done -= next->iov_len;
      ++next;
      --count;
    }
    if (count > 0) {
      next->iov_base = static_cast<char*>(next->iov_base) + done;
      next->iov_len -= done;
    }
  }
  return Status::Done;
}

Connection::Status Connection::receive(char* buffer, std::size_t capacity, std::size_t& received,
                                       const Wait& wait, bool pollFirst) {
  received = 0;
  const bool cancellable = wait.wake >= 0;
  if (tls_) {
    try {
      if (cancellable && socket_.available() <= 0) {
        const Status status = waitFor(POLLIN, wait);
        if (status == Status::Failed) return fail(TransportError::Kind::ReceiveFailed, errno);
        if (status != Status::Done) return status;
      }
      const milliseconds rest = left(wait.until);
      if (rest.count() == 0) return Status::TimedOut;
      const SigpipeBlock noSigpipe;  // OpenSSL may write while it reads (alerts, key updates)
      timeouts_.applyReceive(socket_, rest);
      const int got = socket_.receiveBytes(buffer, static_cast<int>(capacity));
      if (got < 0) return failWith(TransportError::Kind::ReceiveFailed, "the read failed");
      received = static_cast<std::size_t>(got);
      return Status::Done;
    } catch (const Poco::TimeoutException&) {
      return Status::TimedOut;
    } catch (const Poco::Exception& error) {
      return failWith(TransportError::Kind::ReceiveFailed, error.displayText());
    }
  }
  bool poll = cancellable && pollFirst;
  for (;;) {
    if (poll) {
      const Status status = waitFor(POLLIN, wait);
      if (status == Status::Failed) return fail(TransportError::Kind::ReceiveFailed, errno);
      if (status != Status::Done) return status;
    } else if (!cancellable) {
      const milliseconds rest = left(wait.until);
      if (rest.count() == 0) return Status::TimedOut;
      try {
        timeouts_.applyReceive(socket_, rest);
      } catch (const Poco::Exception& error) {
        return failWith(TransportError::Kind::ReceiveFailed, error.displayText());
      }
    }
    const ssize_t got = ::recv(descriptor(), buffer, capacity, cancellable ? MSG_DONTWAIT : 0);
    if (got >= 0) {
      received = static_cast<std::size_t>(got);
      return Status::Done;
    }
    const int error = errno;
    if (error == EINTR) continue;
    if (!wouldBlock(error)) return fail(TransportError::Kind::ReceiveFailed, error);
    if (!cancellable) {
      // The receive timeout passed: either the wait is over, or it was set a little long ago.
      if (left(wait.until).count() == 0) return Status::TimedOut;
      continue;
    }
    poll = true;
  }
}

bool Connection::looksAlive() const noexcept {
  if (!open_) return false;
  if (tls_) return true;  // post-handshake records make an idle TLS socket readable
  char byte = 0;
  const ssize_t peeked = ::recv(descriptor(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return peeked < 0 && wouldBlock(errno);
}

void Connection::close() noexcept {
  if (descriptor() >= 0) {
    try {
      if (tls_) {
        const SigpipeBlock noSigpipe;  // TLS sends close_notify
        timeouts_.applySend(socket_, milliseconds(100));
        socket_.close();
      } else {
        socket_.close();
      }
    } catch (...) {
    }
  }
  socket_ = Poco::Net::StreamSocket();
  timeouts_.forget();
  open_ = false;
  tls_ = false;
}

}  // namespace agent::bitrouter
