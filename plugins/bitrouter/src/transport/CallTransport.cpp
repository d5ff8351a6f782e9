#include "transport/CallTransport.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <utility>

#include "agent/support/Text.hpp"
#include "errors/TextExcerpt.hpp"
#include "transport/RequestId.hpp"
#include "transport/RetryAfter.hpp"
#include "transport/TlsContext.hpp"

namespace agent::bitrouter {

using std::chrono::milliseconds;

namespace {

// The server's wait hint: retry-after-ms (OpenAI's extension, more precise when a server sends
// it) or Retry-After (seconds or HTTP-date).
std::optional<milliseconds> retryAfterFrom(const HttpHead& head) {
  const std::string_view precise = text::trim(head.retryAfterMs);
  std::uint64_t millis = 0;
  const auto [end, ec] = std::from_chars(precise.data(), precise.data() + precise.size(), millis);
  if (!precise.empty() && ec == std::errc() && end == precise.data() + precise.size()) {
    return milliseconds(static_cast<std::int64_t>(std::min<std::uint64_t>(millis, 604'800'000)));
  }
  if (head.retryAfter.empty()) return std::nullopt;
  return parseRetryAfter(head.retryAfter);
}

}  // namespace

bool ResponseHead::eventStream() const noexcept {
  const std::string_view type = text::trim(contentType);
  constexpr std::string_view kEventStream = "text/event-stream";
  return type.size() >= kEventStream.size() &&
         text::equalsIgnoreCase(type.substr(0, kEventStream.size()), kEventStream);
}

CallTransport::CallTransport(const BitRouterConfig& config, const RequestHead& heads,
                             ConnectionPool& pool, DeadlineWatchdog& watchdog, Deadline deadline,
                             std::shared_ptr<CancellationToken> cancellation, const Log& log)
    : config_(config),
      heads_(heads),
      pool_(pool),
      watchdog_(watchdog),
      deadline_(deadline),
      cancellation_(std::move(cancellation)),
      log_(log) {
  if (cancellation_) {
    // Without it the waits still end at the deadline; only the cancel would not cut them short.
    wake_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    cancellationId_ = cancellation_->onCancel([this] { onCancel(); });
  }
}

CallTransport::~CallTransport() {
  // When remove() returns the callback is not running and never will.
  if (cancellation_) cancellation_->remove(cancellationId_);
  release(false);
  if (wake_ >= 0) ::close(wake_);
}

void CallTransport::onCancel() noexcept {
  // Runs on the cancelling thread: wake a wait on the connection, shut a TLS socket down (its
  // reads wait inside OpenSSL), and wake a wait between attempts.
  if (wake_ >= 0) {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(wake_, &one, sizeof one);
  }
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

CallFailure CallTransport::failure(const TransportError& error) const {
  // The watchdog shut the socket down: whatever the connection made of that, the call stopped.
  if (fired()) return stopFailure();
  TransportContext where = context();
  where.connectTimeout = std::min(config_.connectTimeout, deadline_.budget());
  return TransportErrorMapper::map(error, where);
}

Connection::Wait CallTransport::wait(milliseconds idleLimit) const {
  const auto end = deadline_.end();
  const auto idleEnd = Deadline::Clock::now() + idleLimit;
  return Connection::Wait{std::min(end, idleEnd), wake_};
}

CallBuffers& CallTransport::buffers() {
  if (!lease_) lease_.emplace(pool_.acquire());
  return lease_->slot().buffers;
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

std::optional<CallFailure> CallTransport::open(ConnectionPool::Slot& slot) {
  Connection& connection = slot.connection;
  const Connection::Status status =
      connection.connect(config_.baseUrl, config_.connectTimeout, wait(deadline_.budget()));
  if (status == Connection::Status::Woken || status == Connection::Status::TimedOut) {
    return stopFailure();
  }
  if (status == Connection::Status::Failed) {
    if (cancelled()) return stopFailure();
    return failure(connection.error());
  }
  if (const TlsContext* tls = pool_.tls()) {
    // The handshake reads and writes inside OpenSSL: watched from here on.
    slot.duplicate.attach(connection.socket());
    watchdog_.arm(watch_, slot.duplicate, deadline_.end());
    if (cancelled()) return stopFailure();
    const milliseconds limit = std::min(config_.connectTimeout, deadline_.remaining());
    if (connection.startTls(*tls, config_.baseUrl.host, limit) != Connection::Status::Done) {
      return failure(connection.error());
    }
  }
  return std::nullopt;
}

Expected<ResponseHead, CallFailure> CallTransport::sendOnce(const Request& request, bool& stale) {
  if (std::optional<CallFailure> stop = stopped()) return std::move(*stop);
  newRequestId(requestId_);  // fresh per request, even for the keep-alive replay
  responded_ = false;
  ConnectionPool::Slot& slot = lease_->slot();
  if (request.method == Method::ChatCompletion) {
    heads_.chat(slot.head, requestId_, request.traceparent, request.stream, request.body.size());
  } else {
    heads_.models(slot.head, requestId_);
  }

  Connection& connection = slot.connection;
  if (!connection.isOpen()) {
    if (std::optional<CallFailure> problem = open(slot)) return std::move(*problem);
  } else if (connection.isTls()) {
    if (slot.duplicate.descriptor() < 0) slot.duplicate.attach(connection.socket());
    watchdog_.arm(watch_, slot.duplicate, deadline_.end());
  }
  // Checked once more before the request goes out: a call cancelled by now (a TLS watch armed
  // after the cancel found nothing to shut down) never reaches BitRouter.
  if (cancelled()) return stopFailure();

  const std::string_view body =
      request.method == Method::ChatCompletion ? request.body : std::string_view();
  const Connection::Status sent = connection.send(slot.head, body, wait(deadline_.budget()));
  if (sent == Connection::Status::Failed) {
    stale = !fired() && TransportErrorMapper::isStaleConnection(connection.error());
    return failure(connection.error());
  }
  if (sent != Connection::Status::Done) return stopFailure();

  ResponseReader& reader = slot.reader;
  reader.start();
  const Connection::Wait answer = wait(deadline_.budget());
  for (bool first = true;;) {
    ResponseReader::Event event = reader.next();
    if (event == ResponseReader::Event::NeedMore) {
      std::size_t received = 0;
      const Connection::Status status =
          connection.receive(reader.space(), reader.spaceSize(), received, answer, first);
      first = false;
      if (status == Connection::Status::Failed) return failure(connection.error());
      if (status != Connection::Status::Done) return stopFailure();
      if (received > 0) {
        reader.commit(received);
        continue;
      }
      if (fired()) return stopFailure();  // the watchdog's shutdown reads as the end
      event = reader.eof();
    }
    if (event == ResponseReader::Event::Head) break;
    if (event == ResponseReader::Event::Failed) {
      return failure(TransportError{reader.receivedNothing()
                                        ? TransportError::Kind::NoAnswer
                                        : TransportError::Kind::InvalidResponse,
                                    reader.problem()});
    }
  }
  responded_ = true;
  const HttpHead& http = reader.head();
  ResponseHead head;
  head.status = http.status;
  head.reason = http.reason;
  head.contentType = http.contentType;
  if (!head.success()) head.retryAfter = retryAfterFrom(http);
  return head;
}

ReadResult CallTransport::read(milliseconds idleLimit) {
  ReadResult result;
  if (cancelled() || fired() || deadline_.expired()) {
    result.status = ReadResult::Status::Stopped;
    return result;
  }
  const bool deadlineBound = deadline_.remaining() <= idleLimit;
  ConnectionPool::Slot& slot = lease_->slot();
  ResponseReader& reader = slot.reader;
  const Connection::Wait limit = wait(idleLimit);
  for (;;) {
    ResponseReader::Event event = reader.next();
    if (event == ResponseReader::Event::NeedMore) {
      std::size_t received = 0;
      const Connection::Status status =
          slot.connection.receive(reader.space(), reader.spaceSize(), received, limit, false);
      switch (status) {
        case Connection::Status::Done:
          break;
        case Connection::Status::TimedOut:
          result.status = fired() || deadlineBound || deadline_.expired()
                              ? ReadResult::Status::Stopped
                              : ReadResult::Status::IdleTimeout;
          return result;
        case Connection::Status::Woken:
          result.status = ReadResult::Status::Stopped;
          return result;
        case Connection::Status::Failed:
          if (fired()) {
            result.status = ReadResult::Status::Stopped;  // the shut-down socket's error
          } else {
            result.status = ReadResult::Status::Failed;
            result.detail = textExcerpt(slot.connection.error().detail, 160);
            result.failure = failure(slot.connection.error());
          }
          return result;
      }
      if (received > 0) {
        reader.commit(received);
        continue;
      }
      if (fired()) {  // the watchdog's EOF is not the end of the body
        result.status = ReadResult::Status::Stopped;
        return result;
      }
      event = reader.eof();
    }
    switch (event) {
      case ResponseReader::Event::Body:
        result.status = ReadResult::Status::Data;
        result.data = reader.body();
        return result;
      case ResponseReader::Event::End:
        result.status = ReadResult::Status::End;
        return result;
      case ResponseReader::Event::Failed:
        if (reader.cutShort()) {
          result.status = ReadResult::Status::End;
          result.cut = true;
          return result;
        }
        result.status = ReadResult::Status::Failed;
        result.detail = textExcerpt(reader.problem(), 160);
        result.failure =
            failure(TransportError{TransportError::Kind::InvalidResponse, reader.problem()});
        return result;
      case ResponseReader::Event::Head:
      case ResponseReader::Event::NeedMore:
        continue;
    }
  }
}

Expected<BodyRead, CallFailure> CallTransport::readBody(std::string& out, std::size_t limit) {
  BodyRead outcome;
  out.clear();
  const std::optional<std::uint64_t> promised = lease_->slot().reader.head().contentLength;
  if (promised && *promised > limit) {
    outcome.tooLarge = true;
    return outcome;
  }
  if (promised && *promised > 0) out.reserve(static_cast<std::size_t>(*promised));
  for (;;) {
    // The deadline bounds each read; no separate idle allowance for a plain body.
    ReadResult read = this->read(deadline_.budget());
    switch (read.status) {
      case ReadResult::Status::Data:
        out.append(read.data);
        if (out.size() > limit) {
          outcome.tooLarge = true;
          return outcome;
        }
        continue;
      case ReadResult::Status::End:
        // Framed to its end (a length met, a chunked terminator): nothing of it is left.
        outcome.reusable = !read.cut;
        outcome.cut = read.cut;
        if (read.cut && promised) outcome.promisedBytes = static_cast<std::int64_t>(*promised);
        return outcome;
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
  // one the server wants closed.
  const bool keptAlive = !responded_ || lease_->slot().reader.head().keepAlive;
  if (!reusable || fired() || !keptAlive) lease_->discard();
  lease_.reset();
  responded_ = false;
}

bool CallTransport::pause(milliseconds wait) {
  std::unique_lock<std::mutex> lock(pauseMutex_);
  return !pauseWake_.wait_for(lock, wait, [this] { return cancelled(); });
}

std::string tooLargeMessage(std::size_t limit) {
  return "BitRouter's response exceeds " + std::to_string(limit) +
         " bytes (BITROUTER_MAX_RESPONSE_BYTES)";
}

CallFailure cutShortFailure(std::size_t received, std::optional<std::int64_t> promised) {
  return CallFailure::make(
      ErrorKind::Unavailable,
      "BitRouter closed the connection after " + std::to_string(received) +
          (promised ? " of the " + std::to_string(*promised) + " bytes of its response body"
                    : " bytes of its response body, before its end"),
      "check BitRouter's log (or a proxy in between); the request was delivered, so it is not "
      "sent again");
}

}  // namespace agent::bitrouter
