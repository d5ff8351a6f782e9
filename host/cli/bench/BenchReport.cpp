#include "BenchReport.hpp"

#include <cstdio>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "ProcessUsage.hpp"

namespace agent::bench {
namespace {

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

}  // namespace

BenchReport BenchReport::from(LoadResult& result, const LoadOptions& options) {
  BenchReport report;
  report.requests = options.requests;
  report.concurrency = options.concurrency;
  report.warmupPerThread = options.warmupPerThread;
  report.ok = result.ok;
  report.errors = result.errors;
  report.warmupErrors = result.warmupErrors;
  report.firstError = result.firstError;
  report.wallSeconds = std::chrono::duration<double>(result.wall).count();
  if (report.wallSeconds > 0) {
    report.callsPerSecond = static_cast<double>(result.ok) / report.wallSeconds;
  }
  report.latency = LatencyStats::from(result.latenciesNs);
  const std::size_t calls = result.ok + result.errors;
  if (calls > 0) {
    report.cpuUsPerCall = static_cast<double>(result.cpu.count()) / static_cast<double>(calls);
  }
  report.peakRssKb = static_cast<double>(ProcessUsage::now().peakRssKb);
  return report;
}

void BenchReport::printText(std::ostream& out) const {
  out << tool << " bench: " << provider;
  if (!modelType.empty()) out << ' ' << modelType;
  if (!model.empty()) out << " (" << model << ')';
  out << ", " << requests << " requests, concurrency " << concurrency << ", "
      << (stream ? "streaming" : "non-streaming") << '\n';
  out << "  calls        " << ok << " ok, " << errors << " errors";
  if (warmupErrors > 0) out << " (+" << warmupErrors << " failed warm-up calls)";
  out << '\n';
  out << "  latency us   p50 " << fixed(latency.p50Us, 1) << "  p90 " << fixed(latency.p90Us, 1)
      << "  p99 " << fixed(latency.p99Us, 1) << "  (min " << fixed(latency.minUs, 1) << ", max "
      << fixed(latency.maxUs, 1) << ", mean " << fixed(latency.meanUs, 1) << ")\n";
  out << "  throughput   " << fixed(callsPerSecond, 0) << " calls/s (wall " << fixed(wallSeconds, 3)
      << " s)\n";
  out << "  cpu          " << fixed(cpuUsPerCall, 1)
      << " us/call (user+sys of this process, all threads)\n";
  out << "  peak RSS     " << fixed(peakRssKb / 1024.0, 1) << " MB\n";
  if (chunksPerCall) out << "  chunks       " << fixed(*chunksPerCall, 1) << " per call\n";
  if (pluginLoadMs) {
    out << "  plugin load  " << fixed(*pluginLoadMs, 2)
        << " ms (discovery, load and init of all plugins)\n";
  }
  if (!firstError.empty()) out << "  first error  " << firstError << '\n';
}

void BenchReport::printJson(std::ostream& out) const {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  const auto string = [&writer](const char* key, const std::string& value) {
    writer.Key(key);
    writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  };
  const auto count = [&writer](const char* key, std::size_t value) {
    writer.Key(key);
    writer.Uint64(value);
  };
  const auto number = [&writer](const char* key, double value, int decimals) {
    writer.Key(key);
    // Rounded so the object stays readable; the figures are not that precise anyway.
    const std::string text = fixed(value, decimals);
    writer.RawValue(text.data(), text.size(), rapidjson::kNumberType);
  };
  writer.StartObject();
  string("tool", tool);
  string("provider", provider);
  string("modelType", modelType);
  string("model", model);
  count("requests", requests);
  count("concurrency", concurrency);
  count("warmupPerThread", warmupPerThread);
  writer.Key("stream");
  writer.Bool(stream);
  count("ok", ok);
  count("errors", errors);
  count("warmupErrors", warmupErrors);
  writer.Key("firstError");
  if (firstError.empty()) {
    writer.Null();
  } else {
    writer.String(firstError.data(), static_cast<rapidjson::SizeType>(firstError.size()));
  }
  number("wallSeconds", wallSeconds, 6);
  number("callsPerSecond", callsPerSecond, 1);
  number("p50Us", latency.p50Us, 1);
  number("p90Us", latency.p90Us, 1);
  number("p99Us", latency.p99Us, 1);
  number("minUs", latency.minUs, 1);
  number("maxUs", latency.maxUs, 1);
  number("meanUs", latency.meanUs, 1);
  number("cpuUsPerCall", cpuUsPerCall, 2);
  number("peakRssKb", peakRssKb, 0);
  writer.Key("pluginLoadMs");
  if (pluginLoadMs) {
    const std::string text = fixed(*pluginLoadMs, 3);
    writer.RawValue(text.data(), text.size(), rapidjson::kNumberType);
  } else {
    writer.Null();
  }
  writer.Key("chunksPerCall");
  if (chunksPerCall) {
    const std::string text = fixed(*chunksPerCall, 2);
    writer.RawValue(text.data(), text.size(), rapidjson::kNumberType);
  } else {
    writer.Null();
  }
  writer.EndObject();
  out << buffer.GetString() << '\n';
}

}  // namespace agent::bench
