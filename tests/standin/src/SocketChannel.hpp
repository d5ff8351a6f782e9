// SocketChannel: the writing side of one connection, with the pauses and closes faults need.
//
// Every wait is interruptible by stop(), and every write reports failure as `false` instead of
// throwing, so handlers simply stop when the client went away or the stand-in is stopping.
#pragma once

#include <chrono>
#include <string_view>

#include <Poco/Net/StreamSocket.h>

#include "StandinState.hpp"

namespace agent::standin {

class SocketChannel {
 public:
  SocketChannel(Poco::Net::StreamSocket& socket, StandinState& state)
      : socket_(socket), state_(state) {}

  /// Writes all of `bytes` (one send per call, so each SSE frame leaves at once).
  bool send(std::string_view bytes);
  /// Writes `bytes` in pieces of `pieceSize` with `delay` between them.
  bool trickle(std::string_view bytes, std::size_t pieceSize, std::chrono::milliseconds delay);
  /// Sleeps unless the stand-in stops first (then false).
  bool pause(std::chrono::milliseconds delay) { return state_.waitFor(delay); }
  /// Says nothing until the client closes the connection or the stand-in stops.
  void holdSilently();
  /// Ends the connection with a FIN (the descriptor itself is closed by the connection's owner).
  void shutdown();

  StandinState& state() { return state_; }

 private:
  Poco::Net::StreamSocket& socket_;
  StandinState& state_;
};

}  // namespace agent::standin
