#include "chat/ChatSession.hpp"

#include <fstream>
#include <ostream>
#include <utility>

#include "MessagesJson.hpp"
#include "TerminalText.hpp"
#include "agent/host/AgentRuntime.hpp"
#include "agent/support/Text.hpp"
#include "chat/HistoryBudget.hpp"

namespace agent::host::cli {
namespace {

constexpr std::string_view kHelp =
    "/model [TYPE]       show the model, or use another type (TEXT_SMALL, TEXT_LARGE, ...)\n"
    "/provider [NAME]    use one provider only; /provider alone goes back to the best ranked\n"
    "/system TEXT        replace the system prompt\n"
    "/tools              the tools the model can call\n"
    "/usage              tokens of the last turn and of the conversation\n"
    "/reasoning on|off   show the model's reasoning (dimmed) when it sends any\n"
    "/reset              forget the conversation (the system prompt stays)\n"
    "/save FILE          write the conversation as JSON messages (reload with --messages FILE)\n"
    "/help               this list\n"
    "/exit               leave (as do Ctrl-D, and Ctrl-C at the prompt)\n"
    "A line ending in \\ goes on on the next line; a pasted block is one turn.\n"
    "Ctrl-C while the agent answers stops that answer.\n";

constexpr std::string_view kCancelledMark = "[reply cancelled by the user]";
constexpr std::size_t kShownArgumentBytes = 200;  // of a tool call, on one line
constexpr std::size_t kShownResultBytes = 300;    // of a tool result, on one line
constexpr std::string_view kDim = "\x1b[2m";
constexpr std::string_view kPlain = "\x1b[0m";

std::pair<std::string_view, std::string_view> splitCommand(std::string_view line) {
  const auto space = line.find(' ');
  if (space == std::string_view::npos) return {line, {}};
  return {line.substr(0, space), text::trim(line.substr(space + 1))};
}

std::string firstLine(std::string_view text) {
  return std::string(text.substr(0, text.find('\n')));
}

}  // namespace

// What one reply has put on the screen so far.
struct ChatSession::Streamed {
  std::string partial;  // the text of the current model call
  VisibleControls controls;
  bool reasoningOpen = false;  // dimmed reasoning printed, its end not yet
};

ChatSession::ChatSession(const AgentRuntime& runtime, ChatOptions options, std::ostream& out,
                         std::ostream& err)
    : runtime_(runtime),
      options_(std::move(options)),
      out_(out),
      err_(err),
      history_(std::move(options_.history)) {}

ChatSession::Next ChatSession::handle(std::string_view turn) {
  const std::string_view trimmed = text::trim(turn);
  if (trimmed.empty()) return Next::Continue;
  // A pasted or continued turn keeps its indentation: only a command is trimmed.
  if (trimmed.front() == '/' && trimmed.find('\n') == std::string_view::npos) {
    return command(trimmed);
  }
  reply(turn.find('\n') == std::string_view::npos ? trimmed : turn);
  return Next::Continue;
}

bool ChatSession::cancelReply() noexcept {
  std::lock_guard lock(replyMutex_);
  if (!replyCancellation_) return false;
  replyCancellation_->cancel();
  return true;
}

void ChatSession::recordUsage(const TokenUsage& usage) {
  std::lock_guard lock(usageMutex_);
  for (Usage* total : {&turnUsage_, &conversationUsage_}) {
    total->tokens.promptTokens += usage.promptTokens;
    total->tokens.completionTokens += usage.completionTokens;
    total->tokens.totalTokens += usage.totalTokens;
    total->tokens.estimated = total->tokens.estimated || usage.estimated;
    ++total->calls;
  }
}

std::string ChatSession::forDisplay(std::ostream& stream, std::string_view text) const {
  const bool terminal = &stream == &out_ ? options_.outIsTerminal : options_.errIsTerminal;
  return terminal ? visibleControls(text) : std::string(text);
}

ChatSession::Next ChatSession::command(std::string_view line) {
  const auto [name, argument] = splitCommand(line);
  if (name == "/exit" || name == "/quit") return Next::Exit;
  if (name == "/help") {
    notes() << kHelp << std::flush;
  } else if (name == "/reset") {
    history_.clear();
    notes() << "(conversation forgotten)\n" << std::flush;
  } else if (name == "/system") {
    options_.systemPrompt = std::string(argument);
    notes() << (argument.empty() ? "(no system prompt)\n" : "(system prompt replaced)\n")
            << std::flush;
  } else if (name == "/model") {
    if (argument.empty()) {
      showModel();
      return Next::Continue;
    }
    const auto type = parseModelType(text::toUpper(argument));
    if (!type) {
      err_ << "unknown model type '" << argument << "': try TEXT_SMALL or TEXT_LARGE\n";
    } else {
      options_.type = *type;
      notes() << "(model type " << toString(*type) << ")\n" << std::flush;
    }
  } else if (name == "/provider") {
    if (argument.empty()) {
      options_.provider.reset();
      notes() << "(any provider)\n" << std::flush;
    } else if (const std::string problem =
                   options_.providerProblem ? options_.providerProblem(argument) : "";
               !problem.empty()) {
      err_ << problem << "\n" << std::flush;
    } else {
      options_.provider = std::string(argument);
      notes() << "(provider " << argument << ")\n" << std::flush;
    }
  } else if (name == "/usage") {
    showUsage();
  } else if (name == "/tools") {
    showTools();
  } else if (name == "/reasoning") {
    const auto on = text::parseSwitch(argument);
    if (!on) {
      err_ << "/reasoning takes on or off\n";
    } else {
      showReasoning_ = *on;
      notes() << (showReasoning_ ? "(reasoning shown when the model sends it)\n"
                                 : "(reasoning hidden)\n")
              << std::flush;
    }
  } else if (name == "/save") {
    saveTo(argument);
  } else {
    err_ << "unknown command " << name << ": /help lists the commands\n";
  }
  return Next::Continue;
}

void ChatSession::showModel() {
  notes() << "(model type " << toString(options_.type) << "; ";
  if (options_.modelName) {
    notes() << "model " << *options_.modelName << ", from --model-name";
  } else if (!lastModel_.empty()) {
    notes() << "model " << lastModel_ << " from " << lastProvider_ << " in the last reply";
  } else {
    notes() << "the provider picks the model; it is shown after the first reply";
  }
  if (options_.provider) notes() << "; provider " << *options_.provider << " only";
  notes() << ")\n" << std::flush;
}

void ChatSession::showUsage() {
  if (usageFlush_) usageFlush_();
  Usage turn;
  Usage conversation;
  {
    std::lock_guard lock(usageMutex_);
    turn = turnUsage_;
    conversation = conversationUsage_;
  }
  const auto describe = [](const Usage& usage) {
    return std::to_string(usage.tokens.promptTokens) + " prompt + " +
           std::to_string(usage.tokens.completionTokens) +
           " completion = " + std::to_string(usage.tokens.totalTokens) + " tokens in " +
           std::to_string(usage.calls) + (usage.calls == 1 ? " call" : " calls");
  };
  notes() << "(last turn: " << describe(turn) << "; conversation: " << describe(conversation)
          << (conversation.tokens.estimated ? "; some counts estimated" : "") << ")\n"
          << std::flush;
}

std::vector<Tool> ChatSession::currentTools() const {
  if (!options_.moreTools) return options_.tools;
  return withLentTools(options_.tools, options_.moreTools());
}

void ChatSession::showTools() {
  const std::vector<Tool> tools = currentTools();
  if (tools.empty()) {
    notes() << "(no tools: offer some with --tools and run them with --tool-command)\n"
            << std::flush;
    return;
  }
  for (const Tool& tool : tools) {
    notes() << "  " << tool.definition.name;
    if (!tool.definition.description.empty()) {
      notes() << "  " << forDisplay(notes(), firstLine(tool.definition.description));
    }
    if (tool.readOnly) notes() << "  (read-only)";
    if (alwaysRun_.count(tool.definition.name) != 0) notes() << "  (runs without asking)";
    notes() << "\n";
  }
  notes() << std::flush;
}

void ChatSession::saveTo(std::string_view file) {
  if (file.empty()) {
    err_ << "/save needs a file name\n";
    return;
  }
  std::vector<ChatMessage> transcript;
  if (!options_.systemPrompt.empty()) transcript.emplace_back("system", options_.systemPrompt);
  transcript.insert(transcript.end(), history_.begin(), history_.end());
  std::ofstream stream{std::string(file), std::ios::binary | std::ios::trunc};
  stream << writeMessages(transcript);
  stream.close();
  if (!stream) {
    err_ << "could not write " << file << "\n";
  } else {
    notes() << "(saved " << transcript.size() << " messages to " << file << ")\n" << std::flush;
  }
}

GenerateTextParams ChatSession::turnParams(const std::shared_ptr<CancellationToken>& cancellation,
                                           Streamed& streamed) {
  GenerateTextParams params;
  if (!options_.systemPrompt.empty()) params.messages.emplace_back("system", options_.systemPrompt);
  params.messages.insert(params.messages.end(), history_.begin(), history_.end());
  params.model = options_.modelName;
  params.cancellation = cancellation;
  params.stream = true;
  params.onChunk = [this, &streamed](std::string_view chunk) {
    if (streamed.reasoningOpen) {
      streamed.reasoningOpen = false;
      notes() << (options_.decorate && options_.outIsTerminal ? kPlain : "") << "\n";
    }
    streamed.partial.append(chunk);
    out_ << (options_.outIsTerminal ? streamed.controls.feed(chunk) : std::string(chunk))
         << std::flush;
    return true;
  };
  if (showReasoning_) {
    params.onReasoningChunk = [this, &streamed](std::string_view chunk) {
      std::ostream& stream = notes();
      const bool terminal = &stream == &out_ ? options_.outIsTerminal : options_.errIsTerminal;
      if (!streamed.reasoningOpen && terminal) stream << kDim;
      streamed.reasoningOpen = true;
      stream << (terminal ? visibleControls(chunk) : std::string(chunk)) << std::flush;
      return true;
    };
  }
  return params;
}

ToolApproval ChatSession::approve(const ToolCall& call, const Tool& tool) {
  if (!options_.ask || alwaysRun_.count(tool.definition.name) != 0) return ToolApproval::Run;
  const std::string question =
      "run " + call.name + "? [y]es, [n]o, [a]lways for " + call.name + " in this session: ";
  for (;;) {
    const std::optional<std::string> answer = options_.ask(question);
    if (!answer) return ToolApproval::Decline;  // no answer (Ctrl-C, input ended): no
    const std::string word = text::toLower(text::trim(*answer));
    if (word == "y" || word == "yes") return ToolApproval::Run;
    if (word == "n" || word == "no") return ToolApproval::Decline;
    if (word == "a" || word == "always") {
      alwaysRun_.insert(tool.definition.name);
      return ToolApproval::Run;
    }
  }
}

ToolLoopOptions ChatSession::loopOptions(Streamed& streamed) {
  ToolLoopOptions loop;
  loop.maxSteps = options_.maxSteps;
  loop.toolTimeout = options_.toolTimeout;
  loop.provider = options_.provider;
  loop.onToolStart = [this, &streamed](const ToolCall& call) {
    if (!streamed.partial.empty()) out_ << streamed.controls.finish() << "\n";
    streamed.partial.clear();
    notes() << "[tool call " << call.name << " "
            << forDisplay(notes(), shortened(call.arguments, kShownArgumentBytes)) << "]\n"
            << std::flush;
  };
  loop.onToolResult = [this](const ToolCall& call, const ToolOutcome& outcome) {
    notes() << "[tool " << call.name << (outcome.ok ? " result] " : " error] ")
            << forDisplay(notes(), shortened(outcome.text, kShownResultBytes)) << "\n"
            << std::flush;
  };
  loop.approve = [this](const ToolCall& call, const Tool& tool) { return approve(call, tool); };
  loop.moreTools = options_.moreTools;
  return loop;
}

void ChatSession::reply(std::string_view userText) {
  history_.emplace_back("user", std::string(userText));
  if (const std::size_t dropped = trimToBudget(history_, options_.maxHistoryTokens);
      dropped > 0 && options_.decorate) {
    out_ << "(forgot the " << dropped << " oldest messages to stay under "
         << options_.maxHistoryTokens << " tokens)\n";
  }
  auto cancellation = std::make_shared<CancellationToken>();
  {
    std::lock_guard lock(replyMutex_);
    replyCancellation_ = cancellation;
  }
  if (usageFlush_) usageFlush_();  // the previous turn's events count for that turn
  {
    std::lock_guard lock(usageMutex_);
    turnUsage_ = {};
  }
  if (options_.decorate) out_ << options_.agentName << "> " << std::flush;

  Streamed streamed;  // what reached the screen of the current model call
  GenerateTextParams params = turnParams(cancellation, streamed);
  ModelResult result = ModelOutput{};
  CallInfo info;
  std::vector<ChatMessage> added;  // what this turn adds after the user message
  if (options_.tools.empty() && !options_.moreTools) {
    result = runtime_.useModel(options_.type, std::move(params), options_.provider, &info);
    if (result.ok()) added.emplace_back("assistant", result.output().text);
  } else {
    const std::size_t before = params.messages.size();
    ToolLoopResult loop = runWithTools(runtime_, options_.type, std::move(params), options_.tools,
                                       loopOptions(streamed));
    added.assign(loop.transcript.begin() + static_cast<std::ptrdiff_t>(before),
                 loop.transcript.end());
    result = std::move(loop.result);
    info = loop.info;
  }
  {
    std::lock_guard lock(replyMutex_);
    replyCancellation_.reset();
  }
  out_ << streamed.controls.finish();
  if (streamed.reasoningOpen) {
    notes() << (options_.decorate && options_.outIsTerminal ? kPlain : "") << "\n";
  }

  if (result.ok()) {
    out_ << "\n" << std::flush;
    history_.insert(history_.end(), added.begin(), added.end());
    lastProvider_ = info.provider;
    lastModel_ = result.output().model;
    return;
  }
  const ModelError& error = result.error();
  if (error.kind == ErrorKind::Cancelled) {
    // Keep what was shown, marked, so the model knows its answer was cut short.
    history_.insert(history_.end(), added.begin(), added.end());
    history_.emplace_back("assistant", streamed.partial.empty()
                                           ? std::string(kCancelledMark)
                                           : streamed.partial + "\n" + std::string(kCancelledMark));
    out_ << "\n" << std::flush;
    err_ << "(reply cancelled)\n" << std::flush;
    return;
  }
  if (!streamed.partial.empty()) out_ << "\n" << std::flush;
  // A failed turn is taken back whole, so the next line is not sent after an unanswered one.
  history_.pop_back();
  err_ << "agent-host: " << toString(error.kind) << ": "
       << forDisplay(err_, text::oneLine(error.message)) << "\n"
       << std::flush;
}

}  // namespace agent::host::cli
