#include "process/StderrTail.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>

namespace agent::host::process {

StderrTail::StderrTail(int fd, std::size_t capacity) : fd_(fd), capacity_(capacity) {
  if (::pipe2(stopPipe_, O_CLOEXEC) != 0) {
    stopPipe_[0] = stopPipe_[1] = -1;
  }
  reader_ = std::thread([this] { read(); });
}

StderrTail::~StderrTail() {
  if (stopPipe_[1] >= 0) {
    const char byte = 's';
    [[maybe_unused]] const auto written = ::write(stopPipe_[1], &byte, 1);
  }
  reader_.join();
  for (const int fd : {fd_, stopPipe_[0], stopPipe_[1]}) {
    if (fd >= 0) ::close(fd);
  }
}

void StderrTail::read() {
  readUntilClosed();
  {
    MutexLock lock(mutex_);
    ended_ = true;
  }
  endedChanged_.notify_all();
}

bool StderrTail::awaitEnd(std::chrono::milliseconds limit) {
  std::unique_lock lock(mutex_.native());
  return endedChanged_.wait_for(lock, limit, [this] { return ended_.load(); });
}

void StderrTail::readUntilClosed() {
  std::array<char, 16384> chunk{};
  for (;;) {
    std::array<pollfd, 2> fds{pollfd{fd_, POLLIN, 0}, pollfd{stopPipe_[0], POLLIN, 0}};
    const nfds_t count = stopPipe_[0] >= 0 ? 2 : 1;
    if (::poll(fds.data(), count, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (count == 2 && fds[1].revents != 0) return;
    if (fds[0].revents == 0) continue;
    const ssize_t n = ::read(fd_, chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // every writer closed it
    MutexLock lock(mutex_);
    total_ += static_cast<std::size_t>(n);
    tail_.append(chunk.data(), static_cast<std::size_t>(n));
    // Trim when twice the capacity is held, so the copy happens once per `capacity` bytes.
    if (tail_.size() > 2 * capacity_) tail_.erase(0, tail_.size() - capacity_);
  }
}

std::string StderrTail::lastLines(std::size_t maxLines) const {
  std::string tail;
  {
    MutexLock lock(mutex_);
    tail = tail_.size() > capacity_ ? tail_.substr(tail_.size() - capacity_) : tail_;
  }
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r'))
    tail.pop_back();
  if (maxLines == 0) return {};
  std::size_t start = tail.size();
  std::size_t lines = 0;
  while (start > 0) {
    const auto newline = tail.rfind('\n', start - 1);
    if (newline == std::string::npos) {
      start = 0;
    } else if (++lines == maxLines) {
      start = newline + 1;
    } else {
      start = newline;
      continue;
    }
    break;
  }
  return tail.substr(start);
}

std::size_t StderrTail::totalBytes() const {
  MutexLock lock(mutex_);
  return total_;
}

}  // namespace agent::host::process
