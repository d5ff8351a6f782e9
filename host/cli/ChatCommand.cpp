#include "ChatCommand.hpp"

#include <unistd.h>

#include <iostream>

#include <CLI/CLI.hpp>

#include "McpCommand.hpp"
#include "MessagesJson.hpp"
#include "SharedOptions.hpp"
#include "ToolOptions.hpp"
#include "agent/host/ProvidedTools.hpp"
#include "chat/ChatSession.hpp"
#include "chat/TerminalInput.hpp"

namespace agent::host::cli {
namespace {

class ChatCommand final : public Command {
 public:
  CLI::App& define(CLI::App& app) override {
    CLI::App& command = *app.add_subcommand(
        "chat",
        "Holds a conversation: one user turn per line, replies streamed; /help lists commands");
    addModelTypeOption(command, options_.type);
    addProviderOption(command, options_.provider);
    addToolOptions(command, tools_);
    addNoMcpOption(command, noMcp_);
    command.add_option("--messages", messagesFile_, "A saved conversation to continue (JSON)")
        ->type_name("FILE");
    addIntegerOption(command, "--max-history-tokens", options_.maxHistoryTokens,
                     {0, std::numeric_limits<std::int32_t>::max()},
                     "Forget the oldest turns beyond this many tokens (0: keep all; default "
                     "8000)");
    return command;
  }

  int run(CommandContext& context) override;

 private:
  ChatOptions options_ = [] {
    ChatOptions defaults;
    defaults.maxHistoryTokens = 8000;
    return defaults;
  }();
  ToolOptions tools_;
  bool noMcp_ = false;
  std::string messagesFile_;
};

int ChatCommand::run(CommandContext& context) {
  if (!messagesFile_.empty()) {
    // Not "-": stdin carries the conversation itself.
    std::vector<ChatMessage> saved = readMessagesOption(messagesFile_, nullptr);
    // A saved system prompt replaces the character's; the rest is the history.
    if (!saved.empty() && saved.front().role == "system") {
      options_.systemPrompt = saved.front().content;
      saved.erase(saved.begin());
    }
    options_.history = std::move(saved);
  }
  auto host = makeHost(context, mcpOverrides(noMcp_));
  const Character& character = host->settings().character();
  if (messagesFile_.empty()) options_.systemPrompt = systemPrompt(character);
  if (!character.name.empty()) options_.agentName = character.name;
  options_.tools = makeTools(tools_, *host, /*unrunToolsAnswer=*/true);
  // The MCP tools as they are when the chat starts.
  if (auto provided = providedToolSource(*host)) {
    for (Tool& tool : provided())
      options_.tools.push_back(std::move(tool));
  }
  options_.maxSteps = tools_.maxSteps;
  options_.toolTimeout = std::chrono::milliseconds(tools_.toolTimeoutMs);

  // Prompts and names only for a person at a terminal; a script reads just the replies.
  const bool terminal = &context.in == &std::cin && ::isatty(STDIN_FILENO) != 0;
  options_.decorate = terminal;
  ChatSession session(host->runtime(), std::move(options_), context.out, context.err);
  if (terminal) {
    context.out << "Talking to " << (character.name.empty() ? "the agent" : character.name)
                << ". /help lists the commands; Ctrl-D leaves.\n";
  }

  const int fd = &context.in == &std::cin ? STDIN_FILENO : -1;
  if (fd < 0) {  // an in-memory stream (tests): plain lines, no Ctrl-C
    std::string line;
    while (std::getline(context.in, line)) {
      if (session.handle(line) == ChatSession::Next::Exit) break;
    }
    return kExitOk;
  }
  TerminalInput input(fd, [&session] { return session.cancelReply(); });
  std::string line;
  for (;;) {
    if (terminal) context.out << "you> " << std::flush;
    const TerminalInput::Event event = input.next(line);
    if (event != TerminalInput::Event::Line) {
      if (terminal) context.out << "\n";
      break;
    }
    if (session.handle(line) == ChatSession::Next::Exit) break;
  }
  return kExitOk;
}

}  // namespace

std::unique_ptr<Command> makeChatCommand() {
  return std::make_unique<ChatCommand>();
}

}  // namespace agent::host::cli
