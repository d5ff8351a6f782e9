// embedding-example: an application that embeds the agent host.
//
// It loads the installed provider plugins, then makes the four kinds of call an agent makes: a
// plain call, a streamed call, an asynchronous call it may cancel, and a call that lets the model
// use a tool. Run it with a provider enabled, e.g. BITROUTER_BASE_URL=http://127.0.0.1:4356.
#include <agent/host/AgentHost.hpp>
#include <agent/host/ToolLoop.hpp>
#include <chrono>
#include <iostream>
#include <string>

namespace {

int fail(const char* what, const agent::ModelResult& result) {
  std::cerr << what << " failed: " << toString(result.error().kind) << ": "
            << result.error().message << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  agent::host::HostOptions options;
  options.pluginsDirectory = argc > 1 ? argv[1] : EXAMPLE_PLUGINS_DIR;
  agent::host::AgentHost host(std::move(options));
  for (const auto& plugin : host.plugins()) {
    std::cout << "plugin: " << plugin.name << " " << toString(plugin.status) << "\n";
  }
  const agent::host::AgentRuntime& runtime = host.runtime();

  // 1. A call: the result is the text, or an error as a value.
  agent::GenerateTextParams params;
  params.prompt = "Say hello";
  const agent::ModelResult plain = runtime.useModel(agent::ModelType::TextSmall, params);
  if (!plain) return fail("call", plain);
  std::cout << "call: " << plain.output().text << "\n";

  // 2. A streamed call: pieces of text as they arrive (return false to stop the call).
  params.stream = true;
  params.onChunk = [](std::string_view chunk) {
    std::cout << "chunk: " << chunk << "\n";
    return true;
  };
  const agent::ModelResult streamed = runtime.useModel(agent::ModelType::TextSmall, params);
  if (!streamed) return fail("stream", streamed);

  // 3. An asynchronous call: wait with a timeout, cancel when it takes too long.
  agent::GenerateTextParams later;
  later.prompt = "Write a long story";
  agent::host::PendingCall pending = runtime.useModelAsync(agent::ModelType::TextLarge, later);
  if (!pending.waitFor(10s)) pending.cancel();
  if (!pending.result()) return fail("async call", pending.result());
  std::cout << "async: " << pending.result().output().text << "\n";

  // 4. Tools: the loop runs what the model asks for and calls it again with the results.
  agent::host::Tool clock{
      {"get_time", "The current UTC time", R"({"type":"object","properties":{}})", {}},
      [](std::string_view, const agent::host::ToolContext&) {
        return agent::host::ToolOutcome::success("12:00 UTC");
      }};
  agent::GenerateTextParams question;
  question.prompt = "What time is it?";
  const agent::host::ToolLoopResult loop =
      agent::host::runWithTools(runtime, agent::ModelType::TextSmall, question, {clock});
  if (!loop.result) return fail("tool loop", loop.result);
  for (const agent::ChatMessage& message : loop.transcript) {
    for (const agent::ToolCall& call : message.toolCalls) {
      std::cout << "tool call: " << call.name << " " << call.arguments << "\n";
    }
    if (message.role == "tool") std::cout << "tool result: " << message.content << "\n";
  }
  std::cout << "tools: " << loop.result.output().text << " (" << loop.steps << " steps)\n";
  return 0;
}
