#include "GenerateCommand.hpp"

#include <fstream>
#include <iterator>
#include <limits>
#include <ostream>
#include <sstream>
#include <string>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "TextUtil.hpp"

namespace agent::host::cli {
namespace {

double numberOption(const ParsedArgs& args, std::string_view name) {
  const auto value = *args.value(name);
  const auto parsed = text::parseDouble(value);
  if (!parsed) throw UsageError(std::string(name) + " needs a number, got '" + value + "'");
  return *parsed;
}

std::int64_t integerOption(const ParsedArgs& args, std::string_view name, std::int64_t minimum) {
  const auto value = *args.value(name);
  const auto parsed = text::parseInt64(value);
  if (!parsed) throw UsageError(std::string(name) + " needs an integer, got '" + value + "'");
  if (*parsed < minimum) {
    throw UsageError(std::string(name) + " must be at least " + std::to_string(minimum) + ", got " +
                     value);
  }
  return *parsed;
}

ModelType modelTypeOption(const ParsedArgs& args) {
  const auto value = args.value("--model");
  if (!value) return ModelType::TextSmall;
  if (auto type = parseModelType(text::toUpper(text::trim(*value)))) return *type;
  std::string known;
  for (ModelType type : allModelTypes()) {
    if (!known.empty()) known += ", ";
    known += toString(type);
  }
  throw UsageError("unknown model type '" + *value + "': use one of " + known);
}

// --schema takes JSON text (starting with '{' or '[') or a file holding it; either must parse.
std::string schemaOption(const std::string& value) {
  const auto trimmed = text::trim(value);
  std::string schema;
  if (!trimmed.empty() && (trimmed.front() == '{' || trimmed.front() == '[')) {
    schema = std::string(trimmed);
  } else {
    std::ifstream in(value, std::ios::binary);
    if (!in) throw UsageError("--schema: cannot read '" + value + "': give a file or JSON text");
    schema.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  rapidjson::Document document;
  // Iterative: a recursive parse of deeply nested input ("[[[[...") overflows the stack.
  document.Parse<rapidjson::kParseIterativeFlag>(schema.c_str(), schema.size());
  if (document.HasParseError()) {
    throw UsageError(std::string("--schema is not valid JSON: ") +
                     rapidjson::GetParseError_En(document.GetParseError()) + " (at offset " +
                     std::to_string(document.GetErrorOffset()) + ")");
  }
  return schema;
}

std::string promptArgument(const ParsedArgs& args, std::istream& in) {
  const auto& positionals = args.positionals();
  if (positionals.empty()) throw UsageError("generate needs a PROMPT (or - to read stdin)");
  if (positionals.size() > 1) {
    throw UsageError("generate takes one PROMPT, got " + std::to_string(positionals.size()) +
                     " words: quote the prompt");
  }
  if (positionals.front() != "-") return positionals.front();
  std::string prompt((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!prompt.empty() && prompt.back() == '\n') prompt.pop_back();
  if (!prompt.empty() && prompt.back() == '\r') prompt.pop_back();
  return prompt;
}

GenerateTextParams paramsFrom(const ParsedArgs& args, std::istream& in) {
  GenerateTextParams params;
  params.prompt = promptArgument(args, in);
  if (auto system = args.value("--system")) params.system = *system;
  if (args.has("--temperature")) params.temperature = numberOption(args, "--temperature");
  if (args.has("--max-tokens")) params.maxTokens = integerOption(args, "--max-tokens", 1);
  if (args.has("--top-p")) params.topP = numberOption(args, "--top-p");
  if (args.has("--seed")) {
    params.seed = integerOption(args, "--seed", std::numeric_limits<std::int64_t>::min());
  }
  if (args.has("--frequency-penalty")) {
    params.frequencyPenalty = numberOption(args, "--frequency-penalty");
  }
  if (args.has("--presence-penalty")) {
    params.presencePenalty = numberOption(args, "--presence-penalty");
  }
  if (args.has("--stop")) params.stopSequences = args.values("--stop");
  if (auto schema = args.value("--schema")) params.responseSchema = schemaOption(*schema);
  return params;
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

// One line naming who failed and why, e.g.
//   agent-host: bitrouter failed (TEXT_SMALL): rate_limited (HTTP 429): Rate limited
std::string failureLine(const ModelError& error, const CallInfo& info) {
  std::string line = "agent-host: ";
  if (error.kind == ErrorKind::NoProvider || error.kind == ErrorKind::NoHandler) {
    line += toString(error.kind);
  } else {
    line += info.provider + " failed (" + std::string(toString(info.servedAs)) + "): ";
    line += toString(error.kind);
    if (error.httpStatus != 0) line += " (HTTP " + std::to_string(error.httpStatus) + ")";
  }
  line += ": " + error.message;
  return text::oneLine(line);
}

int runGenerate(const ParsedArgs& args, CommandContext& context) {
  // Everything the user typed is checked before any plugin loads.
  const ModelType type = modelTypeOption(args);
  const auto provider = args.value("--provider");
  GenerateTextParams params = paramsFrom(args, context.in);
  const bool json = args.has("--json");

  bool printedChunks = false;
  if (args.has("--stream")) {
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
      type, std::move(params), provider ? std::optional<std::string_view>(*provider) : std::nullopt,
      &info);
  if (!result.ok()) {
    if (printedChunks) context.out << '\n' << std::flush;
    context.err << failureLine(result.error(), info) << '\n' << std::flush;
    return kExitCallFailed;
  }
  const ModelOutput& output = result.output();
  if (json) {
    printJson(output, info, context.out);
  } else if (args.has("--stream")) {
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

Command generateCommand() {
  return Command{"generate",
                 {{"--model", true},
                  {"--provider", true},
                  {"--system", true},
                  {"--temperature", true},
                  {"--max-tokens", true},
                  {"--top-p", true},
                  {"--seed", true},
                  {"--stop", true},
                  {"--frequency-penalty", true},
                  {"--presence-penalty", true},
                  {"--schema", true},
                  {"--stream", false},
                  {"--json", false}},
                 &runGenerate};
}

}  // namespace agent::host::cli
