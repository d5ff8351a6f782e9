// BenchReport: the figures of one load run, printed as text or as one flat JSON object.
//
// `agent-host bench` and bench/http-floor print the same report, so the bench script can put
// them side by side. Keys are flat ("p50Us", not "latency.p50") so that a shell script can pick
// them out with sed/awk. Figures: latency percentiles (microseconds), calls per second, process
// CPU per call (user + system, every thread, this process only) and peak RSS.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>

#include "LatencyStats.hpp"
#include "LoadRunner.hpp"

namespace agent::bench {

struct BenchReport {
  std::string tool;       // "agent-host" or "http-floor"
  std::string provider;   // who served: a provider name, or "raw-http" for the floor
  std::string modelType;  // e.g. "TEXT_SMALL"; empty for the floor
  std::string model;      // the model string sent
  std::size_t requests = 0;
  std::size_t concurrency = 0;
  std::size_t warmupPerThread = 0;
  bool stream = false;

  std::size_t ok = 0;
  std::size_t errors = 0;
  std::size_t warmupErrors = 0;
  std::string firstError;

  double wallSeconds = 0;
  double callsPerSecond = 0;  // successful calls / wall time
  LatencyStats latency;
  double cpuUsPerCall = 0;  // process CPU during the run / calls made
  double peakRssKb = 0;
  std::optional<double> pluginLoadMs;   // agent-host only: discovery, load and init of plugins
  std::optional<double> chunksPerCall;  // streamed chunks per successful call

  /// The common figures of a finished run (latency samples are sorted in place). Reads the
  /// process's peak RSS now.
  static BenchReport from(LoadResult& result, const LoadOptions& options);

  void printText(std::ostream& out) const;
  void printJson(std::ostream& out) const;
};

}  // namespace agent::bench
