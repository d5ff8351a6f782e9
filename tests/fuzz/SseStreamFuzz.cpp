// Fuzzes the streaming path: SseParser framing fed in arbitrary chunks, and each event's data
// through StreamAccumulator (the per-frame JSON parser), as ChatStreamReader does.
// Input: byte 0 seeds the chunk sizes, the rest is the stream.
// Properties: events and tool calls do not depend on how the bytes were split (one feed vs
// many), the accumulated text is exactly the concatenation of the Content steps, each tool call
// is handed out at most once, and a malformed frame's description is one line
// without the key.
#include <string>
#include <vector>

#include "FuzzSupport.hpp"
#include "chat/StreamAccumulator.hpp"
#include "transport/SseParser.hpp"

namespace {

struct Run {
  std::vector<std::string> events;  // "type|id|data" of every dispatched event
  std::string text;
  std::string contents;                // the Content steps, joined
  std::vector<std::string> handedOut;  // "id|name|arguments" of each complete tool call
  std::vector<std::string> toolCalls;  // the same for every call at the end
};

std::string describeCall(const agent::ToolCall& call) {
  return call.id + "|" + call.name + "|" + call.arguments;
}

Run play(std::string_view stream, const std::vector<std::size_t>& cuts) {
  using namespace agent::bitrouter;
  const Redactor redactor{std::string(agent::fuzz::kSecret)};
  SseParser parser;
  StreamAccumulator accumulator;
  Run run;
  bool stopped = false;
  auto onEvent = [&](const SseEvent& event) {
    run.events.push_back(std::string(event.type) + "|" + std::string(event.id) + "|" +
                         std::string(event.data));
    switch (accumulator.onData(event.data, redactor)) {
      case StreamAccumulator::Step::Content:
        run.contents.append(accumulator.lastContent());
        while (agent::ToolCall* call = accumulator.toolCalls().nextComplete())
          run.handedOut.push_back(describeCall(*call));
        return true;
      case StreamAccumulator::Step::Malformed:
        FUZZ_CHECK(agent::fuzz::isOneLine(accumulator.problem()), "problem is one line");
        FUZZ_CHECK(!agent::fuzz::contains(accumulator.problem(), agent::fuzz::kSecret),
                   "the key never comes out of a malformed frame");
        return true;
      case StreamAccumulator::Step::Error:
        FUZZ_CHECK(!agent::fuzz::contains(accumulator.error().message, agent::fuzz::kSecret),
                   "the key never comes out of an error frame");
        return true;
      case StreamAccumulator::Step::Done:
      case StreamAccumulator::Step::Continue:
        return true;
    }
    return true;
  };
  std::size_t at = 0;
  for (const std::size_t cut : cuts) {
    if (stopped) break;
    const std::size_t length = std::min(cut, stream.size() - at);
    stopped = !parser.feed(stream.substr(at, length), onEvent);
    at += length;
  }
  if (!stopped && at < stream.size()) parser.feed(stream.substr(at), onEvent);
  run.text = accumulator.text();
  for (const agent::ToolCall& call : accumulator.toolCalls().calls())
    run.toolCalls.push_back(describeCall(call));
  return run;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view stream = agent::fuzz::asText(data + 1, size - 1);
  // Chunk sizes from a tiny generator seeded by byte 0: 1..16 bytes, including single bytes so
  // CR LF pairs and BOMs get split.
  std::vector<std::size_t> cuts;
  unsigned state = data[0] | 1u;
  for (std::size_t total = 0; total < stream.size();) {
    state = state * 1103515245u + 12345u;
    const std::size_t cut = 1 + (state >> 16) % 16;
    cuts.push_back(cut);
    total += cut;
  }
  const Run whole = play(stream, {stream.size()});
  const Run pieces = play(stream, cuts);
  FUZZ_CHECK(whole.events == pieces.events, "events do not depend on the chunking");
  FUZZ_CHECK(whole.text == pieces.text, "text does not depend on the chunking");
  FUZZ_CHECK(whole.text == whole.contents, "text is the concatenation of the Content steps");
  FUZZ_CHECK(whole.toolCalls == pieces.toolCalls, "tool calls do not depend on the chunking");
  FUZZ_CHECK(whole.handedOut == pieces.handedOut, "complete calls do not depend on the chunking");
  FUZZ_CHECK(whole.handedOut.size() <= whole.toolCalls.size(), "each call is handed out once");
  return 0;
}
