#include "HttpRequestReader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>

#include <sys/socket.h>

namespace agent::standin {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Whether a comma-separated header value (e.g. Connection) lists `token`.
bool hasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    auto comma = value.find(',');
    if (iequals(trim(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

bool HttpRequestReader::fill() {
  int received = 0;
  try {
    received = socket_.receiveBytes(scratch_.data(), static_cast<int>(scratch_.size()));
  } catch (...) {  // reset, timeout, or shut down by stop(): all end this connection
    received = 0;
  }
  if (received <= 0) return false;
  buffer_.append(scratch_.data(), static_cast<std::size_t>(received));
  return true;
}

HttpRequestReader::Result HttpRequestReader::read(HttpRequest& request) {
  std::size_t headEnd = std::string::npos;
  std::size_t searchFrom = 0;
  for (;;) {
    // Tolerate stray CRLFs between requests (RFC 9112 §2.2).
    std::size_t skip = buffer_.find_first_not_of("\r\n");
    if (skip == std::string::npos) {
      buffer_.clear();
    } else if (skip > 0) {
      buffer_.erase(0, skip);
    }
    headEnd = buffer_.find("\r\n\r\n", searchFrom);
    if (headEnd != std::string::npos) break;
    if (buffer_.size() > kMaxHeadBytes) return Result::HeadTooLarge;
    searchFrom = buffer_.size() >= 3 ? buffer_.size() - 3 : 0;
    if (!fill()) return Result::Closed;
  }
  request.receivedAt = std::chrono::steady_clock::now();
  if (headEnd > kMaxHeadBytes) return Result::HeadTooLarge;

  Result parsed = parseHead(std::string_view(buffer_).substr(0, headEnd), request);
  buffer_.erase(0, headEnd + 4);
  if (parsed != Result::Request) return parsed;

  if (request.hasHeader("transfer-encoding")) return Result::LengthRequired;
  std::size_t length = 0;
  if (request.hasHeader("content-length")) {
    std::string_view value = trim(request.header("content-length"));
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (error != std::errc() || end != value.data() + value.size()) return Result::Malformed;
  }
  if (iequals(trim(request.header("expect")), "100-continue") && length > 0) {
    try {
      socket_.sendBytes("HTTP/1.1 100 Continue\r\n\r\n", 25, MSG_NOSIGNAL);
    } catch (...) {
      return Result::Closed;
    }
  }
  if (length > kMaxDrainBytes) return Result::BodyTooLarge;
  if (length > kMaxBodyBytes) {
    request.bodyTooLarge = true;
    return discardBody(length) ? Result::Request : Result::Closed;
  }
  return readBody(length, request) ? Result::Request : Result::Closed;
}

HttpRequestReader::Result HttpRequestReader::parseHead(std::string_view head,
                                                       HttpRequest& request) const {
  auto lineEnd = head.find("\r\n");
  std::string_view requestLine = head.substr(0, lineEnd);
  auto firstSpace = requestLine.find(' ');
  auto lastSpace = requestLine.rfind(' ');
  if (firstSpace == std::string_view::npos || lastSpace == firstSpace) return Result::Malformed;
  std::string_view version = requestLine.substr(lastSpace + 1);
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return Result::Malformed;
  request.method = std::string(requestLine.substr(0, firstSpace));
  request.target =
      std::string(trim(requestLine.substr(firstSpace + 1, lastSpace - firstSpace - 1)));
  if (request.method.empty() || request.target.empty()) return Result::Malformed;
  request.path = request.target.substr(0, request.target.find('?'));
  request.http10 = version == "HTTP/1.0";

  std::string_view rest =
      lineEnd == std::string_view::npos ? std::string_view() : head.substr(lineEnd + 2);
  while (!rest.empty()) {
    auto end = rest.find("\r\n");
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 2);
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return Result::Malformed;
    std::string name(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));
    auto [it, inserted] = request.headers.try_emplace(std::move(name), value);
    if (!inserted) it->second.append(", ").append(value);
  }

  const std::string& connection = request.header("connection");
  request.keepAlive =
      request.http10 ? hasToken(connection, "keep-alive") : !hasToken(connection, "close");
  return Result::Request;
}

bool HttpRequestReader::readBody(std::size_t length, HttpRequest& request) {
  std::size_t fromBuffer = std::min(length, buffer_.size());
  request.body.assign(buffer_, 0, fromBuffer);
  buffer_.erase(0, fromBuffer);
  if (fromBuffer == length) return true;
  // Large bodies are received straight into place rather than through buffer_.
  request.body.resize(length);
  std::size_t got = fromBuffer;
  while (got < length) {
    int received = 0;
    try {
      received = socket_.receiveBytes(request.body.data() + got,
                                      static_cast<int>(std::min(length - got, kReadChunk)));
    } catch (...) {
      received = 0;
    }
    if (received <= 0) return false;
    got += static_cast<std::size_t>(received);
  }
  return true;
}

bool HttpRequestReader::discardBody(std::size_t length) {
  std::size_t fromBuffer = std::min(length, buffer_.size());
  buffer_.erase(0, fromBuffer);
  std::size_t left = length - fromBuffer;
  while (left > 0) {
    int received = 0;
    try {
      received =
          socket_.receiveBytes(scratch_.data(), static_cast<int>(std::min(left, scratch_.size())));
    } catch (...) {
      received = 0;
    }
    if (received <= 0) return false;
    left -= static_cast<std::size_t>(received);
  }
  return true;
}

}  // namespace agent::standin
