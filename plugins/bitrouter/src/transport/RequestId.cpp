#include "transport/RequestId.hpp"

#include <cstdint>
#include <random>

namespace agent::bitrouter {
namespace {

std::mt19937_64& generator() {
  // Trivially destructible, so no TLS destructor pins the plugin in memory after dlclose.
  thread_local std::mt19937_64 engine = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  return engine;
}

}  // namespace

std::string newRequestId() {
  std::string out;
  newRequestId(out);
  return out;
}

void newRequestId(std::string& out) {
  std::uint64_t high = generator()();
  std::uint64_t low = generator()();
  high = (high & 0xffffffffffff0fffull) | 0x0000000000004000ull;  // version 4
  low = (low & 0x3fffffffffffffffull) | 0x8000000000000000ull;    // RFC 4122 variant

  static constexpr char kHex[] = "0123456789abcdef";
  out.assign(36, '-');
  std::size_t pos = 0;
  auto put = [&](std::uint64_t value, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
      out[pos++] = kHex[(value >> (i * 4)) & 0xf];
    }
  };
  put(high, 16);
  put(low, 16);
}

}  // namespace agent::bitrouter
