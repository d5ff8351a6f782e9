#include "transport/ResponseReader.hpp"

#include <cstring>
#include <limits>
#include <optional>

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

namespace agent::bitrouter {

namespace http = boost::beast::http;
using boost::beast::error_code;
using boost::beast::string_view;

// Beast's parser, reporting into the reader. Only three headers are kept; body pieces are views
// into the reader's buffer, collected until put() returns.
class ResponseReader::Parser final : public http::basic_parser<false> {
 public:
  explicit Parser(ResponseReader& reader) : reader_(reader) {
    header_limit(static_cast<std::uint32_t>(kMaxHeaderBytes));
    // The plugin's own limits apply, above this. (Not boost::none: Boost 1.74 compares the length
    // with the optional itself, and any length is "more" than none.)
    body_limit(std::numeric_limits<std::uint64_t>::max());
  }

 private:
  void on_request_impl(http::verb, string_view, string_view, int, error_code&) override {}

  void on_response_impl(int code, string_view reason, int, error_code&) override {
    reader_.head_.status = code;
    reader_.head_.reason.assign(reason.data(), reason.size());
  }

  void on_field_impl(http::field name, string_view nameText, string_view value,
                     error_code&) override {
    HttpHead& head = reader_.head_;
    if (name == http::field::content_type) {
      head.contentType.assign(value.data(), value.size());
    } else if (name == http::field::retry_after) {
      head.retryAfter.assign(value.data(), value.size());
    } else if (name == http::field::unknown && nameText.size() == 14 &&
               boost::beast::iequals(nameText, "retry-after-ms")) {
      head.retryAfterMs.assign(value.data(), value.size());
    }
  }

  void on_header_impl(error_code&) override {
    HttpHead& head = reader_.head_;
    head.keepAlive = keep_alive();
    head.chunked = chunked();
    if (const auto length = content_length()) head.contentLength = *length;
    reader_.headDone_ = true;
  }

  void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code&) override {}

  std::size_t on_body_impl(string_view body, error_code&) override {
    reader_.pieces_.emplace_back(body.data(), body.size());
    return body.size();
  }

  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}

  std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override {
    reader_.pieces_.emplace_back(body.data(), body.size());
    return body.size();
  }

  void on_finish_impl(error_code&) override { reader_.finished_ = true; }

  ResponseReader& reader_;
};

ResponseReader::ResponseReader() : buffer_(kBufferBytes) {
  start();
}

ResponseReader::~ResponseReader() = default;

void ResponseReader::start() {
  // One parser per response (Beast's parsers are not reset), made in the same memory each time.
  if (!parser_) {
    parser_.reset(new Parser(*this));
  } else {
    parser_->~Parser();
    new (parser_.get()) Parser(*this);
  }
  begin_ = end_ = 0;
  received_ = 0;
  head_.status = 0;
  head_.reason.clear();
  head_.contentType.clear();
  head_.retryAfter.clear();
  head_.retryAfterMs.clear();
  head_.keepAlive = false;
  head_.chunked = false;
  head_.contentLength.reset();
  headDone_ = headReported_ = finished_ = cutShort_ = false;
  problem_.clear();
  pieces_.clear();
  nextPiece_ = 0;
  body_ = {};
  bodyBytes_ = 0;
}

void ResponseReader::makeRoom() {
  if (begin_ == end_) {
    begin_ = end_ = 0;
  } else if (begin_ > 0 && end_ == buffer_.size()) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  // A header larger than the buffer: Beast needs all of it at once.
  if (end_ == buffer_.size() && buffer_.size() < kMaxHeaderBytes + kBufferBytes) {
    buffer_.resize(buffer_.size() * 2);
  }
}

ResponseReader::Event ResponseReader::fail(std::string problem) {
  problem_ = std::move(problem);
  return Event::Failed;
}

ResponseReader::Event ResponseReader::next() {
  if (nextPiece_ < pieces_.size()) {
    body_ = pieces_[nextPiece_++];
    bodyBytes_ += body_.size();
    return Event::Body;
  }
  pieces_.clear();
  nextPiece_ = 0;
  body_ = {};
  if (!problem_.empty()) return Event::Failed;
  for (;;) {
    if (headDone_ && !headReported_) {
      if (head_.status >= 100 && head_.status < 200 && head_.status != 101) {
        // An interim response (100 Continue and the like): the real one follows.
        const std::size_t begin = begin_;
        const std::size_t end = end_;
        const std::uint64_t received = received_;
        start();
        begin_ = begin;
        end_ = end;
        received_ = received;
        continue;
      }
      headReported_ = true;
      return Event::Head;
    }
    if (nextPiece_ < pieces_.size()) return next();
    if (finished_) return Event::End;
    if (begin_ == end_) {
      makeRoom();
      return Event::NeedMore;
    }
    error_code error;
    const std::size_t used =
        parser_->put(boost::asio::const_buffer(buffer_.data() + begin_, end_ - begin_), error);
    begin_ += used;
    if (error && error != http::error::need_more) return fail(error.message());
    if (nextPiece_ < pieces_.size()) return next();  // before makeRoom() moves the bytes
    if (error || used == 0) {
      makeRoom();
      if (spaceSize() == 0) {
        return fail("the response header exceeds " + std::to_string(kMaxHeaderBytes) + " bytes");
      }
      return Event::NeedMore;
    }
  }
}

ResponseReader::Event ResponseReader::eof() {
  if (nextPiece_ < pieces_.size() || finished_) return next();
  if (received_ == 0 && end_ == 0) return fail("the connection closed before any response");
  // After an interim response the next parser may have nothing yet (Beast asserts on that).
  if (!parser_->got_some()) return fail("the connection closed before the final response");
  error_code error;
  parser_->put_eof(error);
  if (!error) {
    if (headDone_ && !headReported_) return next();  // a head with nothing after it
    return Event::End;
  }
  if (headDone_) {
    cutShort_ = true;
    return fail("the connection closed before the body ended");
  }
  return fail("the connection closed inside the response header");
}

}  // namespace agent::bitrouter
