#include "chat/TerminalInput.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>

namespace agent::host::cli {
namespace {

// The signal handler can only write to a pipe; the watcher thread does the rest.
int gSignalPipe[2] = {-1, -1};
struct sigaction gPreviousAction {};

void onSigint(int) {
  const int saved = errno;
  const char byte = 'i';
  [[maybe_unused]] const auto written = ::write(gSignalPipe[1], &byte, 1);
  errno = saved;
}

constexpr char kStop = 's';  // written by the destructor to end the watcher

}  // namespace

TerminalInput::TerminalInput(int fd, std::function<bool()> onInterrupt)
    : fd_(fd), onInterrupt_(std::move(onInterrupt)) {
  if (::pipe2(gSignalPipe, O_CLOEXEC) != 0 || ::pipe2(wakePipe_, O_CLOEXEC) != 0) return;
  struct sigaction action {};
  action.sa_handler = onSigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &action, &gPreviousAction);
  watcher_ = std::thread([this] { watch(); });
}

TerminalInput::~TerminalInput() {
  ::sigaction(SIGINT, &gPreviousAction, nullptr);
  if (watcher_.joinable()) {
    const char byte = kStop;
    [[maybe_unused]] const auto written = ::write(gSignalPipe[1], &byte, 1);
    watcher_.join();
  }
  for (int* fd : {&gSignalPipe[0], &gSignalPipe[1], &wakePipe_[0], &wakePipe_[1]}) {
    if (*fd >= 0) ::close(*fd);
    *fd = -1;
  }
}

void TerminalInput::watch() {
  for (;;) {
    char byte = 0;
    const auto n = ::read(gSignalPipe[0], &byte, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || byte == kStop) return;
    const bool stopped = onInterrupt_ && onInterrupt_();
    std::lock_guard lock(askingMutex_);
    if (stopped && !asking_) continue;  // an answer was stopped; nobody waits for input
    [[maybe_unused]] const auto written = ::write(wakePipe_[1], &byte, 1);
  }
}

void TerminalInput::setAsking(bool asking) {
  std::lock_guard lock(askingMutex_);
  asking_ = asking;
  if (asking || wakePipe_[0] < 0) return;
  // A Ctrl-C that ended the question must not also end the next prompt.
  pollfd fd{wakePipe_[0], POLLIN, 0};
  while (::poll(&fd, 1, 0) > 0 && (fd.revents & POLLIN) != 0) {
    char byte = 0;
    if (::read(wakePipe_[0], &byte, 1) <= 0) break;
  }
}

TerminalInput::Event TerminalInput::next(std::string& line) {
  buffer_.erase(0, taken_);  // what nextByte() has read
  taken_ = 0;
  for (;;) {
    if (const auto newline = buffer_.find('\n'); newline != std::string::npos) {
      line.assign(buffer_, 0, newline);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      buffer_.erase(0, newline + 1);
      return Event::Line;
    }
    if (ended_) {
      if (buffer_.empty()) return Event::EndOfInput;
      line = std::move(buffer_);  // a last line without a newline
      buffer_.clear();
      return Event::Line;
    }
    if (fill() == Event::Interrupt) return Event::Interrupt;
  }
}

TerminalInput::Event TerminalInput::nextByte(char& byte) {
  while (taken_ == buffer_.size()) {
    buffer_.clear();
    taken_ = 0;
    if (ended_) return Event::EndOfInput;
    if (fill() == Event::Interrupt) return Event::Interrupt;
  }
  byte = buffer_[taken_++];
  return Event::Line;
}

TerminalInput::Event TerminalInput::fill() {
  for (;;) {
    std::array<pollfd, 2> fds{pollfd{fd_, POLLIN, 0}, pollfd{wakePipe_[0], POLLIN, 0}};
    const int count = wakePipe_[0] >= 0 ? 2 : 1;
    if (::poll(fds.data(), static_cast<nfds_t>(count), -1) < 0) {
      if (errno == EINTR) continue;
      ended_ = true;
      return Event::EndOfInput;
    }
    if (count == 2 && fds[1].revents != 0) {
      char byte = 0;
      [[maybe_unused]] const auto n = ::read(wakePipe_[0], &byte, 1);
      return Event::Interrupt;
    }
    if (fds[0].revents == 0) continue;
    std::array<char, 65536> chunk;
    const auto n = ::read(fd_, chunk.data(), chunk.size());
    if (n > 0) {
      buffer_.append(chunk.data(), static_cast<std::size_t>(n));
      return Event::Line;
    }
    if (n < 0 && errno == EINTR) continue;
    ended_ = true;
    return Event::EndOfInput;
  }
}

}  // namespace agent::host::cli
