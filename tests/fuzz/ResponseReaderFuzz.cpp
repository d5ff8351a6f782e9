// Fuzzes the response reader: Beast's parser over the plugin's reused buffer, fed as a socket
// would feed it.
// Input: byte 0 seeds the read sizes, the rest is what the server sent before closing.
// Properties: the outcome (head, body bytes, how it ended) does not depend on how the bytes were
// split into reads (one read vs many), the body never holds more bytes than were sent, a head is
// reported at most once and before any body, and a problem is one line.
#include <algorithm>
#include <string>
#include <vector>

#include "FuzzSupport.hpp"
#include "transport/ResponseReader.hpp"

namespace {

struct Outcome {
  std::string head;  // "status|reason|content-type|keep-alive|chunked|length"
  std::string body;
  std::string end;  // "end", "cut", "failed", "nothing"
};

Outcome play(agent::bitrouter::ResponseReader& reader, std::string_view input,
             const std::vector<std::size_t>& sizes) {
  using Event = agent::bitrouter::ResponseReader::Event;
  reader.start();
  Outcome outcome;
  std::size_t at = 0;
  std::size_t turn = 0;
  bool heads = false;
  for (int guard = 0; guard < 1'000'000; ++guard) {
    Event event = reader.next();
    if (event == Event::NeedMore) {
      if (at == input.size()) {
        event = reader.eof();
      } else {
        const std::size_t want = sizes.empty() ? input.size() : sizes[turn++ % sizes.size()];
        const std::size_t size = std::min({want, input.size() - at, reader.spaceSize()});
        FUZZ_CHECK(reader.spaceSize() > 0, "NeedMore always leaves room to read into");
        std::copy_n(input.data() + at, size, reader.space());
        reader.commit(size);
        at += size;
        continue;
      }
    }
    switch (event) {
      case Event::Head: {
        FUZZ_CHECK(!heads, "one head per response");
        FUZZ_CHECK(outcome.body.empty(), "the head comes before the body");
        heads = true;
        const auto& head = reader.head();
        outcome.head = std::to_string(head.status) + "|" + head.reason + "|" + head.contentType +
                       "|" + (head.keepAlive ? "k" : "") + "|" + (head.chunked ? "c" : "") + "|" +
                       (head.contentLength ? std::to_string(*head.contentLength) : "");
        continue;
      }
      case Event::Body:
        FUZZ_CHECK(heads, "a body only after the head");
        outcome.body.append(reader.body());
        FUZZ_CHECK(outcome.body.size() <= input.size(), "no more body than bytes sent");
        continue;
      case Event::End:
        outcome.end = "end";
        return outcome;
      case Event::Failed:
        FUZZ_CHECK(agent::fuzz::isOneLine(reader.problem()), "the problem is one line");
        outcome.end = reader.receivedNothing() ? "nothing" : reader.cutShort() ? "cut" : "failed";
        return outcome;
      case Event::NeedMore:
        continue;
    }
  }
  FUZZ_CHECK(false, "the reader always comes to an end");
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const unsigned seed = data[0];
  const std::string_view input = agent::fuzz::asText(data + 1, size - 1);
  // The same reader for both runs: its buffer carries over, as on a pooled connection.
  static agent::bitrouter::ResponseReader reader;
  const Outcome whole = play(reader, input, {});
  std::vector<std::size_t> sizes;
  for (unsigned i = 0; i < 7; ++i)
    sizes.push_back(1 + ((seed * (i + 3) + i) % 23));
  const Outcome pieces = play(reader, input, sizes);
  FUZZ_CHECK(whole.head == pieces.head, "the head does not depend on the read sizes");
  FUZZ_CHECK(whole.body == pieces.body, "the body does not depend on the read sizes");
  FUZZ_CHECK(whole.end == pieces.end, "the end does not depend on the read sizes");
  return 0;
}
