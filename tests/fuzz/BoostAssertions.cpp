// Boost's assertion handler for the fuzz build (BOOST_ENABLE_ASSERT_HANDLER). The fuzz build keeps
// assertions on, and every Boost assertion still ends the run as assert() would, but one.
//
// Boost 1.74's Beast asserts `n >= 5` in basic_parser::parse_chunk_header when it is called again
// after the last chunk's "0\r\n" with the end of the trailer still missing. That holds only when a
// chunk with data came before (its CRLF is counted in). After an empty body it is called with 3 or
// 4 bytes when the rest trickles in ("0\r\n", then "\r", then "\n"), and the code after the
// assertion handles that: it finds no end of message and asks for more. Builds with NDEBUG, every
// build but this one, never evaluate it; later Beast versions assert 3 in that case.
// ResponseReader.AnEmptyChunkedBodyAtEverySplitEnds holds the behaviour.
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace boost {

void assertion_failed(const char* expression, const char* function, const char* file, long line) {
  if (std::strcmp(expression, "n >= 5") == 0 &&
      std::strstr(function, "parse_chunk_header") != nullptr) {
    return;
  }
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed.\n", file, line, function, expression);
  std::abort();
}

void assertion_failed_msg(const char* expression, const char* message, const char* function,
                          const char* file, long line) {
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed: %s\n", file, line, function, expression,
               message);
  std::abort();
}

}  // namespace boost
