#include "chat/LineEditor.hpp"

#include <fcntl.h>
#include <histedit.h>
#include <langinfo.h>
#include <sys/stat.h>
#include <unistd.h>

#include <clocale>
#include <cstdlib>
#include <cstring>
#include <system_error>

#include "SignalExit.hpp"

namespace agent::host::cli {
namespace {

constexpr char kEscape = '\x1b';
constexpr std::string_view kPasteStart = "[200~";  // after ESC
constexpr std::string_view kPasteEnd = "\x1b[201~";
constexpr std::size_t kInlinePasteBytes = 1024;  // a one-line paste up to this joins the line
constexpr int kHistorySize = 1000;
constexpr wchar_t kReplacement = 0xFFFD;

// Pasted line ends may be CR (the terminal sends what Enter sends) or CRLF: they become LF.
std::string withUnixLineEnds(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::size_t countLines(const std::string& text) {
  std::size_t lines = 1;
  for (char c : text)
    lines += c == '\n' ? 1 : 0;
  return !text.empty() && text.back() == '\n' ? lines - 1 : lines;
}

// The history may hold secrets the person typed: only they may read it.
bool prepareHistoryFile(const std::filesystem::path& file, std::string& problem) {
  std::error_code ec;
  const auto directory = file.parent_path();
  if (!std::filesystem::is_directory(directory, ec)) {
    std::filesystem::create_directories(directory, ec);
    if (ec) {
      problem = "cannot create " + directory.string() + ": " + ec.message();
      return false;
    }
    std::filesystem::permissions(directory, std::filesystem::perms::owner_all, ec);
  }
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    problem = "cannot write " + file.string() + ": " + std::strerror(errno);
    return false;
  }
  ::fchmod(fd, 0600);
  ::close(fd);
  return true;
}

}  // namespace

LineEditor::LineEditor(TerminalInput& input, std::FILE* in, std::FILE* out,
                       std::optional<std::filesystem::path> historyFile, std::FILE* errors)
    : input_(input),
      inFd_(::fileno(in)),
      out_(out),
      errors_(errors),
      historyFile_(std::move(historyFile)) {
  // A terminal that cannot move its cursor would print the switch as text (Emacs' shell).
  const char* term = std::getenv("TERM");
  bracketedPaste_ = term != nullptr && *term != '\0' && std::strcmp(term, "dumb") != 0;
  editor_ = el_init("agent-host", in, out, errors);
  history_ = history_init();
  HistEvent event;
  history(history_, &event, H_SETSIZE, kHistorySize);
  history(history_, &event, H_SETUNIQUE, 1);
  if (historyFile_) history(history_, &event, H_LOAD, historyFile_->c_str());
  el_set(editor_, EL_CLIENTDATA, this);
  el_set(editor_, EL_EDITOR, "emacs");
  el_set(editor_, EL_PROMPT, &LineEditor::prompt);
  el_set(editor_, EL_HIST, history, history_);
  el_set(editor_, EL_GETCFN, &LineEditor::readCharacter);
  el_source(editor_, nullptr);  // the person's ~/.editrc (vi mode, bindings)
}

LineEditor::~LineEditor() {
  releaseTypeahead();
  if (editor_) el_end(editor_);
  if (history_) history_end(history_);
}

std::optional<std::filesystem::path> LineEditor::defaultHistoryFile() {
  std::filesystem::path state;
  if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg == '/') {
    state = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home != '\0') {
    state = std::filesystem::path(home) / ".local" / "state";
  } else {
    return std::nullopt;
  }
  return state / "agent-host" / "chat_history";
}

void LineEditor::useUtf8Locale() {
  std::setlocale(LC_CTYPE, "");
  if (std::strcmp(nl_langinfo(CODESET), "UTF-8") != 0) std::setlocale(LC_CTYPE, "C.UTF-8");
}

const char* LineEditor::prompt(editline* editor) {
  void* self = nullptr;
  el_get(editor, EL_CLIENTDATA, &self);
  return static_cast<LineEditor*>(self)->prompt_.c_str();
}

int LineEditor::readCharacter(editline* editor, wchar_t* character) {
  void* self = nullptr;
  el_get(editor, EL_CLIENTDATA, &self);
  return static_cast<LineEditor*>(self)->nextCharacter(*character);
}

TerminalInput::Event LineEditor::takeByte(char& byte) {
  if (pendingTaken_ < pending_.size()) {
    byte = pending_[pendingTaken_++];
    return TerminalInput::Event::Line;
  }
  pending_.clear();
  pendingTaken_ = 0;
  return input_.nextByte(byte);
}

// libedit's read function: one character, 1; end of input, 0; Ctrl-C, -1 (libedit then returns
// from el_gets, and readLine reports the interrupt).
int LineEditor::nextCharacter(wchar_t& character) {
  for (;;) {
    char byte = 0;
    TerminalInput::Event event = takeByte(byte);
    if (event == TerminalInput::Event::Interrupt) {
      interrupted_ = true;
      return -1;
    }
    if (event == TerminalInput::Event::EndOfInput) return 0;

    if (byte == kEscape && pasteOn_ && pendingTaken_ >= pending_.size()) {
      std::string seen;
      while (seen.size() < kPasteStart.size()) {
        char next = 0;
        event = input_.nextByte(next);
        if (event == TerminalInput::Event::Interrupt) {
          interrupted_ = true;
          return -1;
        }
        if (event != TerminalInput::Event::Line) break;
        seen += next;
        if (next != kPasteStart[seen.size() - 1]) break;
      }
      if (seen == kPasteStart) {
        if (!readPaste()) continue;  // a short one-line paste: now in pending_, as if typed
        if (interrupted_) return -1;
        character = L'\n';  // ends the line: readLine picks the paste up
        return 1;
      }
      pending_ = seen;  // another escape sequence (an arrow key): libedit reads it
      pendingTaken_ = 0;
    }

    // UTF-8 to a wide character; a malformed sequence reads as U+FFFD.
    const auto lead = static_cast<unsigned char>(byte);
    int length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
    if (length == 0) {
      character = kReplacement;
      return 1;
    }
    wchar_t value = length == 1 ? lead : lead & (0xFF >> (length + 1));
    for (int i = 1; i < length; ++i) {
      char next = 0;
      event = takeByte(next);
      if (event != TerminalInput::Event::Line) {
        character = kReplacement;
        return 1;
      }
      if ((static_cast<unsigned char>(next) & 0xC0) != 0x80) {
        pending_.insert(pendingTaken_, 1, next);  // not a continuation: read it again
        character = kReplacement;
        return 1;
      }
      value = (value << 6) | (static_cast<unsigned char>(next) & 0x3F);
    }
    character = value;
    return 1;
  }
}

// Reads a pasted block up to its end marker. Returns true when it ends the turn (pasted_ set),
// false when it is short and on one line and was queued to be edited as if typed.
bool LineEditor::readPaste() {
  std::string paste;
  for (;;) {
    char byte = 0;
    const TerminalInput::Event event = input_.nextByte(byte);
    if (event == TerminalInput::Event::Interrupt) {
      interrupted_ = true;
      return true;
    }
    if (event != TerminalInput::Event::Line) break;  // the input ended: keep what came
    paste += byte;
    if (byte == '~' && paste.size() >= kPasteEnd.size() &&
        paste.compare(paste.size() - kPasteEnd.size(), kPasteEnd.size(), kPasteEnd) == 0) {
      paste.resize(paste.size() - kPasteEnd.size());
      break;
    }
  }
  paste = withUnixLineEnds(paste);
  std::string oneLine = paste;
  if (!oneLine.empty() && oneLine.back() == '\n') oneLine.pop_back();
  if (oneLine.find('\n') == std::string::npos && oneLine.size() <= kInlinePasteBytes) {
    pending_.insert(pendingTaken_, oneLine);
    return false;
  }
  pasted_ = std::move(paste);
  return true;
}

void LineEditor::holdTypeahead() {
  termios modes{};
  if (::tcgetattr(inFd_, &modes) != 0 || (modes.c_lflag & ECHO) == 0) return;
  echoing_ = modes;
  restoreTerminalOnSignals(inFd_, modes);
  modes.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHONL);
  // TCSANOW, not TCSAFLUSH: the keys typed ahead are kept for the next read.
  ::tcsetattr(inFd_, TCSANOW, &modes);
}

void LineEditor::releaseTypeahead() {
  if (!echoing_) return;
  ::tcsetattr(inFd_, TCSANOW, &*echoing_);
  forgetTerminalOnSignals();
  echoing_.reset();
}

TerminalInput::Event LineEditor::readLine(std::string& line) {
  interrupted_ = false;
  pasted_.reset();
  // libedit takes the terminal's modes as it finds them for the ones to return to: echo first.
  releaseTypeahead();
  // Raw mode before the prompt shows: libedit would switch after drawing it, and a key pressed
  // in between would meet the cooked terminal (a Ctrl-D there is lost).
  el_set(editor_, EL_PREP_TERM, 1);
  const bool bracketed = pasteOn_ && bracketedPaste_;
  if (bracketed) std::fputs("\x1b[?2004h", out_);  // bracketed paste on
  int count = 0;
  const char* text = el_gets(editor_, &count);
  if (bracketed) std::fputs("\x1b[?2004l", out_);
  std::fflush(out_);
  holdTypeahead();
  if (interrupted_) return TerminalInput::Event::Interrupt;
  if (text == nullptr || count <= 0) return TerminalInput::Event::EndOfInput;
  line.assign(text, static_cast<std::size_t>(count));
  if (!line.empty() && line.back() == '\n') line.pop_back();
  return TerminalInput::Event::Line;
}

TerminalInput::Event LineEditor::readTurn(std::string& turn) {
  turn.clear();
  prompt_ = "you> ";
  pasteOn_ = true;
  for (;;) {
    std::string line;
    const TerminalInput::Event event = readLine(line);
    if (event != TerminalInput::Event::Line) return event;
    if (pasted_) {
      turn += line;
      turn += *pasted_;
      while (!turn.empty() && turn.back() == '\n')
        turn.pop_back();
      std::fprintf(out_, "(pasted %zu lines, %zu bytes)\n", countLines(*pasted_), pasted_->size());
      std::fflush(out_);
      pasted_.reset();
      return TerminalInput::Event::Line;
    }
    remember(line);
    if (!line.empty() && line.back() == '\\') {
      line.pop_back();
      turn += line;
      turn += '\n';
      prompt_ = "...> ";
      continue;
    }
    turn += line;
    return TerminalInput::Event::Line;
  }
}

TerminalInput::Event LineEditor::readAnswer(const std::string& question, std::string& answer) {
  prompt_ = question;
  pasteOn_ = false;
  return readLine(answer);
}

void LineEditor::remember(const std::string& line) {
  if (line.find_first_not_of(" \t") == std::string::npos) return;
  HistEvent event;
  history(history_, &event, H_ENTER, line.c_str());
  if (!historyFile_) return;
  std::string problem;
  if (prepareHistoryFile(*historyFile_, problem) &&
      history(history_, &event, H_SAVE, historyFile_->c_str()) >= 0) {
    return;
  }
  if (problem.empty()) problem = "cannot write " + historyFile_->string();
  if (!historyWarned_) {
    std::fprintf(errors_,
                 "agent-host: %s; the chat history is not kept (AGENT_CHAT_HISTORY=off "
                 "stops trying)\n",
                 problem.c_str());
  }
  historyWarned_ = true;
}

}  // namespace agent::host::cli
