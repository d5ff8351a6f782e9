#include "transport/BodyReader.hpp"

#include <algorithm>
#include <string>

#include <Poco/Exception.h>

namespace agent::bitrouter {

namespace {

[[noreturn]] void throwDeadline() {
  throw Poco::TimeoutException("the call's deadline passed (BITROUTER_TIMEOUT_MS)");
}

}  // namespace

std::size_t BodyReader::readSome(char* buffer, std::size_t capacity,
                                 std::chrono::milliseconds timeout) {
  if (fired()) throwDeadline();
  std::size_t n = 0;
  try {
    n = read(buffer, capacity, timeout);
  } catch (const Poco::Exception&) {
    if (fired()) throwDeadline();  // the shut-down socket's error, not the server's
    throw;
  }
  if (n == 0 && fired()) throwDeadline();  // the watchdog's EOF, not the end of the body
  return n;
}

std::size_t BodyReader::read(char* buffer, std::size_t capacity,
                             std::chrono::milliseconds timeout) {
  std::streambuf* source = body_.rdbuf();
  std::streamsize available = source->in_avail();
  if (available <= 0) {
    timeouts_.applyReceive(session_.socket(), timeout);
    if (source->sgetc() == std::char_traits<char>::eof()) return 0;  // one read, or the end
    available = std::max<std::streamsize>(source->in_avail(), 1);
  }
  const auto wanted = std::min<std::streamsize>(available, static_cast<std::streamsize>(capacity));
  return static_cast<std::size_t>(source->sgetn(buffer, wanted));
}

}  // namespace agent::bitrouter
