// StandinConnection: serves one TCP connection: requests one after another until the client
// closes, asks to close, a fault ends it, or the stand-in stops.
#pragma once

#include <Poco/Net/StreamSocket.h>

#include "RequestRouter.hpp"
#include "StandinState.hpp"

namespace agent::standin {

class StandinConnection {
 public:
  StandinConnection(Poco::Net::StreamSocket& socket, StandinState& state,
                    const RequestRouter& router)
      : socket_(socket), state_(state), router_(router) {}

  void run();

 private:
  Poco::Net::StreamSocket& socket_;
  StandinState& state_;
  const RequestRouter& router_;
};

}  // namespace agent::standin
