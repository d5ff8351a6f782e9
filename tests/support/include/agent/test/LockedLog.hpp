// LockedLog: an output stream whose text a test may read while another thread writes to it.
//
// A host logs from more than the test's thread (the BitRouter plugin's init probe reports from
// a thread of its own), so a plain std::ostringstream read between calls would race with it.
#pragma once

#include <cstddef>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>

namespace agent::test {

class LockedLog : public std::ostream {
 public:
  LockedLog() : std::ostream(&buffer_) {}

  /// Everything written so far.
  std::string text() const { return buffer_.text(); }

 private:
  class Buffer : public std::streambuf {
   public:
    std::string text() const {
      const std::lock_guard<std::mutex> lock(mutex_);
      return text_;
    }

   protected:
    int_type overflow(int_type c) override {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (!traits_type::eq_int_type(c, traits_type::eof())) text_.push_back(static_cast<char>(c));
      return traits_type::not_eof(c);
    }
    std::streamsize xsputn(const char* data, std::streamsize size) override {
      const std::lock_guard<std::mutex> lock(mutex_);
      text_.append(data, static_cast<std::size_t>(size));
      return size;
    }

   private:
    mutable std::mutex mutex_;
    std::string text_;
  };

  Buffer buffer_;
};

}  // namespace agent::test
