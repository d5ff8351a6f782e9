// ConnectionPoolOptions: how many keep-alive connections to BitRouter are kept, and for how long.
//
// A setting of the client (ClientOptions::pool) that the transport's ConnectionPool reads; it
// has a header of its own so that the transport does not include the client above it.
#pragma once

#include <chrono>
#include <cstddef>

namespace agent::bitrouter {

struct ConnectionPoolOptions {
  std::size_t maxIdle = 16;
  std::chrono::milliseconds idleTimeout{4000};
};

}  // namespace agent::bitrouter
