// RecordedRequest: one HTTP request as the BitRouter stand-in received it, for tests to assert on
// (what the client under test really sent). Part of the stand-in test double, not of BitRouter.
#pragma once

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <string>
#include <string_view>

namespace agent::standin {

/// Orders header names case-insensitively (HTTP header names are case-insensitive).
struct CaseInsensitiveLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return std::tolower(static_cast<unsigned char>(x)) <
             std::tolower(static_cast<unsigned char>(y));
    });
  }
};

/// Header name -> value. Repeated headers are joined with ", " as HTTP allows.
using HeaderMap = std::map<std::string, std::string, CaseInsensitiveLess>;

struct RecordedRequest {
  std::string method;
  std::string path;  // without the query string
  HeaderMap headers;
  std::string body;
  std::chrono::steady_clock::time_point receivedAt;
};

}  // namespace agent::standin
