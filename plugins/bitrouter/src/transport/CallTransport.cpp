#include "transport/CallTransport.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>

#include "agent/support/Text.hpp"
#include "chat/RetryPolicy.hpp"
#include "chat/TextExcerpt.hpp"
#include "transport/RequestHeaders.hpp"
#include "transport/RequestId.hpp"
#include "transport/TransportErrorMapper.hpp"

namespace agent::bitrouter {

using std::chrono::milliseconds;

namespace {

// The server's wait hint: retry-after-ms (OpenAI's extension, more precise when a server sends
// it) or Retry-After (seconds or HTTP-date).
std::optional<milliseconds> retryAfterFrom(const Poco::Net::HTTPResponse& response) {
  const std::string precise(text::trim(response.get("retry-after-ms", "")));
  std::uint64_t millis = 0;
  const auto [end, ec] = std::from_chars(precise.data(), precise.data() + precise.size(), millis);
  if (!precise.empty() && ec == std::errc() && end == precise.data() + precise.size()) {
    return milliseconds(static_cast<std::int64_t>(std::min<std::uint64_t>(millis, 604'800'000)));
  }
  const std::string value = response.get("Retry-After", "");
  if (value.empty()) return std::nullopt;
  return RetryPolicy::parseRetryAfter(value);
}

}  // namespace

bool ResponseHead::eventStream() const noexcept {
  const std::string_view type = text::trim(contentType);
  constexpr std::string_view kEventStream = "text/event-stream";
  return type.size() >= kEventStream.size() &&
         text::equalsIgnoreCase(type.substr(0, kEventStream.size()), kEventStream);
}

CallTransport::CallTransport(const BitRouterConfig& config, HttpSessionPool& pool,
                             DeadlineWatchdog& watchdog, Deadline deadline,
                             std::shared_ptr<CancellationToken> cancellation, const Log& log)
    : config_(config),
      pool_(pool),
      watchdog_(watchdog),
      deadline_(deadline),
      cancellation_(std::move(cancellation)),
      log_(log) {
  if (cancellation_) cancellationId_ = cancellation_->onCancel([this] { onCancel(); });
}

CallTransport::~CallTransport() {
  // When remove() returns the callback is not running and never will.
  if (cancellation_) cancellation_->remove(cancellationId_);
  release(false);
}

void CallTransport::onCancel() noexcept {
  // Runs on the cancelling thread: abort a blocked read, and wake a wait between attempts.
  watchdog_.fire(watch_, DeadlineWatchdog::Cause::Cancelled);
  { const std::lock_guard<std::mutex> lock(pauseMutex_); }
  pauseWake_.notify_all();
}

std::optional<CallFailure> CallTransport::stopped() const {
  if (cancelled() || deadline_.expired()) return stopFailure();
  return std::nullopt;
}

CallFailure CallTransport::stopFailure() const {
  if (cancelled()) {
    CallFailure failure = CallFailure::make(ErrorKind::Cancelled, "the call was cancelled");
    failure.error.retryable = false;
    return failure;
  }
  return TransportErrorMapper::deadline(context());
}

TransportContext CallTransport::context() const {
  return TransportContext{config_.baseUrl, config_.connectTimeout, deadline_.budget(),
                          deadline_.expired(), deadline_.source()};
}

CallBuffers& CallTransport::buffers() {
  if (!lease_) lease_.emplace(pool_.acquire());
  return lease_->buffers();
}

void CallTransport::prepareHeaders(const Request& request) {
  Poco::Net::HTTPRequest& headers = lease_->request();
  if (request.method == Method::ChatCompletion) {
    RequestHeaders::chat(headers, config_, requestId_, request.stream, request.body.size());
  } else {
    RequestHeaders::models(headers, config_, requestId_);
  }
}

Expected<ResponseHead, CallFailure> CallTransport::send(const Request& request) {
  buffers();  // leases a connection when none is held
  for (bool reconnected = false;;) {
    bool stale = false;
    Expected<ResponseHead, CallFailure> head = sendOnce(request, stale);
    if (head) return head;
    watch_.disarm();
    if (stale && lease_->reused() && !reconnected) {
      // The keep-alive race, caught while sending: the server closed the idle connection, so it
      // cannot have the whole request. Sending it on a fresh connection is safe and is not a
      // retry. (A failure once the request is written is never replayed.)
      if (log_)
        log_(LogLevel::Debug, "kept-alive connection to BitRouter was closed; reconnecting");
      lease_->resetConnection();
      reconnected = true;
      continue;
    }
    release(false);
    return head;
  }
}

Expected<ResponseHead, CallFailure> CallTransport::sendOnce(const Request& request, bool& stale) {
  if (std::optional<CallFailure> stop = stopped()) return std::move(*stop);
  requestId_ = newRequestId();  // fresh per request, even for the keep-alive replay
  prepareHeaders(request);

  Poco::Net::HTTPClientSession& session = lease_->session();
  SocketTimeouts& timeouts = lease_->timeouts();
  const milliseconds remaining = deadline_.remaining();
  const milliseconds connectTimeout = std::min(config_.connectTimeout, remaining);
  TransportPhase phase = TransportPhase::Send;
  try {
    // Poco applies these at (re)connect; a kept-alive socket gets its timeouts set directly.
    session.setTimeout(SocketTimeouts::timespan(connectTimeout),
                       SocketTimeouts::timespan(remaining), SocketTimeouts::timespan(remaining));
    const bool wasConnected = session.connected();
    if (wasConnected) timeouts.applySend(session.socket(), remaining);
    std::ostream& out = session.sendRequest(lease_->request());
    SocketDuplicate& duplicate = lease_->duplicate();
    if (!wasConnected) {
      timeouts.connected(remaining, remaining);
      duplicate.attach(session.socket());
    } else if (duplicate.descriptor() < 0) {
      duplicate.attach(session.socket());
    }
    // Should arming fail, every read still has its own timeout; only a trickling server could
    // then stretch the call (and a cancellation waits for the next read's timeout).
    watchdog_.arm(watch_, duplicate, deadline_.end());
    // A cancellation that came before the watch was armed found nothing to shut down; the body
    // is not sent then, so BitRouter never has the whole request.
    if (cancelled()) return stopFailure();
    if (request.method == Method::ChatCompletion) {
      out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
    }
    out.flush();
    if (!out.good()) {
      if (const Poco::Exception* network = session.networkException()) network->rethrow();
      throw Poco::IOException("the request body could not be written");
    }
    phase = TransportPhase::Receive;
    timeouts.applyReceive(session.socket(), deadline_.remaining());
    body_ = &session.receiveResponse(response_);
  } catch (const Poco::Exception& error) {
    // The watchdog shut the socket down: whatever Poco made of that, the call was stopped.
    if (fired()) return stopFailure();
    stale = TransportErrorMapper::isStaleConnection(error, phase);
    TransportContext where = context();
    where.connectTimeout = connectTimeout;
    return TransportErrorMapper::map(error, phase, where);
  }
  ResponseHead head;
  head.status = static_cast<int>(response_.getStatus());
  head.reason = response_.getReason();
  head.contentType = response_.getContentType();
  if (!head.success()) head.retryAfter = retryAfterFrom(response_);
  return head;
}

ReadResult CallTransport::read(char* buffer, std::size_t capacity, milliseconds idleLimit) {
  ReadResult result;
  if (cancelled() || fired()) {
    result.status = ReadResult::Status::Stopped;
    return result;
  }
  const milliseconds remaining = deadline_.remaining();
  if (remaining.count() <= 0) {
    result.status = ReadResult::Status::Stopped;
    return result;
  }
  const bool deadlineBound = remaining <= idleLimit;
  try {
    std::streambuf* source = body_->rdbuf();
    std::streamsize available = source->in_avail();
    if (available <= 0) {
      // One read with what is left: it either delivers bytes or reports the body's end.
      lease_->timeouts().applyReceive(lease_->session().socket(), std::min(remaining, idleLimit));
      if (source->sgetc() == std::char_traits<char>::eof()) {
        // The watchdog's EOF is not the end of the body.
        result.status = fired() ? ReadResult::Status::Stopped : ReadResult::Status::End;
        return result;
      }
      available = std::max<std::streamsize>(source->in_avail(), 1);
    }
    const auto wanted =
        std::min<std::streamsize>(available, static_cast<std::streamsize>(capacity));
    result.bytes = static_cast<std::size_t>(source->sgetn(buffer, wanted));
    result.status = ReadResult::Status::Data;
  } catch (const Poco::TimeoutException&) {
    // The watchdog (or the expiring deadline) ended a read that was bound by the idle allowance.
    result.status = fired() || deadlineBound || deadline_.expired()
                        ? ReadResult::Status::Stopped
                        : ReadResult::Status::IdleTimeout;
  } catch (const Poco::Exception& error) {
    if (fired()) {
      result.status = ReadResult::Status::Stopped;  // the shut-down socket's error
    } else {
      result.status = ReadResult::Status::Failed;
      result.detail = textExcerpt(error.displayText(), 160);
      result.failure = TransportErrorMapper::map(error, TransportPhase::Receive, context());
    }
  }
  return result;
}

Expected<BodyRead, CallFailure> CallTransport::readBody(std::string& out, std::size_t limit) {
  BodyRead outcome;
  out.clear();
  const Poco::Int64 promised = response_.hasContentLength() ? response_.getContentLength64() : -1;
  if (promised > static_cast<Poco::Int64>(limit)) {
    outcome.tooLarge = true;
    return outcome;
  }
  // A negative (malformed) length must not reach reserve(): read to the end instead.
  if (promised > 0) out.reserve(static_cast<std::size_t>(promised));
  std::array<char, CallBuffers::kReadBufferBytes>& buffer = lease_->buffers().read;
  for (;;) {
    // The deadline bounds each read; no separate idle allowance for a plain body.
    const ReadResult read = this->read(buffer.data(), buffer.size(), deadline_.budget());
    switch (read.status) {
      case ReadResult::Status::Data:
        out.append(buffer.data(), read.bytes);
        if (out.size() > limit) {
          outcome.tooLarge = true;
          return outcome;
        }
        continue;
      case ReadResult::Status::End: {
        // Only a body whose length was known and met (or a chunked one, which ends with its own
        // terminator) leaves the connection clean; after a malformed Content-Length the rest of
        // the body may still be waiting, and would be read as the next response.
        const auto received = static_cast<Poco::Int64>(out.size());
        outcome.reusable = response_.getChunkedTransferEncoding() || promised == received;
        if (promised > received) outcome.promisedBytes = promised;
        return outcome;
      }
      case ReadResult::Status::IdleTimeout:
      case ReadResult::Status::Stopped:
        return stopFailure();
      case ReadResult::Status::Failed:
        return std::move(*read.failure);
    }
  }
}

void CallTransport::release(bool reusable) noexcept {
  watch_.disarm();  // before the connection can be reused by anyone
  if (!lease_) return;
  // A socket the watchdog shut down is never reused, even when the reply was complete; nor is
  // one the server wants closed (Poco would otherwise reconnect under the watchdog's feet).
  if (!reusable || fired() || !response_.getKeepAlive()) lease_->discard();
  lease_.reset();
  body_ = nullptr;
}

bool CallTransport::pause(milliseconds wait) {
  std::unique_lock<std::mutex> lock(pauseMutex_);
  return !pauseWake_.wait_for(lock, wait, [this] { return cancelled(); });
}

std::string tooLargeMessage(std::size_t limit) {
  return "BitRouter's response exceeds " + std::to_string(limit) +
         " bytes (BITROUTER_MAX_RESPONSE_BYTES)";
}

CallFailure cutShortFailure(std::size_t received, std::int64_t promised) {
  return CallFailure::make(ErrorKind::Unavailable,
                           "BitRouter closed the connection after " + std::to_string(received) +
                               " of the " + std::to_string(promised) +
                               " bytes of its response body",
                           "check BitRouter's log (or a proxy in between); the request was "
                           "delivered, so it is not sent again");
}

}  // namespace agent::bitrouter
