#include "transport/StdioTransport.hpp"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "agent/support/SigpipeBlock.hpp"
#include "agent/support/Text.hpp"

namespace agent::mcp {
namespace {

// A line longer than this is not a message we can hold: it is dropped with a warning.
constexpr std::size_t kMaxLineBytes = 64u << 20;
constexpr std::chrono::milliseconds kStopGrace{1000};

}  // namespace

StdioTransport::StdioTransport(const HostServices& host, ProcessSpec spec)
    : host_(host), spec_(std::move(spec)) {}

StdioTransport::~StdioTransport() {
  close();
}

Expected<Done, std::string> StdioTransport::open(TransportHandlers handlers) {
  handlers_ = std::move(handlers);
  auto started = host_.startProcess(spec_);
  if (!started) return started.error();
  {
    std::lock_guard lock(childMutex_);
    child_ = std::move(started).value();
  }
  reader_ = std::thread([this] { readLoop(); });
  return Done{};
}

std::shared_ptr<ChildProcess> StdioTransport::child() const {
  std::lock_guard lock(childMutex_);
  return child_;
}

Expected<Done, std::string> StdioTransport::send(std::string_view message) {
  std::lock_guard lock(writeMutex_);
  const std::shared_ptr<ChildProcess> server = child();
  const int fd = server ? server->stdinFd() : -1;
  if (fd < 0) return std::string("the server's stdin is closed");
  std::string line(message);
  line += '\n';
  SigpipeBlock block;
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return "cannot write to the server: " + std::string(std::strerror(errno));
    written += static_cast<std::size_t>(n);
  }
  return Done{};
}

std::string StdioTransport::recentLog() const {
  const std::shared_ptr<ChildProcess> server = child();
  return server ? server->stderrTail(5) : std::string();
}

std::string StdioTransport::exitDescription() {
  // The reader saw EOF a moment before the process is reaped.
  const std::shared_ptr<ChildProcess> server = child();
  for (int i = 0; i < 50 && server; ++i) {
    if (auto exit = server->exitStatus()) return "the server exited (" + exit->describe() + ")";
    ::usleep(10000);
  }
  return "the server closed its stdout";
}

void StdioTransport::readLoop() {
  const int fd = child()->stdoutFd();
  std::string pending;
  char buffer[65536];
  bool skipping = false;  // inside a line too long to keep
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::size_t start = 0;
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
      if (buffer[i] != '\n') continue;
      if (!skipping) {
        pending.append(buffer + start, i - start);
        if (!pending.empty() && pending.back() == '\r') pending.pop_back();
        if (!text::isBlank(pending) && handlers_.onMessage) handlers_.onMessage(pending);
      }
      skipping = false;
      pending.clear();
      start = i + 1;
    }
    if (!skipping) pending.append(buffer + start, static_cast<std::size_t>(n) - start);
    if (pending.size() > kMaxLineBytes) {
      if (handlers_.onWarning)
        handlers_.onWarning("a line of more than " + std::to_string(kMaxLineBytes >> 20) +
                            " MiB on stdout was skipped");
      pending.clear();
      pending.shrink_to_fit();
      skipping = true;
    }
  }
  if (closing_) return;
  std::string why = exitDescription();
  if (const std::string log = recentLog(); !text::isBlank(log))
    why += "; its last lines: " + text::oneLine(log);
  if (handlers_.onClosed) handlers_.onClosed(why, false);
}

void StdioTransport::close() {
  std::lock_guard lock(closeMutex_);
  closing_ = true;
  if (const std::shared_ptr<ChildProcess> server = child()) server->stop(kStopGrace);
  if (reader_.joinable()) reader_.join();
}

}  // namespace agent::mcp
