#include "ChatCommand.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <variant>

#include <CLI/CLI.hpp>

#include "McpCommand.hpp"
#include "MessagesJson.hpp"
#include "SharedOptions.hpp"
#include "ToolOptions.hpp"
#include "agent/host/ProvidedTools.hpp"
#include "chat/ChatSession.hpp"
#include "chat/LineEditor.hpp"
#include "chat/TerminalInput.hpp"

namespace agent::host::cli {
namespace {

constexpr const char* kHistorySetting = "AGENT_CHAT_HISTORY";

class ChatCommand final : public Command {
 public:
  CLI::App& define(CLI::App& app) override {
    CLI::App& command = *app.add_subcommand(
        "chat",
        "Holds a conversation: one user turn per line, replies streamed; /help lists commands");
    addModelTypeOption(command, options_.type);
    addProviderOption(command, options_.provider);
    command
        .add_option_function<std::string>(
            "--system", [this](const std::string& value) { system_ = value; },
            "System prompt (instead of the character's or the saved conversation's)")
        ->type_name("TEXT");
    command
        .add_option_function<std::string>(
            "--model-name", [this](const std::string& value) { options_.modelName = value; },
            "The model id to ask for, instead of the one configured for the model type")
        ->type_name("NAME");
    addToolOptions(command, tools_);
    command
        .add_flag("--yes", yes_,
                  "Run the tools the model calls without asking first (at a terminal, chat asks "
                  "before each call)")
        ->disable_flag_override();
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
  int readTurns(ChatSession& session, std::istream& in);
  int readTerminal(ChatSession& session, LineEditor& editor, std::ostream& out);

  ChatOptions options_ = [] {
    ChatOptions defaults;
    defaults.maxHistoryTokens = 8000;
    return defaults;
  }();
  ToolOptions tools_;
  std::optional<std::string> system_;
  bool noMcp_ = false;
  std::string messagesFile_;
  bool yes_ = false;
};

// The history file, unless AGENT_CHAT_HISTORY turns it off.
std::optional<std::filesystem::path> historyFile(const Settings& settings) {
  const auto keep = settings.getSwitch(kHistorySetting, true);
  if (!keep) throw UsageError(keep.error().message);
  if (!keep.value()) return std::nullopt;
  return LineEditor::defaultHistoryFile();
}

int ChatCommand::readTurns(ChatSession& session, std::istream& in) {
  std::string line;
  while (std::getline(in, line)) {
    if (session.handle(line) == ChatSession::Next::Exit) break;
  }
  return kExitOk;
}

int ChatCommand::readTerminal(ChatSession& session, LineEditor& editor, std::ostream& out) {
  std::string turn;
  for (;;) {
    if (editor.readTurn(turn) != TerminalInput::Event::Line) {
      out << "\n" << std::flush;
      return kExitOk;
    }
    if (session.handle(turn) == ChatSession::Next::Exit) return kExitOk;
  }
}

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
  // Prompts, names, the line editor and questions only for a person at a terminal; a script
  // reads just the replies.
  const bool terminal = &context.in == &std::cin && ::isatty(STDIN_FILENO) != 0;
  options_.outIsTerminal = &context.out == &std::cout && ::isatty(STDOUT_FILENO) != 0;
  options_.errIsTerminal = &context.err == &std::cerr && ::isatty(STDERR_FILENO) != 0;
  options_.decorate = terminal;
  if (terminal) LineEditor::useUtf8Locale();  // before the plugins start threads

  auto host = makeHost(context, mcpOverrides(noMcp_));
  checkProviders(context, *host, options_.provider);
  const Character& character = host->settings().character();
  if (messagesFile_.empty()) options_.systemPrompt = systemPrompt(character);
  if (system_) options_.systemPrompt = *system_;
  if (!character.name.empty()) options_.agentName = character.name;
  options_.tools = makeTools(tools_, *host, /*unrunToolsAnswer=*/true, context.err);
  // The MCP tools, asked for again before each model call: a server that starts late or changes
  // its list (notifications/tools/list_changed) is seen in the next turn, or the next step.
  options_.moreTools = providedToolSource(*host);
  options_.maxSteps = tools_.maxSteps;
  options_.toolTimeout = std::chrono::milliseconds(tools_.toolTimeoutMs);
  AgentHost& agent = *host;
  options_.providerProblem = [&agent](std::string_view name) {
    return providerProblem(agent, name);
  };
  const auto history = terminal ? historyFile(host->settings()) : std::nullopt;

  // Made below, after the session: they go first, so Ctrl-C never reaches a session that is gone.
  TerminalInput* inputPointer = nullptr;
  LineEditor* editorPointer = nullptr;
  if (terminal && !yes_) {
    options_.ask = [&inputPointer,
                    &editorPointer](const std::string& question) -> std::optional<std::string> {
      std::string answer;
      inputPointer->setAsking(true);
      const TerminalInput::Event event = editorPointer->readAnswer(question, answer);
      inputPointer->setAsking(false);
      if (event != TerminalInput::Event::Line) return std::nullopt;
      return answer;
    };
  }
  std::FILE* const editorOut = options_.outIsTerminal ? stdout : stderr;
  ChatSession session(host->runtime(), std::move(options_), context.out, context.err);
  const auto subscription = host->events().subscribe(
      [&session](const ModelUsedEvent& event) { session.recordUsage(event.tokens); });
  session.setUsageFlush([&events = host->events()] { events.flush(); });
  struct Unsubscribe {
    EventBus& events;
    EventBus::SubscriptionId id;
    ~Unsubscribe() { events.unsubscribe(id); }
  } unsubscribe{host->events(), subscription};

  const int fd = &context.in == &std::cin ? STDIN_FILENO : -1;
  if (fd < 0) return readTurns(session, context.in);  // an in-memory stream (tests)
  TerminalInput input(fd, [&session] { return session.cancelReply(); });
  inputPointer = &input;
  if (!terminal) {
    // A pipe: plain lines, no line editor; Ctrl-C still stops a reply.
    std::string line;
    while (input.next(line) == TerminalInput::Event::Line) {
      if (session.handle(line) == ChatSession::Next::Exit) break;
    }
    return kExitOk;
  }
  context.out << "Talking to " << (character.name.empty() ? "the agent" : character.name)
              << ". /help lists the commands; Ctrl-D leaves.\n"
              << std::flush;
  LineEditor editor(input, stdin, editorOut, history, stderr);
  editorPointer = &editor;
  return readTerminal(session, editor, context.out);
}

}  // namespace

std::unique_ptr<Command> makeChatCommand() {
  return std::make_unique<ChatCommand>();
}

}  // namespace agent::host::cli
