// TerminalInput: what `agent-host chat` reads: lines from a file descriptor, and Ctrl-C.
//
// Ctrl-C (SIGINT) is caught for as long as the object lives. While the agent answers, Ctrl-C
// calls the interrupt handler (from a watcher thread) to cancel that answer; at the prompt it
// ends next() with Event::Interrupt, so the caller can leave cleanly instead of being killed.
// While a question is put in the middle of an answer (may this tool run?), Ctrl-C does both:
// it cancels the answer and ends the wait for the reply to the question.
#pragma once

#include <functional>
#include <mutex>
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

  /// Waits for the next byte, for a line editor that reads the bytes itself: Event::Line means
  /// `byte` holds one.
  Event nextByte(char& byte);

  /// Marks the time a question is asked during an answer (see above).
  void setAsking(bool asking);

 private:
  void watch();
  Event fill();  // waits until buffer_ has more bytes (Line), or the input ends, or Ctrl-C

  int fd_;
  std::function<bool()> onInterrupt_;
  std::string buffer_;
  std::size_t taken_ = 0;  // bytes of buffer_ nextByte() has handed out
  bool ended_ = false;
  int wakePipe_[2] = {-1, -1};  // watcher -> next(): a Ctrl-C at the prompt
  std::mutex askingMutex_;      // a wake byte is written and drained under it
  bool asking_ = false;
  std::thread watcher_;
};

}  // namespace agent::host::cli
