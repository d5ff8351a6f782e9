#include "GenerateCommand.hpp"

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <iterator>
#include <limits>
#include <ostream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <CLI/CLI.hpp>

#include "McpCommand.hpp"
#include "MessagesJson.hpp"
#include "SharedOptions.hpp"
#include "TerminalText.hpp"
#include "ToolOptions.hpp"
#include "agent/host/ProvidedTools.hpp"
#include "agent/host/ToolLoop.hpp"
#include "agent/support/Text.hpp"
#include "agent/support/Utf8.hpp"

namespace agent::host::cli {
namespace {

// --schema takes JSON text (starting with '{' or '[') or a file holding it; either must parse.
std::string schemaOption(const std::string& value) {
  const std::string schema = jsonTextOrFile("--schema", value);
  rapidjson::Document document;
  // Iterative: a recursive parse of deeply nested input ("[[[[...") overflows the stack.
  document.Parse<rapidjson::kParseIterativeFlag>(schema.c_str(), schema.size());
  if (document.HasParseError()) {
    throw CLI::ValidationError(std::string("--schema is not valid JSON: ") +
                               rapidjson::GetParseError_En(document.GetParseError()) +
                               " (at offset " + std::to_string(document.GetErrorOffset()) + ")");
  }
  return schema;
}

std::string readAll(std::istream& in) {
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// PROMPT is one argument; "-" reads it from stdin.
std::string promptArgument(const std::vector<std::string>& words, std::istream& in) {
  if (words.empty()) throw UsageError("generate needs a PROMPT (or - to read stdin)");
  if (words.size() > 1) {
    throw UsageError("generate takes one PROMPT, got " + std::to_string(words.size()) +
                     " words: quote the prompt");
  }
  if (words.front() != "-") return words.front();
  std::string prompt = readAll(in);
  if (!prompt.empty() && prompt.back() == '\n') prompt.pop_back();
  if (!prompt.empty() && prompt.back() == '\r') prompt.pop_back();
  return prompt;
}

// Writes JSON text that is always UTF-8: a model may send bytes that are not, and they become
// U+FFFD here.
class JsonOut {
 public:
  rapidjson::Writer<rapidjson::StringBuffer>& writer() { return writer_; }
  void string(std::string_view text) {
    const std::string valid = text::toValidUtf8(text);
    writer_.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
  }
  void key(const char* name) { writer_.Key(name); }
  void stringOrNull(std::string_view text) {
    if (text.empty()) {
      writer_.Null();
    } else {
      string(text);
    }
  }
  void print(std::ostream& out) { out << buffer_.GetString() << '\n'; }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_{buffer_};
};

void writeToolCalls(JsonOut& json, const std::vector<ToolCall>& calls) {
  json.writer().StartArray();
  for (const ToolCall& call : calls) {
    json.writer().StartObject();
    json.key("id");
    json.string(call.id);
    json.key("name");
    json.string(call.name);
    json.key("arguments");
    json.string(call.arguments);
    if (!call.problem.empty()) {
      json.key("problem");
      json.string(call.problem);
    }
    json.writer().EndObject();
  }
  json.writer().EndArray();
}

void printJson(const ModelOutput& output, const CallInfo& info,
               const std::optional<ToolLoopResult>& loop, std::ostream& out) {
  JsonOut json;
  auto& writer = json.writer();
  writer.StartObject();
  json.key("text");
  json.string(output.text);
  json.key("provider");
  json.string(info.provider);
  json.key("modelType");
  json.string(toString(info.servedAs));
  json.key("model");
  json.string(output.model);
  json.key("usage");
  writer.StartObject();
  json.key("promptTokens");
  writer.Int64(output.usage.promptTokens);
  json.key("completionTokens");
  writer.Int64(output.usage.completionTokens);
  json.key("totalTokens");
  writer.Int64(output.usage.totalTokens);
  json.key("estimated");
  writer.Bool(output.usage.estimated);
  writer.EndObject();
  json.key("finishReason");
  json.stringOrNull(output.finishReason);
  json.key("toolCalls");
  writeToolCalls(json, output.toolCalls);
  json.key("reasoning");
  json.stringOrNull(output.reasoning);
  if (loop) {
    json.key("steps");
    writer.Int(loop->steps);
    json.key("messages");
    rapidjson::Document messages;
    const std::string text = writeMessages(loop->transcript);
    messages.Parse(text.c_str(), text.size());
    messages.Accept(writer);
  }
  writer.EndObject();
  json.print(out);
}

// With --json a failure is JSON on stdout too, so a script reads one format.
void printJsonError(const ModelError& error, const CallInfo& info, std::ostream& out) {
  JsonOut json;
  auto& writer = json.writer();
  writer.StartObject();
  json.key("error");
  writer.StartObject();
  json.key("kind");
  json.string(toString(error.kind));
  json.key("message");
  json.string(error.message);
  json.key("provider");
  json.stringOrNull(info.provider);
  json.key("modelType");
  json.string(toString(info.servedAs));
  json.key("httpStatus");
  if (error.httpStatus != 0) {
    writer.Int(error.httpStatus);
  } else {
    writer.Null();
  }
  json.key("retryAfterMs");
  if (error.retryAfter) {
    writer.Int64(error.retryAfter->count());
  } else {
    writer.Null();
  }
  json.key("requestId");
  json.stringOrNull(error.requestId);
  writer.EndObject();
  writer.EndObject();
  json.print(out);
}

class GenerateCommand final : public Command {
 public:
  CLI::App& define(CLI::App& app) override {
    constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
    constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
    CLI::App& command = *app.add_subcommand(
        "generate",
        "Generates text from PROMPT through the best-ranked provider of the model type");
    addModelTypeOption(command, type_);
    addProviderOption(command, provider_);
    command
        .add_option_function<std::string>(
            "--system", [this](const std::string& value) { params_.system = value; },
            "System prompt")
        ->type_name("TEXT");
    addNumberOption(command, "--temperature", params_.temperature, "Sampling temperature");
    addIntegerOption(command, "--max-tokens", params_.maxTokens, {1, kInt64Max},
                     "Longest reply, in tokens");
    addNumberOption(command, "--top-p", params_.topP, "Nucleus sampling mass");
    addIntegerOption(command, "--seed", params_.seed, {kInt64Min, kInt64Max}, "Sampling seed");
    command.add_option("--stop", stops_, "A stop sequence (repeatable)")
        ->type_name("SEQ")
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    addNumberOption(command, "--frequency-penalty", params_.frequencyPenalty, "Frequency penalty");
    addNumberOption(command, "--presence-penalty", params_.presencePenalty, "Presence penalty");
    command
        .add_option_function<std::string>(
            "--schema",
            [this](const std::string& value) { params_.responseSchema = schemaOption(value); },
            "JSON schema the reply must match: JSON text, or a file holding it")
        ->type_name("FILE|JSON");
    command.add_flag("--stream", stream_, "Print the text as it arrives")->disable_flag_override();
    command
        .add_flag("--json", json_,
                  "Print one JSON object: text, provider, modelType, model, usage, finishReason, "
                  "toolCalls, reasoning (with --stream, only the object); a failure is "
                  "{\"error\": {...}}")
        ->disable_flag_override();
    addToolOptions(command, tools_);
    addNoMcpOption(command, noMcp_);
    command
        .add_option("--messages", messages_,
                    "The conversation so far: an OpenAI-style JSON messages array in FILE, or - "
                    "for stdin; PROMPT, if given, is added as the last user message")
        ->type_name("FILE|-");
    command
        .add_option_function<std::string>(
            "--model-name", [this](const std::string& value) { params_.model = value; },
            "The model id to ask for, instead of the one configured for the model type")
        ->type_name("NAME");
    command.add_option("PROMPT", words_, "The prompt; - reads it from stdin");
    return command;
  }

  int run(CommandContext& context) override;

 private:
  ModelType type_ = ModelType::TextSmall;
  std::optional<std::string> provider_;
  GenerateTextParams params_;  // everything but the prompt is set while parsing
  std::vector<std::string> stops_;
  std::vector<std::string> words_;
  std::string messages_;
  ToolOptions tools_;
  bool noMcp_ = false;
  bool stream_ = false;
  bool json_ = false;
};

// The tools, the tool choice and the conversation, checked against each other.
void applyConversation(GenerateTextParams& params, const ToolOptions& tools,
                       std::vector<ChatMessage> messages) {
  if (tools.choiceGiven && tools.definitions.empty()) {
    throw UsageError("--tool-choice needs --tools");
  }
  if (tools.choice.mode == ToolChoice::Mode::Named) {
    bool known = false;
    for (const ToolDefinition& tool : tools.definitions)
      known = known || tool.name == tools.choice.name;
    if (!known) {
      throw UsageError("--tool-choice '" + tools.choice.name +
                       "' is not auto, none, required or a tool named in --tools");
    }
  }
  params.tools = tools.definitions;
  if (tools.choiceGiven) params.toolChoice = tools.choice;
  if (messages.empty()) return;
  // A conversation replaces system + prompt: the system prompt leads it, the prompt ends it.
  if (params.system) {
    messages.insert(messages.begin(), ChatMessage("system", *params.system));
    params.system.reset();
  }
  if (!params.prompt.empty()) messages.emplace_back("user", params.prompt);
  params.prompt.clear();
  params.messages = std::move(messages);
}

int GenerateCommand::run(CommandContext& context) {
  // Everything the user typed is checked before any plugin loads.
  GenerateTextParams params = std::move(params_);
  std::vector<ChatMessage> messages;
  if (!messages_.empty()) {
    if (messages_ == "-" && !words_.empty() && words_.front() == "-") {
      throw UsageError("--messages - and PROMPT - cannot both read stdin");
    }
    messages = readMessagesOption(messages_, &context.in);
    if (messages.empty() && words_.empty()) throw UsageError("--messages holds no message");
  }
  if (messages_.empty() || !words_.empty()) params.prompt = promptArgument(words_, context.in);
  applyConversation(params, tools_, std::move(messages));
  if (!stops_.empty()) params.stopSequences = stops_;
  const bool json = json_;
  // On a terminal, a reply's control characters are shown, not obeyed; JSON and pipes get them
  // unchanged.
  const bool outTerminal = !json && &context.out == &std::cout && ::isatty(STDOUT_FILENO) != 0;
  const bool errTerminal = &context.err == &std::cerr && ::isatty(STDERR_FILENO) != 0;
  VisibleControls controls;

  bool printedChunks = false;
  if (stream_) {
    params.stream = true;
    params.onChunk = [&context, json, outTerminal, &controls,
                      &printedChunks](std::string_view chunk) {
      if (json) return true;  // --json prints only the final object
      if (outTerminal) {
        context.out << controls.feed(chunk);
        context.out.flush();
        printedChunks = true;
        return context.out.good();
      }
      context.out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      context.out.flush();
      printedChunks = true;
      return context.out.good();  // stdout gone: stop the call
    };
  }

  auto host = makeHost(context, mcpOverrides(noMcp_));
  checkProviders(context, *host, provider_);
  host->events().subscribe([&host](const ModelUsedEvent& event) {
    host->logger().log(LogLevel::Debug, "agent-host",
                       "MODEL_USED " + event.provider + " " + std::string(toString(event.type)) +
                           " " + event.model + " tokens " +
                           std::to_string(event.tokens.promptTokens) + "+" +
                           std::to_string(event.tokens.completionTokens));
  });
  CallInfo info;
  std::optional<ToolLoopResult> loop;
  ModelResult result = ModelOutput{};
  auto providedTools = providedToolSource(*host);
  if (tools_.runsTools() || providedTools) {
    ToolLoopOptions options;
    options.maxSteps = tools_.maxSteps;
    options.toolTimeout = std::chrono::milliseconds(tools_.toolTimeoutMs);
    options.provider = provider_;
    options.moreTools = std::move(providedTools);
    // Progress goes to stderr: stdout carries only the answer.
    options.onToolStart = [&context](const ToolCall& call) {
      context.err << "agent-host: running tool " << call.name << " " << call.id << '\n'
                  << std::flush;
    };
    options.onToolResult = [&context, errTerminal](const ToolCall& call,
                                                   const ToolOutcome& outcome) {
      if (!outcome.ok) {
        context.err << "agent-host: tool " << call.name
                    << " failed: " << (errTerminal ? visibleControls(outcome.text) : outcome.text)
                    << '\n'
                    << std::flush;
      }
    };
    loop = runWithTools(host->runtime(), type_, std::move(params),
                        makeTools(tools_, *host, /*unrunToolsAnswer=*/false, context.err), options);
    info = loop->info;
    result = std::move(loop->result);
  } else {
    result = host->runtime().useModel(
        type_, std::move(params),
        provider_ ? std::optional<std::string_view>(*provider_) : std::nullopt, &info);
  }
  context.out << controls.finish();
  if (!result.ok()) {
    if (printedChunks) context.out << '\n' << std::flush;
    if (json) printJsonError(result.error(), info, context.out);
    context.err << "agent-host: " << failureLine(result.error(), info) << '\n' << std::flush;
    return failedCallExitCode(result.error(), *host);
  }
  const ModelOutput& output = result.output();
  if (output.finishReason == "content_filter") {
    context.err << "agent-host: warning: the reply was cut by a content filter (finish reason "
                   "content_filter)\n";
  }
  for (const ToolCall& call : output.toolCalls) {
    if (!call.problem.empty()) {
      context.err << "agent-host: warning: tool call " << call.id << " to " << call.name << ": "
                  << text::oneLine(call.problem) << '\n';
    }
  }
  if (json) {
    printJson(output, info, loop, context.out);
  } else {
    // A streamed text already went out chunk by chunk; a provider that did not stream is
    // printed here.
    if (!stream_ || !printedChunks) {
      context.out << (outTerminal ? visibleControls(output.text) : output.text);
    }
    if (!output.text.empty() || stream_ || output.toolCalls.empty()) context.out << '\n';
    for (const ToolCall& call : output.toolCalls) {
      context.out << "tool call " << call.name << ' ' << call.id << ' '
                  << text::oneLine(call.arguments) << '\n';
    }
  }
  context.out.flush();
  return kExitOk;
}

}  // namespace

std::unique_ptr<Command> makeGenerateCommand() {
  return std::make_unique<GenerateCommand>();
}

}  // namespace agent::host::cli
