// ChatSession: one conversation with the agent, as `agent-host chat` holds it.
//
// It keeps the history as messages, sends it with each turn (under the token budget, the system
// prompt always first), streams the reply to the output, runs tools through the tool loop, and
// understands the slash commands. It reads no input itself: the caller feeds it lines, so the
// same session serves a terminal, a pipe and the tests.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/Cancellation.hpp"
#include "agent/GenerateTextParams.hpp"
#include "agent/ModelType.hpp"
#include "agent/host/Tool.hpp"

namespace agent::host {
class AgentRuntime;
}

namespace agent::host::cli {

struct ChatOptions {
  ModelType type = ModelType::TextSmall;
  std::optional<std::string> provider;
  std::string systemPrompt;
  std::string agentName = "agent";
  std::vector<Tool> tools;  // a tool without a function is offered but cannot run
  int maxSteps = 8;
  std::chrono::milliseconds toolTimeout{30000};
  std::size_t maxHistoryTokens = 0;  // 0: no limit
  bool decorate = true;              // prompts and names: a terminal, not a pipe
  std::vector<ChatMessage> history;  // a conversation to continue (e.g. from --messages)
};

class ChatSession {
 public:
  ChatSession(const AgentRuntime& runtime, ChatOptions options, std::ostream& out,
              std::ostream& err);

  enum class Next { Continue, Exit };

  /// Handles one input line: a /command or a user turn (which runs to the end of the reply).
  Next handle(std::string_view line);

  /// Cancels the reply in progress, if any (safe from another thread). Returns whether one was.
  bool cancelReply() noexcept;

  /// The conversation without the system prompt.
  const std::vector<ChatMessage>& history() const noexcept { return history_; }
  const std::string& systemPrompt() const noexcept { return options_.systemPrompt; }

 private:
  Next command(std::string_view line);
  void reply(std::string_view userText);
  GenerateTextParams turnParams(const std::shared_ptr<CancellationToken>& cancellation,
                                std::string& partial);

  const AgentRuntime& runtime_;
  ChatOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  std::vector<ChatMessage> history_;

  std::mutex replyMutex_;
  std::shared_ptr<CancellationToken> replyCancellation_;  // set while a reply runs
};

}  // namespace agent::host::cli
