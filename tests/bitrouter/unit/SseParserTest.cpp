#include "transport/SseParser.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace agent::bitrouter {
namespace {

struct Collected {
  std::vector<std::string> data;
  std::vector<std::string> types;
  std::vector<std::string> ids;
};

// Feeds `chunks` one after another and collects every event.
Collected feedAll(const std::vector<std::string>& chunks) {
  SseParser parser;
  Collected out;
  for (const std::string& chunk : chunks) {
    parser.feed(chunk, [&](const SseEvent& event) {
      out.data.emplace_back(event.data);
      out.types.emplace_back(event.type);
      out.ids.emplace_back(event.id);
      return true;
    });
  }
  return out;
}

const std::string kBitRouterStream =
    ": connected\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},"
    "\"finish_reason\":null}]}\n\n"
    ":keepalive\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":null}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
    "data: [DONE]\n\n";

const std::vector<std::string> kExpected = {
    "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},"
    "\"finish_reason\":null}]}",
    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":null}]}",
    "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
    "[DONE]",
};

std::string withCrlf(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

TEST(SseParser, WholeStreamInOneChunk) {
  EXPECT_EQ(feedAll({kBitRouterStream}).data, kExpected);
}

TEST(SseParser, EverySplitPointOfTheSample) {
  for (std::size_t split = 0; split <= kBitRouterStream.size(); ++split) {
    EXPECT_EQ(feedAll({kBitRouterStream.substr(0, split), kBitRouterStream.substr(split)}).data,
              kExpected)
        << "split at " << split;
  }
}

TEST(SseParser, EverySplitPointWithCrlf) {
  const std::string crlf = withCrlf(kBitRouterStream);
  for (std::size_t split = 0; split <= crlf.size(); ++split) {
    EXPECT_EQ(feedAll({crlf.substr(0, split), crlf.substr(split)}).data, kExpected)
        << "split at " << split;
  }
}

TEST(SseParser, OneByteAtATime) {
  std::vector<std::string> bytes;
  for (const char c : withCrlf(kBitRouterStream))
    bytes.emplace_back(1, c);
  EXPECT_EQ(feedAll(bytes).data, kExpected);
}

TEST(SseParser, CrLfSplitAcrossChunksIsOneLineEnd) {
  // "data: a\r" | "\ndata: b\r\n\r\n": the LF after a chunk-final CR is not an empty line.
  const Collected out = feedAll({"data: a\r", "\ndata: b\r\n\r\n"});
  ASSERT_EQ(out.data.size(), 1u);
  EXPECT_EQ(out.data[0], "a\nb");
}

TEST(SseParser, BareCrEndsLinesToo) {
  EXPECT_EQ(feedAll({"data: x\r\rdata: y\r\r"}).data, (std::vector<std::string>{"x", "y"}));
}

TEST(SseParser, CommentsAndKeepalivesAreIgnored) {
  EXPECT_TRUE(feedAll({":keepalive\n\n", ": comment\n", ":\n\n"}).data.empty());
  EXPECT_EQ(feedAll({":keepalive\ndata: x\n\n"}).data, std::vector<std::string>{"x"});
}

TEST(SseParser, MultiLineDataIsJoinedWithNewline) {
  EXPECT_EQ(feedAll({"data: line 1\ndata: line 2\ndata:line 3\n\n"}).data,
            std::vector<std::string>{"line 1\nline 2\nline 3"});
}

TEST(SseParser, OnlyOneLeadingSpaceIsStripped) {
  EXPECT_EQ(feedAll({"data:  two spaces\n\n"}).data, std::vector<std::string>{" two spaces"});
  EXPECT_EQ(feedAll({"data:nospace\n\n"}).data, std::vector<std::string>{"nospace"});
}

TEST(SseParser, EmptyDataStillDispatches) {
  EXPECT_EQ(feedAll({"data:\n\n"}).data, std::vector<std::string>{""});
  EXPECT_EQ(feedAll({"data\n\n"}).data, std::vector<std::string>{""});
}

TEST(SseParser, OtherFieldsAreIgnoredButEventAndIdAreReported) {
  const Collected out = feedAll({"event: update\nid: 7\nretry: 1000\nfoo: bar\ndata: x\n\n"});
  ASSERT_EQ(out.data.size(), 1u);
  EXPECT_EQ(out.data[0], "x");
  EXPECT_EQ(out.types[0], "update");
  EXPECT_EQ(out.ids[0], "7");
  EXPECT_TRUE(feedAll({"event: lonely\n\n"}).data.empty());  // no data, no event
}

TEST(SseParser, EventTypeDoesNotLeakIntoTheNextEvent) {
  const Collected out = feedAll({"event: a\ndata: 1\n\ndata: 2\n\n"});
  EXPECT_EQ(out.types, (std::vector<std::string>{"a", ""}));
}

TEST(SseParser, IncompleteEventAtTheEndIsNotDispatched) {
  EXPECT_TRUE(feedAll({"data: partial"}).data.empty());
  EXPECT_TRUE(feedAll({"data: partial\n"}).data.empty());
}

TEST(SseParser, LeadingBomIsSkippedEvenWhenSplit) {
  EXPECT_EQ(feedAll({"\xEF\xBB\xBF"
                     "data: x\n\n"})
                .data,
            std::vector<std::string>{"x"});
  EXPECT_EQ(feedAll({"\xEF", "\xBB", "\xBF", "data: x\n\n"}).data, std::vector<std::string>{"x"});
  // A BOM-like prefix that is not a BOM is kept as line content.
  EXPECT_EQ(feedAll({"\xEF", "data: x\n\n"}).data.size(), 0u);
}

TEST(SseParser, StopFromTheCallbackDropsTheRest) {
  SseParser parser;
  int seen = 0;
  const bool more = parser.feed("data: 1\n\ndata: 2\n\n", [&](const SseEvent&) {
    ++seen;
    return false;
  });
  EXPECT_FALSE(more);
  EXPECT_EQ(seen, 1);
}

TEST(SseParser, ResetForgetsPartialState) {
  SseParser parser;
  std::vector<std::string> data;
  auto collect = [&](const SseEvent& event) {
    data.emplace_back(event.data);
    return true;
  };
  parser.feed("data: stale\r", collect);
  parser.reset();
  parser.feed("\ndata: fresh\n\n", collect);
  EXPECT_EQ(data, std::vector<std::string>{"fresh"});
}

TEST(SseParser, BuffersAreReusedWithoutGrowth) {
  SseParser parser;
  const std::string frame = "data: " + std::string(100, 'x') + "\n\n";
  std::size_t events = 0;
  for (int i = 0; i < 1000; ++i) {
    parser.feed(frame.substr(0, 50), [&](const SseEvent&) { return true; });
    parser.feed(frame.substr(50), [&](const SseEvent&) {
      ++events;
      return true;
    });
  }
  EXPECT_EQ(events, 1000u);
  EXPECT_EQ(parser.pendingBytes(), 0u);
}

TEST(SseParser, RandomSplitPointsFuzz) {
  const std::string crlf = withCrlf(kBitRouterStream);
  std::mt19937 random(12345);
  for (int round = 0; round < 2000; ++round) {
    const std::string& source = (round % 2 == 0) ? kBitRouterStream : crlf;
    std::vector<std::string> chunks;
    std::size_t pos = 0;
    while (pos < source.size()) {
      const std::size_t length = 1 + random() % 40;
      chunks.push_back(source.substr(pos, length));
      pos += length;
    }
    ASSERT_EQ(feedAll(chunks).data, kExpected) << "round " << round;
  }
}

}  // namespace
}  // namespace agent::bitrouter
