#include "chat/ChatSession.hpp"

#include <fstream>
#include <ostream>
#include <utility>

#include "MessagesJson.hpp"
#include "agent/host/AgentRuntime.hpp"
#include "agent/host/ToolLoop.hpp"
#include "agent/support/Text.hpp"
#include "chat/HistoryBudget.hpp"

namespace agent::host::cli {
namespace {

constexpr std::string_view kHelp =
    "/model TYPE      use another model type (TEXT_SMALL, TEXT_LARGE, ...)\n"
    "/provider NAME   use one provider only; /provider alone goes back to the best ranked\n"
    "/system TEXT     replace the system prompt\n"
    "/reset           forget the conversation (the system prompt stays)\n"
    "/save FILE       write the conversation as JSON messages (reload with --messages FILE)\n"
    "/help            this list\n"
    "/exit            leave (as do Ctrl-D, and Ctrl-C at the prompt)\n"
    "Ctrl-C while the agent answers stops that answer.\n";

constexpr std::string_view kCancelledMark = "[reply cancelled by the user]";

std::pair<std::string_view, std::string_view> splitCommand(std::string_view line) {
  const auto space = line.find(' ');
  if (space == std::string_view::npos) return {line, {}};
  return {line.substr(0, space), text::trim(line.substr(space + 1))};
}

}  // namespace

ChatSession::ChatSession(const AgentRuntime& runtime, ChatOptions options, std::ostream& out,
                         std::ostream& err)
    : runtime_(runtime),
      options_(std::move(options)),
      out_(out),
      err_(err),
      history_(std::move(options_.history)) {}

ChatSession::Next ChatSession::handle(std::string_view line) {
  const std::string_view trimmed = text::trim(line);
  if (trimmed.empty()) return Next::Continue;
  if (trimmed.front() == '/') return command(trimmed);
  reply(trimmed);
  return Next::Continue;
}

bool ChatSession::cancelReply() noexcept {
  std::lock_guard lock(replyMutex_);
  if (!replyCancellation_) return false;
  replyCancellation_->cancel();
  return true;
}

ChatSession::Next ChatSession::command(std::string_view line) {
  const auto [name, argument] = splitCommand(line);
  if (name == "/exit" || name == "/quit") return Next::Exit;
  if (name == "/help") {
    out_ << kHelp << std::flush;
  } else if (name == "/reset") {
    history_.clear();
    out_ << "(conversation forgotten)\n" << std::flush;
  } else if (name == "/system") {
    options_.systemPrompt = std::string(argument);
    out_ << (argument.empty() ? "(no system prompt)\n" : "(system prompt replaced)\n")
         << std::flush;
  } else if (name == "/model") {
    const auto type = parseModelType(text::toUpper(argument));
    if (!type) {
      err_ << "unknown model type '" << argument << "': try TEXT_SMALL or TEXT_LARGE\n";
    } else {
      options_.type = *type;
      out_ << "(model type " << toString(*type) << ")\n" << std::flush;
    }
  } else if (name == "/provider") {
    if (argument.empty()) {
      options_.provider.reset();
      out_ << "(any provider)\n" << std::flush;
    } else {
      options_.provider = std::string(argument);
      out_ << "(provider " << argument << ")\n" << std::flush;
    }
  } else if (name == "/save") {
    if (argument.empty()) {
      err_ << "/save needs a file name\n";
      return Next::Continue;
    }
    std::vector<ChatMessage> transcript;
    if (!options_.systemPrompt.empty()) transcript.emplace_back("system", options_.systemPrompt);
    transcript.insert(transcript.end(), history_.begin(), history_.end());
    std::ofstream file{std::string(argument), std::ios::binary | std::ios::trunc};
    file << writeMessages(transcript);
    file.close();
    if (!file) {
      err_ << "could not write " << argument << "\n";
    } else {
      out_ << "(saved " << transcript.size() << " messages to " << argument << ")\n" << std::flush;
    }
  } else {
    err_ << "unknown command " << name << ": /help lists the commands\n";
  }
  return Next::Continue;
}

GenerateTextParams ChatSession::turnParams(const std::shared_ptr<CancellationToken>& cancellation,
                                           std::string& partial) {
  GenerateTextParams params;
  if (!options_.systemPrompt.empty()) params.messages.emplace_back("system", options_.systemPrompt);
  params.messages.insert(params.messages.end(), history_.begin(), history_.end());
  params.cancellation = cancellation;
  params.stream = true;
  params.onChunk = [this, &partial](std::string_view chunk) {
    partial.append(chunk);
    out_ << chunk << std::flush;
    return true;
  };
  return params;
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
  if (options_.decorate) out_ << options_.agentName << "> " << std::flush;

  std::string partial;  // what reached the screen of the current model call
  GenerateTextParams params = turnParams(cancellation, partial);
  ModelResult result = ModelOutput{};
  std::vector<ChatMessage> added;  // what this turn adds after the user message
  if (options_.tools.empty()) {
    result = runtime_.useModel(options_.type, std::move(params), options_.provider);
    if (result.ok()) added.emplace_back("assistant", result.output().text);
  } else {
    ToolLoopOptions loopOptions;
    loopOptions.maxSteps = options_.maxSteps;
    loopOptions.toolTimeout = options_.toolTimeout;
    loopOptions.provider = options_.provider;
    loopOptions.onToolStart = [this, &partial](const ToolCall& call) {
      if (!partial.empty()) out_ << "\n";
      partial.clear();
      out_ << "[tool call " << call.name << " " << call.arguments << "]\n" << std::flush;
    };
    loopOptions.onToolResult = [this](const ToolCall& call, const ToolOutcome& outcome) {
      out_ << "[tool " << call.name << (outcome.ok ? " result] " : " error] ")
           << text::oneLine(outcome.text) << "\n"
           << std::flush;
    };
    const std::size_t before = params.messages.size();
    ToolLoopResult loop =
        runWithTools(runtime_, options_.type, std::move(params), options_.tools, loopOptions);
    added.assign(loop.transcript.begin() + static_cast<std::ptrdiff_t>(before),
                 loop.transcript.end());
    result = std::move(loop.result);
  }
  {
    std::lock_guard lock(replyMutex_);
    replyCancellation_.reset();
  }

  if (result.ok()) {
    out_ << "\n" << std::flush;
    history_.insert(history_.end(), added.begin(), added.end());
    return;
  }
  const ModelError& error = result.error();
  if (error.kind == ErrorKind::Cancelled) {
    // Keep what was shown, marked, so the model knows its answer was cut short.
    history_.insert(history_.end(), added.begin(), added.end());
    history_.emplace_back("assistant", partial.empty()
                                           ? std::string(kCancelledMark)
                                           : partial + "\n" + std::string(kCancelledMark));
    out_ << "\n" << std::flush;
    err_ << "(reply cancelled)\n" << std::flush;
    return;
  }
  if (!partial.empty()) out_ << "\n" << std::flush;
  // A failed turn is taken back whole, so the next line is not sent after an unanswered one.
  history_.pop_back();
  err_ << "agent-host: " << toString(error.kind) << ": " << error.message << "\n" << std::flush;
}

}  // namespace agent::host::cli
