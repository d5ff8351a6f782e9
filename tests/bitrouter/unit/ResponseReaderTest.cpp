// ResponseReader: Beast's parser over the reused buffer, fed as a socket feeds it - at every
// split, with garbage, cut bodies and chunks, and oversize headers.
#include "transport/ResponseReader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace agent::bitrouter {
namespace {

using Event = ResponseReader::Event;

struct Outcome {
  bool head = false;
  std::string body;
  Event end = Event::NeedMore;
};

// Feeds `input` in reads of at most `step` bytes (the rest of it at the first read when 0),
// then the end of the stream.
Outcome play(ResponseReader& reader, std::string_view input, std::size_t step = 0) {
  reader.start();
  Outcome outcome;
  std::size_t at = 0;
  for (;;) {
    Event event = reader.next();
    if (event == Event::NeedMore) {
      if (at == input.size()) {
        event = reader.eof();
      } else {
        const std::size_t size =
            std::min({step == 0 ? input.size() : step, input.size() - at, reader.spaceSize()});
        std::copy_n(input.data() + at, size, reader.space());
        reader.commit(size);
        at += size;
        continue;
      }
    }
    if (event == Event::Head) {
      outcome.head = true;
    } else if (event == Event::Body) {
      outcome.body.append(reader.body());
    } else if (event != Event::NeedMore) {
      outcome.end = event;
      return outcome;
    }
  }
}

const std::string kChunkedSse =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
    "16\r\ndata: {\"choices\":[]}\n\n\r\n"
    "e\r\ndata: [DONE]\n\n\r\n"
    "0\r\n\r\n";

TEST(ResponseReader, ContentLengthBodyAndTheHeadersThePluginReads) {
  ResponseReader reader;
  const Outcome outcome =
      play(reader,
           "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n"
           "Retry-After: 7\r\nretry-after-ms: 1500\r\nX-Other: 1\r\n"
           "Content-Length: 11\r\n\r\n{\"ok\":true}");
  EXPECT_TRUE(outcome.head);
  EXPECT_EQ(outcome.end, Event::End);
  EXPECT_EQ(outcome.body, "{\"ok\":true}");
  EXPECT_EQ(reader.head().status, 429);
  EXPECT_EQ(reader.head().reason, "Too Many Requests");
  EXPECT_EQ(reader.head().contentType, "application/json");
  EXPECT_EQ(reader.head().retryAfter, "7");
  EXPECT_EQ(reader.head().retryAfterMs, "1500");
  EXPECT_TRUE(reader.head().keepAlive);
  EXPECT_EQ(reader.head().contentLength, 11u);
}

TEST(ResponseReader, EverySplitGivesTheSameResponse) {
  ResponseReader reader;
  const Outcome whole = play(reader, kChunkedSse);
  ASSERT_EQ(whole.end, Event::End);
  EXPECT_EQ(whole.body, "data: {\"choices\":[]}\n\ndata: [DONE]\n\n");
  EXPECT_TRUE(reader.head().chunked);
  for (std::size_t step = 1; step < kChunkedSse.size(); ++step) {
    const Outcome split = play(reader, kChunkedSse, step);
    EXPECT_EQ(split.end, Event::End) << step;
    EXPECT_EQ(split.body, whole.body) << step;
  }
  // And every cut: a prefix ends as cut short, never as a whole response.
  for (std::size_t length = 1; length < kChunkedSse.size(); ++length) {
    const Outcome cut = play(reader, std::string_view(kChunkedSse).substr(0, length), 7);
    EXPECT_EQ(cut.end, Event::Failed) << length;
  }
}

// The parser is called again after the last chunk's "0\r\n" with fewer bytes than Boost 1.74's
// Beast asserts (found by the response_reader fuzz target; see tests/fuzz/BoostAssertions.cpp).
TEST(ResponseReader, AnEmptyChunkedBodyAtEverySplitEnds) {
  const std::string empty = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
  ResponseReader reader;
  for (std::size_t step = 0; step < empty.size(); ++step) {
    const Outcome outcome = play(reader, empty, step);
    EXPECT_EQ(outcome.end, Event::End) << step;
    EXPECT_TRUE(outcome.head) << step;
    EXPECT_EQ(outcome.body, "") << step;
  }
}

TEST(ResponseReader, TwoResponsesInOneReadLeaveTheSecondUnread) {
  // Only a server that answers twice does this; the first response still ends at its length.
  ResponseReader reader;
  const Outcome outcome =
      play(reader, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabHTTP/1.1 200 OK\r\n\r\n");
  EXPECT_EQ(outcome.end, Event::End);
  EXPECT_EQ(outcome.body, "ab");
}

TEST(ResponseReader, CutBodiesAreCutShort) {
  ResponseReader reader;
  Outcome outcome = play(reader, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort");
  EXPECT_EQ(outcome.end, Event::Failed);
  EXPECT_TRUE(reader.cutShort());
  EXPECT_EQ(outcome.body, "short");
  outcome = play(reader, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nonly part");
  EXPECT_EQ(outcome.end, Event::Failed);
  EXPECT_TRUE(reader.cutShort());
  EXPECT_EQ(outcome.body, "only part");
}

TEST(ResponseReader, ABodyUntilTheCloseEndsAtTheClose) {
  ResponseReader reader;
  const Outcome outcome =
      play(reader, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it");
  EXPECT_EQ(outcome.end, Event::End);
  EXPECT_EQ(outcome.body, "all of it");
  EXPECT_FALSE(reader.head().keepAlive);
}

TEST(ResponseReader, GarbageBadChunksAndBadLengthsFail) {
  ResponseReader reader;
  for (const std::string input :
       {"garbage that is not http\r\n\r\n", "HTTP/1.1 2OO OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nbad\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nreply",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc"}) {
    const Outcome outcome = play(reader, input);
    EXPECT_EQ(outcome.end, Event::Failed) << input;
    EXPECT_FALSE(reader.cutShort()) << input;
    EXPECT_FALSE(reader.problem().empty()) << input;
    EXPECT_EQ(reader.problem().find('\n'), std::string::npos) << reader.problem();
  }
}

TEST(ResponseReader, NothingAtAllIsToldApart) {
  ResponseReader reader;
  EXPECT_EQ(play(reader, "").end, Event::Failed);
  EXPECT_TRUE(reader.receivedNothing());
  EXPECT_EQ(play(reader, "HTTP/1.1 200").end, Event::Failed);
  EXPECT_FALSE(reader.receivedNothing());
  EXPECT_FALSE(reader.cutShort());
}

TEST(ResponseReader, LargeHeadersGrowTheBufferUpToTheLimit) {
  ResponseReader reader;
  const std::string big =
      "HTTP/1.1 200 OK\r\nX-Big: " + std::string(40000, 'a') + "\r\nContent-Length: 2\r\n\r\nok";
  Outcome outcome = play(reader, big, 1000);
  EXPECT_EQ(outcome.end, Event::End);
  EXPECT_EQ(outcome.body, "ok");
  const std::string huge =
      "HTTP/1.1 200 OK\r\nX-Big: " + std::string(ResponseReader::kMaxHeaderBytes + 10, 'a') +
      "\r\nContent-Length: 2\r\n\r\nok";
  outcome = play(reader, huge, 4096);
  EXPECT_EQ(outcome.end, Event::Failed);
  EXPECT_FALSE(reader.head().status == 200 && outcome.body == "ok");
}

TEST(ResponseReader, InterimResponsesAreSkipped) {
  ResponseReader reader;
  const Outcome outcome = play(
      reader, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 5);
  EXPECT_EQ(outcome.end, Event::End);
  EXPECT_EQ(reader.head().status, 200);
  EXPECT_EQ(outcome.body, "ok");
  // An interim response and then the close: no final response, and not "nothing at all".
  EXPECT_EQ(play(reader, "HTTP/1.1 100 Continue\r\n\r\n").end, Event::Failed);
  EXPECT_FALSE(reader.receivedNothing());
  EXPECT_FALSE(reader.cutShort());
}

TEST(ResponseReader, NoBodyStatusesEndAfterTheHead) {
  ResponseReader reader;
  const Outcome outcome = play(reader, "HTTP/1.1 204 No Content\r\n\r\n");
  EXPECT_TRUE(outcome.head);
  EXPECT_EQ(outcome.end, Event::End);
  EXPECT_EQ(outcome.body, "");
}

}  // namespace
}  // namespace agent::bitrouter
