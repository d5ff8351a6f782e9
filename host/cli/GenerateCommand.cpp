#include "GenerateCommand.hpp"

#include <fstream>
#include <iterator>
#include <limits>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <CLI/CLI.hpp>

#include "SharedOptions.hpp"
#include "agent/support/Text.hpp"
#include "agent/support/Utf8.hpp"

namespace agent::host::cli {
namespace {

// --schema takes JSON text (starting with '{' or '[') or a file holding it; either must parse.
std::string schemaOption(const std::string& value) {
  const auto trimmed = text::trim(value);
  std::string schema;
  if (!trimmed.empty() && (trimmed.front() == '{' || trimmed.front() == '[')) {
    schema = std::string(trimmed);
  } else {
    std::ifstream in(value, std::ios::binary);
    if (!in)
      throw CLI::ValidationError("--schema: cannot read '" + value + "': give a file or JSON text");
    schema.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
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

// PROMPT is one argument; "-" reads it from stdin.
std::string promptArgument(const std::vector<std::string>& words, std::istream& in) {
  if (words.empty()) throw UsageError("generate needs a PROMPT (or - to read stdin)");
  if (words.size() > 1) {
    throw UsageError("generate takes one PROMPT, got " + std::to_string(words.size()) +
                     " words: quote the prompt");
  }
  if (words.front() != "-") return words.front();
  std::string prompt((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!prompt.empty() && prompt.back() == '\n') prompt.pop_back();
  if (!prompt.empty() && prompt.back() == '\r') prompt.pop_back();
  return prompt;
}

void printJson(const ModelOutput& output, const CallInfo& info, std::ostream& out) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  // A model may send bytes that are not UTF-8; JSON must be, so they become U+FFFD here.
  const auto string = [&writer](std::string_view text) {
    const std::string valid = text::toValidUtf8(text);
    writer.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
  };
  writer.StartObject();
  writer.Key("text");
  string(output.text);
  writer.Key("provider");
  string(info.provider);
  writer.Key("modelType");
  string(toString(info.servedAs));
  writer.Key("model");
  string(output.model);
  writer.Key("usage");
  writer.StartObject();
  writer.Key("promptTokens");
  writer.Int64(output.usage.promptTokens);
  writer.Key("completionTokens");
  writer.Int64(output.usage.completionTokens);
  writer.Key("totalTokens");
  writer.Int64(output.usage.totalTokens);
  writer.Key("estimated");
  writer.Bool(output.usage.estimated);
  writer.EndObject();
  writer.Key("finishReason");
  if (output.finishReason.empty()) {
    writer.Null();
  } else {
    string(output.finishReason);
  }
  writer.EndObject();
  out << buffer.GetString() << '\n';
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
                  "Print one JSON object: text, provider, modelType, model, usage, finishReason "
                  "(with --stream, only the object)")
        ->disable_flag_override();
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
  bool stream_ = false;
  bool json_ = false;
};

int GenerateCommand::run(CommandContext& context) {
  // Everything the user typed is checked before any plugin loads.
  GenerateTextParams params = std::move(params_);
  params.prompt = promptArgument(words_, context.in);
  if (!stops_.empty()) params.stopSequences = stops_;
  const bool json = json_;

  bool printedChunks = false;
  if (stream_) {
    params.stream = true;
    params.onChunk = [&context, json, &printedChunks](std::string_view chunk) {
      if (json) return true;  // --json prints only the final object
      context.out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      context.out.flush();
      printedChunks = true;
      return context.out.good();  // stdout gone: stop the call
    };
  }

  auto host = makeHost(context);
  host->events().subscribe([&host](const ModelUsedEvent& event) {
    host->logger().log(LogLevel::Debug, "agent-host",
                       "MODEL_USED " + event.provider + " " + std::string(toString(event.type)) +
                           " " + event.model + " tokens " +
                           std::to_string(event.tokens.promptTokens) + "+" +
                           std::to_string(event.tokens.completionTokens));
  });
  CallInfo info;
  ModelResult result = host->runtime().useModel(
      type_, std::move(params),
      provider_ ? std::optional<std::string_view>(*provider_) : std::nullopt, &info);
  if (!result.ok()) {
    if (printedChunks) context.out << '\n' << std::flush;
    context.err << "agent-host: " << failureLine(result.error(), info) << '\n' << std::flush;
    return kExitCallFailed;
  }
  const ModelOutput& output = result.output();
  if (json) {
    printJson(output, info, context.out);
  } else if (stream_) {
    // The text already went out chunk by chunk; a provider that did not stream gets printed here.
    if (!printedChunks) context.out << output.text;
    context.out << '\n';
  } else {
    context.out << output.text << '\n';
  }
  context.out.flush();
  return kExitOk;
}

}  // namespace

std::unique_ptr<Command> makeGenerateCommand() {
  return std::make_unique<GenerateCommand>();
}

}  // namespace agent::host::cli
