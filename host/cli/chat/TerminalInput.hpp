// TerminalInput: what `agent-host chat` reads: lines from a file descriptor, and Ctrl-C.
//
// Ctrl-C (SIGINT) is caught for as long as the object lives. While the agent answers, Ctrl-C
// calls the interrupt handler (from a watcher thread) to cancel that answer; at the prompt it
// ends next() with Event::Interrupt, so the caller can leave cleanly instead of being killed.
#pragma once

#include <functional>
#include <string>
#include <thread>

namespace agent::host::cli {

class TerminalInput {
 public:
  /// `onInterrupt` runs on Ctrl-C; it returns true when it stopped something (an answer), false
  /// when there was nothing to stop, and then the Ctrl-C ends the wait at the prompt.
  TerminalInput(int fd, std::function<bool()> onInterrupt);
  ~TerminalInput();
  TerminalInput(const TerminalInput&) = delete;
  TerminalInput& operator=(const TerminalInput&) = delete;

  enum class Event { Line, EndOfInput, Interrupt };

  /// Waits for the next line (without its newline), the end of input, or Ctrl-C at the prompt.
  Event next(std::string& line);

 private:
  void watch();

  int fd_;
  std::function<bool()> onInterrupt_;
  std::string buffer_;
  bool ended_ = false;
  int wakePipe_[2] = {-1, -1};  // watcher -> next(): a Ctrl-C at the prompt
  std::thread watcher_;
};

}  // namespace agent::host::cli
