#include "transport/SocketTimeouts.hpp"

#include <algorithm>

namespace agent::bitrouter {
namespace {

using Milliseconds = SocketTimeouts::Milliseconds;

Milliseconds atLeastOne(Milliseconds value) {
  return std::max(value, Milliseconds(1));
}

}  // namespace

Poco::Timespan SocketTimeouts::timespan(Milliseconds value) noexcept {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(atLeastOne(value).count()) * 1000);
}

bool SocketTimeouts::closeEnough(Milliseconds current, Milliseconds wanted) noexcept {
  if (current.count() < 0) return false;
  const Milliseconds tolerance =
      std::clamp(Milliseconds(wanted.count() / 100), Milliseconds(1), Milliseconds(50));
  const Milliseconds difference = current > wanted ? current - wanted : wanted - current;
  return difference <= tolerance;
}

void SocketTimeouts::applySend(Poco::Net::StreamSocket& socket, Milliseconds wanted) {
  wanted = atLeastOne(wanted);
  if (closeEnough(send_, wanted)) return;
  socket.setSendTimeout(timespan(wanted));
  send_ = wanted;
}

void SocketTimeouts::applyReceive(Poco::Net::StreamSocket& socket, Milliseconds wanted) {
  wanted = atLeastOne(wanted);
  if (closeEnough(receive_, wanted)) return;
  socket.setReceiveTimeout(timespan(wanted));
  receive_ = wanted;
}

}  // namespace agent::bitrouter
