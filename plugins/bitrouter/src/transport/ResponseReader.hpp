// ResponseReader: one HTTP/1.1 response, parsed from a reused buffer by Boost.Beast's parser.
//
// The connection reads into space() and commit()s what arrived; next() runs Beast's
// basic_parser::put over the buffered bytes and reports, one at a time, the head, each piece of
// the body (a view into the buffer, Content-Length, chunked or up to the close) and the end. No
// header is kept but the few the plugin reads; nothing is copied but those. The buffer and its
// capacity stay with the pooled connection from response to response; it grows only for a header
// larger than it (up to kMaxHeaderBytes). Free of sockets, so the fuzz target drives it directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agent::bitrouter {

/// The parts of a response head the plugin uses.
struct HttpHead {
  int status = 0;
  std::string reason;
  std::string contentType;
  std::string retryAfter;    // Retry-After, as sent ("" when absent)
  std::string retryAfterMs;  // retry-after-ms (OpenAI's extension)
  bool keepAlive = false;    // the server lets the connection serve another request
  bool chunked = false;
  std::optional<std::uint64_t> contentLength;
};

class ResponseReader {
 public:
  static constexpr std::size_t kBufferBytes = 16 * 1024;
  static constexpr std::size_t kMaxHeaderBytes = 64 * 1024;

  enum class Event {
    NeedMore,  // read more bytes into space()
    Head,      // head() is complete (1xx interim responses are skipped)
    Body,      // body() holds the next piece
    End,       // the response is complete; the connection holds nothing more of it
    Failed,    // not HTTP, or broken framing: problem()
  };

  ResponseReader();
  ~ResponseReader();
  ResponseReader(const ResponseReader&) = delete;
  ResponseReader& operator=(const ResponseReader&) = delete;

  /// Prepares for the next response on the connection. Bytes already buffered (there should be
  /// none) are dropped.
  void start();

  /// Free space to read into (never empty, unless a header passed kMaxHeaderBytes).
  char* space() noexcept { return buffer_.data() + end_; }
  std::size_t spaceSize() const noexcept { return buffer_.size() - end_; }
  void commit(std::size_t bytes) noexcept {
    end_ += bytes;
    received_ += bytes;
  }

  /// Parses what is buffered and says what happened. After Body, body() is valid until the next
  /// call to next(), eof() or space().
  Event next();
  /// The connection closed: End when the body was delimited by the close, else Failed (cut
  /// short: see cutShort()), or Failed with nothing received at all (see receivedNothing()).
  Event eof();

  const HttpHead& head() const noexcept { return head_; }
  bool headDone() const noexcept { return headDone_; }
  std::string_view body() const noexcept { return body_; }
  const std::string& problem() const noexcept { return problem_; }
  /// No byte of this response arrived.
  bool receivedNothing() const noexcept { return received_ == 0; }
  /// The head arrived, the body did not end (the connection closed first).
  bool cutShort() const noexcept { return cutShort_; }
  /// Body bytes handed out so far.
  std::uint64_t bodyBytes() const noexcept { return bodyBytes_; }

 private:
  class Parser;

  void makeRoom();
  Event fail(std::string problem);

  std::unique_ptr<Parser> parser_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // parsed up to here
  std::size_t end_ = 0;    // received up to here
  std::uint64_t received_ = 0;
  HttpHead head_;
  bool headDone_ = false;
  bool headReported_ = false;
  bool finished_ = false;
  bool cutShort_ = false;
  std::string problem_;
  std::vector<std::string_view> pieces_;  // body pieces of the last put(), handed out in order
  std::size_t nextPiece_ = 0;
  std::string_view body_;
  std::uint64_t bodyBytes_ = 0;
};

}  // namespace agent::bitrouter
