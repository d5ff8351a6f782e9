// BodyReader: reads a response body one socket read at a time, each with its own timeout.
//
// Poco's receive timeout is per read, not per call; giving every read what is left (of the
// call's deadline, or of the stream's idle allowance) is what makes those limits hold while the
// call is blocked in a read (SocketTimeouts skips the syscall when the socket already has about
// that value). Reading through the streambuf directly also hands over bytes as soon as one read
// delivers them, which streaming needs. Once the attempt's DeadlineWatchdog::Watch has fired, the
// EOF or error the shut-down socket produces is reported as a timeout, never as the body's end.
#pragma once

#include <chrono>
#include <cstddef>
#include <istream>

#include <Poco/Net/HTTPClientSession.h>

#include "transport/DeadlineWatchdog.hpp"
#include "transport/SocketTimeouts.hpp"

namespace agent::bitrouter {

class BodyReader {
 public:
  BodyReader(Poco::Net::HTTPClientSession& session, SocketTimeouts& timeouts, std::istream& body,
             const DeadlineWatchdog::Watch* watch = nullptr) noexcept
      : session_(session), timeouts_(timeouts), body_(body), watch_(watch) {}

  /// Up to `capacity` bytes from at most one socket read; 0 at the end of the body. Throws
  /// Poco::TimeoutException when `timeout` passes with no data or the watch has fired, or other
  /// Poco exceptions.
  std::size_t readSome(char* buffer, std::size_t capacity, std::chrono::milliseconds timeout);

 private:
  std::size_t read(char* buffer, std::size_t capacity, std::chrono::milliseconds timeout);
  bool fired() const noexcept { return watch_ != nullptr && watch_->fired(); }

  Poco::Net::HTTPClientSession& session_;
  SocketTimeouts& timeouts_;
  std::istream& body_;
  const DeadlineWatchdog::Watch* watch_;
};

}  // namespace agent::bitrouter
