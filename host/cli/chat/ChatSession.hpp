// ChatSession: one conversation with the agent, as `agent-host chat` holds it.
//
// It keeps the history as messages, sends it with each turn (under the token budget, the system
// prompt always first), streams the reply to the output, runs tools through the tool loop (asking
// the person first when it can), and understands the slash commands. It reads no input itself:
// the caller feeds it turns, so the same session serves a terminal, a pipe and the tests.
//
// Only replies go to `out` when the session is not decorated (a pipe): everything else (tool
// lines, notes, command output) goes to `err`, so a script reads just the answers.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "agent/Cancellation.hpp"
#include "agent/GenerateTextParams.hpp"
#include "agent/ModelResult.hpp"
#include "agent/ModelType.hpp"
#include "agent/host/Tool.hpp"
#include "agent/host/ToolLoop.hpp"

namespace agent::host {
class AgentRuntime;
}

namespace agent::host::cli {

struct ChatOptions {
  ModelType type = ModelType::TextSmall;
  std::optional<std::string> provider;
  std::optional<std::string> modelName;  // a model id instead of the one configured for the type
  std::string systemPrompt;
  std::string agentName = "agent";
  std::vector<Tool> tools;  // a tool without a function is offered but cannot run
  /// Tools asked for again before each model call (the MCP servers', whose lists change), as
  /// ToolLoopOptions::moreTools; unset: none.
  std::function<std::vector<Tool>()> moreTools;
  int maxSteps = 8;
  std::chrono::milliseconds toolTimeout{30000};
  std::size_t maxHistoryTokens = 0;  // 0: no limit
  bool decorate = true;              // prompts, names and notes on `out`: a person, not a pipe
  bool outIsTerminal = false;        // control characters in model and tool text shown on `out`
  bool errIsTerminal = false;        // ... and on `err`
  std::vector<ChatMessage> history;  // a conversation to continue (e.g. from --messages)
  /// Puts a question to the person and returns the answer, or nullopt when there is none (input
  /// ended, Ctrl-C). Set: each call of a tool that is not read-only waits for a yes. Unset (a
  /// pipe, --yes): tools run without asking.
  std::function<std::optional<std::string>(const std::string& question)> ask;
  /// Why `/provider NAME` cannot use a provider; empty when it can. Unset: every name is taken.
  std::function<std::string(std::string_view name)> providerProblem;
};

class ChatSession {
 public:
  ChatSession(const AgentRuntime& runtime, ChatOptions options, std::ostream& out,
              std::ostream& err);

  enum class Next { Continue, Exit };

  /// Handles one input turn: a /command or a user turn (which runs to the end of the reply).
  Next handle(std::string_view turn);

  /// Cancels the reply in progress, if any (safe from another thread). Returns whether one was.
  bool cancelReply() noexcept;

  /// Counts the tokens of one model call into the current turn and the conversation (fed from
  /// MODEL_USED events, so every step of a tool loop counts).
  void recordUsage(const TokenUsage& usage);
  /// Waits until every MODEL_USED emitted so far has reached recordUsage (events are delivered
  /// off the calling thread); called before usage is shown or a turn's count starts over.
  void setUsageFlush(std::function<void()> flush) { usageFlush_ = std::move(flush); }

  /// The conversation without the system prompt.
  const std::vector<ChatMessage>& history() const noexcept { return history_; }
  const std::string& systemPrompt() const noexcept { return options_.systemPrompt; }

 private:
  struct Usage {
    TokenUsage tokens;
    int calls = 0;
  };
  struct Streamed;

  Next command(std::string_view line);
  void reply(std::string_view userText);
  GenerateTextParams turnParams(const std::shared_ptr<CancellationToken>& cancellation,
                                Streamed& streamed);
  ToolLoopOptions loopOptions(Streamed& streamed);
  /// The tools offered now: the session's own, then those moreTools lends under other names.
  std::vector<Tool> currentTools() const;
  ToolApproval approve(const ToolCall& call, const Tool& tool);
  void showModel();
  void showUsage();
  void showTools();
  void saveTo(std::string_view file);

  /// Where notes go: `out` for a person, `err` through a pipe.
  std::ostream& notes() const { return options_.decorate ? out_ : err_; }
  /// Model or tool text, with control characters shown when `stream` is a terminal.
  std::string forDisplay(std::ostream& stream, std::string_view text) const;

  const AgentRuntime& runtime_;
  ChatOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  std::vector<ChatMessage> history_;
  bool showReasoning_ = false;
  std::set<std::string> alwaysRun_;  // tools the person allowed for the whole session
  std::string lastProvider_;         // who served the last reply, and with which model
  std::string lastModel_;

  std::mutex usageMutex_;
  Usage turnUsage_;
  Usage conversationUsage_;

  std::mutex replyMutex_;
  std::shared_ptr<CancellationToken> replyCancellation_;  // set while a reply runs
  std::function<void()> usageFlush_;
};

}  // namespace agent::host::cli
