#include "FloorConnection.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

namespace agent::bench {
namespace {

constexpr std::size_t kInitialBuffer = 16 * 1024;
constexpr int kIoTimeoutSeconds = 30;  // a stuck server ends the run instead of hanging it

bool startsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char a = text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] + 32) : text[i];
    if (a != prefix[i]) return false;
  }
  return true;
}

std::size_t parseNumber(std::string_view text, int base) {
  std::size_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value, base);
  return value;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

}  // namespace

FloorConnection::FloorConnection(const sockaddr_storage& address, socklen_t addressLength)
    : address_(address), addressLength_(addressLength), buffer_(kInitialBuffer) {}

FloorConnection::~FloorConnection() {
  close();
}

bool FloorConnection::connect(std::string& error) {
  fd_ = ::socket(address_.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    error = std::string("socket() failed: ") + std::strerror(errno);
    return false;
  }
  // The plugin's server side sets TCP_NODELAY too; one send() per request makes Nagle moot.
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const timeval timeout{kIoTimeoutSeconds, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address_), addressLength_) != 0) {
    error = std::string("connect() failed: ") + std::strerror(errno);
    close();
    return false;
  }
  exchanges_ = 0;
  begin_ = end_ = 0;
  return true;
}

void FloorConnection::close() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool FloorConnection::sendAll(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

FloorConnection::Read FloorConnection::fill() {
  if (end_ == buffer_.size()) {
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    } else {
      buffer_.resize(buffer_.size() * 2);
    }
  }
  for (;;) {
    const ssize_t got = ::recv(fd_, buffer_.data() + end_, buffer_.size() - end_, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return Read::Failed;
    if (got == 0) return Read::Closed;
    end_ += static_cast<std::size_t>(got);
    return Read::Ok;
  }
}

std::size_t FloorConnection::readUntil(std::string_view pattern, std::size_t from, Read& status) {
  for (;;) {
    const std::string_view have(buffer_.data() + begin_, end_ - begin_);
    const std::size_t found = have.find(pattern, std::min(from, have.size()));
    if (found != std::string_view::npos) return found;
    status = fill();
    if (status != Read::Ok) return std::string_view::npos;
  }
}

bool FloorConnection::readAtLeast(std::size_t bytes, Read& status) {
  if (begin_ + bytes > buffer_.size()) {
    // Make room for the whole piece: move what is unread to the front, grow when needed.
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    if (bytes > buffer_.size()) buffer_.resize(bytes);
  }
  while (end_ - begin_ < bytes) {
    status = fill();
    if (status != Read::Ok) return false;
  }
  return true;
}

FloorConnection::Read FloorConnection::readResponse(bool expectDone, std::string& error) {
  Read status = Read::Ok;
  const std::size_t headEnd = readUntil("\r\n\r\n", 0, status);
  if (headEnd == std::string_view::npos) {
    error = status == Read::Closed ? "the server closed the connection"
                                   : std::string("recv() failed: ") + std::strerror(errno);
    return status;
  }
  const std::string_view head(buffer_.data() + begin_, headEnd);
  if (head.size() < 12 || head.substr(0, 5) != "HTTP/") {
    error = "not an HTTP response";
    return Read::Failed;
  }
  const auto httpStatus = static_cast<int>(parseNumber(head.substr(9, 3), 10));
  std::size_t contentLength = 0;
  bool hasLength = false;
  bool chunked = false;
  bool closeAfter = false;
  for (std::size_t pos = head.find("\r\n"); pos != std::string_view::npos;) {
    const std::size_t next = head.find("\r\n", pos + 2);
    const std::string_view line = head.substr(
        pos + 2, next == std::string_view::npos ? std::string_view::npos : next - pos - 2);
    pos = next;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view value = trimmed(line.substr(colon + 1));
    if (startsWithIgnoreCase(line, "content-length:")) {
      contentLength = parseNumber(value, 10);
      hasLength = true;
    } else if (startsWithIgnoreCase(line, "transfer-encoding:")) {
      chunked = value.find("chunked") != std::string_view::npos;
    } else if (startsWithIgnoreCase(line, "connection:")) {
      closeAfter = startsWithIgnoreCase(value, "close");
    }
  }
  begin_ += headEnd + 4;

  bool sawDone = false;
  std::string_view firstBytes;  // the start of the body, for an error line
  if (chunked) {
    for (;;) {
      const std::size_t lineEnd = readUntil("\r\n", 0, status);
      if (lineEnd == std::string_view::npos) {
        error = "the chunked body ended early";
        return Read::Failed;
      }
      const std::size_t size = parseNumber(std::string_view(buffer_.data() + begin_, lineEnd), 16);
      begin_ += lineEnd + 2;
      if (size == 0) {
        // Trailers (none expected) up to the blank line that ends the message.
        for (;;) {
          const std::size_t end = readUntil("\r\n", 0, status);
          if (end == std::string_view::npos) {
            error = "the chunked body ended early";
            return Read::Failed;
          }
          begin_ += end + 2;
          if (end == 0) break;
        }
        break;
      }
      if (!readAtLeast(size + 2, status)) {
        error = "the chunked body ended early";
        return Read::Failed;
      }
      const std::string_view data(buffer_.data() + begin_, size);
      if (expectDone && !sawDone) sawDone = data.find("[DONE]") != std::string_view::npos;
      begin_ += size + 2;
    }
  } else if (hasLength) {
    if (!readAtLeast(contentLength, status)) {
      error = "the body ended early";
      return Read::Failed;
    }
    firstBytes =
        std::string_view(buffer_.data() + begin_, std::min<std::size_t>(contentLength, 200));
    if (httpStatus != 200) error.assign(firstBytes);
    begin_ += contentLength;
  } else {
    closeAfter = true;  // the body runs to the end of the connection
    while ((status = fill()) == Read::Ok) {
    }
    begin_ = end_;
  }
  if (begin_ == end_) begin_ = end_ = 0;
  if (closeAfter) close();

  if (httpStatus != 200) {
    error = "HTTP " + std::to_string(httpStatus) + (error.empty() ? "" : ": " + error);
    return Read::Failed;
  }
  if (expectDone && !sawDone) {
    error = "the stream ended without [DONE]";
    return Read::Failed;
  }
  return Read::Ok;
}

bool FloorConnection::exchange(std::string_view request, bool expectDone, std::string& error) {
  for (int attempt = 0;; ++attempt) {
    if (fd_ < 0 && !connect(error)) return false;
    const bool reused = exchanges_ > 0;
    const bool sent = sendAll(request);
    // A kept-alive connection closed by the server shows as a failed send or an empty read:
    // reopen once, as the plugin does.
    Read status = sent ? readResponse(expectDone, error) : Read::Closed;
    if (status == Read::Ok) {
      ++exchanges_;
      return true;
    }
    const bool stale = status == Read::Closed && reused && attempt == 0 && begin_ == end_;
    close();
    if (!stale) {
      if (error.empty()) error = std::string("send() failed: ") + std::strerror(errno);
      return false;
    }
    error.clear();
  }
}

}  // namespace agent::bench
