#include "exporter/BatchExporter.hpp"

#include <algorithm>

namespace agent::otel {
namespace {

constexpr auto kWarningInterval = std::chrono::minutes(1);
constexpr std::string_view kSource = "otel";

}  // namespace

BatchExporter::BatchExporter(const OtelSettings& settings, ExportOrigin origin,
                             const GenAiMetrics& metrics, const HostServices& host)
    : settings_(settings),
      origin_(std::move(origin)),
      metrics_(metrics),
      host_(host),
      client_(settings.headers),
      thread_([this] { run(); }) {}

BatchExporter::~BatchExporter() {
  {
    MutexLock lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
    // The final flush has its own budget; past it (and a little slack) the export in progress is
    // cut off, so a hanging collector cannot hold the host's exit.
    const auto giveUp = Clock::now() + settings_.shutdownBudget + std::chrono::milliseconds(250);
    while (!finished_ && Clock::now() < giveUp)
      wake_.wait_until(mutex_, giveUp);
  }
  client_.abort();
  thread_.join();
}

void BatchExporter::enqueue(SpanData span) noexcept {
  try {
    MutexLock lock(mutex_);
    if (stopping_ || queue_.size() >= settings_.maxQueueSize) {
      ++dropped_;
      return;
    }
    queue_.push_back(std::move(span));
    if (queue_.size() == settings_.maxExportBatchSize) wake_.notify_all();
  } catch (...) {  // out of memory: the span is lost, the call goes on
  }
}

void BatchExporter::run() {
  auto nextSpans = Clock::now() + settings_.scheduleDelay;
  auto nextMetrics = Clock::now() + settings_.metricInterval;
  for (;;) {
    std::vector<SpanData> batch;
    bool metricsDue = false;
    {
      MutexLock lock(mutex_);
      const auto wakeAt = settings_.metrics ? std::min(nextSpans, nextMetrics) : nextSpans;
      while (!stopping_ && queue_.size() < settings_.maxExportBatchSize && Clock::now() < wakeAt)
        wake_.wait_until(mutex_, wakeAt);
      if (stopping_) break;
      const auto now = Clock::now();
      if (queue_.size() >= settings_.maxExportBatchSize || now >= nextSpans) {
        const std::size_t take = std::min(queue_.size(), settings_.maxExportBatchSize);
        batch.assign(std::make_move_iterator(queue_.begin()),
                     std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(take)));
        queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));
        if (now >= nextSpans) nextSpans = now + settings_.scheduleDelay;
      }
      if (now >= nextMetrics) {
        metricsDue = true;
        nextMetrics = now + settings_.metricInterval;
      }
    }
    if (!batch.empty()) sendSpans(std::move(batch), settings_.exportTimeout);
    if (metricsDue) sendMetrics(settings_.exportTimeout);
    reportDrops();
  }
  finalFlush();
  MutexLock lock(mutex_);
  finished_ = true;
  wake_.notify_all();
}

void BatchExporter::finalFlush() {
  const auto deadline = Clock::now() + settings_.shutdownBudget;
  const auto remaining = [&] {
    return std::min(settings_.exportTimeout,
                    std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
  };
  std::deque<SpanData> left;
  {
    MutexLock lock(mutex_);
    left.swap(queue_);
  }
  while (!left.empty() && remaining().count() > 0) {
    const std::size_t take = std::min(left.size(), settings_.maxExportBatchSize);
    std::vector<SpanData> batch(
        std::make_move_iterator(left.begin()),
        std::make_move_iterator(left.begin() + static_cast<std::ptrdiff_t>(take)));
    left.erase(left.begin(), left.begin() + static_cast<std::ptrdiff_t>(take));
    sendSpans(std::move(batch), remaining());
  }
  if (remaining().count() > 0) sendMetrics(remaining());
  {
    MutexLock lock(mutex_);
    dropped_ += left.size();  // what the budget left no time for
  }
  MutexLock lock(mutex_);
  if (dropped_ > 0) {
    host_.log(LogLevel::Warn, kSource,
              std::to_string(dropped_) +
                  " span(s) were dropped in all (the export queue was full or the exporter was "
                  "stopping)");
  }
}

void BatchExporter::sendSpans(std::vector<SpanData> spans, std::chrono::milliseconds timeout) {
  if (!settings_.traces || spans.empty()) return;
  const std::string body = encodeTraces(origin_, spans);
  noteResult("traces", traceFailures_, client_.post(*settings_.traces, body, timeout));
}

void BatchExporter::sendMetrics(std::chrono::milliseconds timeout) {
  if (!settings_.metrics || metrics_.empty()) return;
  const std::string body = encodeMetrics(origin_, metrics_.snapshot());
  noteResult("metrics", metricFailures_, client_.post(*settings_.metrics, body, timeout));
}

void BatchExporter::noteResult(const char* signal, FailureReport& report,
                               const Expected<Done, std::string>& result) {
  if (result) {
    if (report.failures > 0) {
      host_.log(LogLevel::Info, kSource,
                std::string("exporting ") + signal + " works again after " +
                    std::to_string(report.failures) + " failed export(s)");
    }
    report = FailureReport{};
    return;
  }
  ++report.failures;
  const auto now = Clock::now();
  if (report.lastWarning && now - *report.lastWarning < kWarningInterval) return;
  report.lastWarning = now;
  host_.log(LogLevel::Warn, kSource,
            std::string("cannot export ") + signal + ": " + result.error() + " (" +
                std::to_string(report.failures) +
                " failed export(s); calls are not affected; next warning in a minute at most)");
}

void BatchExporter::reportDrops() {
  std::uint64_t dropped = 0;
  {
    MutexLock lock(mutex_);
    dropped = dropped_;
  }
  if (dropped == reportedDrops_) return;
  const auto now = Clock::now();
  if (lastDropWarning_ && now - *lastDropWarning_ < kWarningInterval) return;
  lastDropWarning_ = now;
  reportedDrops_ = dropped;
  host_.log(LogLevel::Warn, kSource,
            std::to_string(dropped) + " span(s) dropped so far: the export queue (" +
                std::to_string(settings_.maxQueueSize) +
                " spans) was full; the collector is slow or down");
}

}  // namespace agent::otel
