#include "agent/bitrouter/BodyReader.hpp"

#include <algorithm>
#include <string>

namespace agent::bitrouter {

std::size_t BodyReader::readSome(char* buffer, std::size_t capacity,
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
