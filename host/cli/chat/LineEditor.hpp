// LineEditor: the person's turns at a terminal, read with libedit.
//
// Arrow keys and the usual Emacs keys edit the line; Up and Down walk through earlier lines, kept
// in a history file when one is given. Bracketed paste is on while the prompt waits, so a pasted
// block arrives whole and is never cut by the terminal's line buffer: a paste of several lines
// is one turn (after whatever was typed before it), indentation included; a short one-line paste
// lands in the line being edited. A line ending in a backslash goes on on the next line.
//
// libedit reads its bytes through TerminalInput, so Ctrl-C at the prompt ends the read the way it
// ends the plain reader's. Between two reads (while a reply prints) the terminal does not echo:
// what the person types ahead is shown once, by libedit at the next prompt, not also in the
// middle of the reply.
#pragma once

#include <termios.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "chat/TerminalInput.hpp"

struct editline;
struct history;

namespace agent::host::cli {

class LineEditor {
 public:
  /// `in` and `out` are the terminal (stdin and stdout); `historyFile`, when set, is read now
  /// and rewritten after each line typed.
  LineEditor(TerminalInput& input, std::FILE* in, std::FILE* out,
             std::optional<std::filesystem::path> historyFile, std::FILE* errors);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  /// Reads one turn after the prompt "you> ": a line, lines joined by trailing backslashes, or
  /// a pasted block.
  TerminalInput::Event readTurn(std::string& turn);

  /// Reads the answer to a question (kept out of the history; pastes are plain text here).
  TerminalInput::Event readAnswer(const std::string& question, std::string& answer);

  /// Where the history is kept: $XDG_STATE_HOME/agent-host/chat_history, else
  /// $HOME/.local/state/agent-host/chat_history; nullopt when neither variable is set.
  static std::optional<std::filesystem::path> defaultHistoryFile();

  /// Makes the C library read and write UTF-8 (libedit works in wide characters). Call before
  /// other threads start: setlocale is not thread-safe.
  static void useUtf8Locale();

 private:
  static const char* prompt(editline* editor);
  static int readCharacter(editline* editor, wchar_t* character);
  int nextCharacter(wchar_t& character);
  TerminalInput::Event takeByte(char& byte);
  bool readPaste();
  TerminalInput::Event readLine(std::string& line);
  void remember(const std::string& line);
  /// Echo off until the next read, keeping typed-ahead keys for it; and back on.
  void holdTypeahead();
  void releaseTypeahead();

  TerminalInput& input_;
  const int inFd_;
  std::FILE* out_;
  std::FILE* errors_;
  std::optional<termios> echoing_;  // the terminal's modes, while its echo is held off
  editline* editor_ = nullptr;
  struct history* history_ = nullptr;  // the tag: history() is also libedit's function
  std::optional<std::filesystem::path> historyFile_;
  bool historyWarned_ = false;
  std::string prompt_;
  std::string pending_;  // bytes read ahead, handed to libedit before new input
  std::size_t pendingTaken_ = 0;
  bool bracketedPaste_ = false;        // the terminal is asked to mark pastes
  bool pasteOn_ = false;               // bracketed paste recognised (at the turn prompt)
  std::optional<std::string> pasted_;  // a pasted block that ends the turn
  bool interrupted_ = false;
};

}  // namespace agent::host::cli
