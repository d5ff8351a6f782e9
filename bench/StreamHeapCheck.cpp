// bench-stream-heap: shows that a streamed call costs no heap allocation per chunk.
//
// Runs streamed useModel calls through the real host and the real bitrouter plugin (.so) against
// an in-process stand-in scripted to send F content frames, for F = N and F = 10 N, and counts
// the allocations the calling thread makes during each call (AllocationCounter replaces malloc in
// this executable; the stand-in's threads are not counted). The difference between the two,
// divided by the 9 N extra frames, is the cost of one more chunk. It should be about zero: the
// only thing that grows with the stream is the returned text itself (a std::string that doubles).
//
//   bench-stream-heap [--plugins-dir DIR] [--frames N] [--calls R] [--json]
#include <charconv>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "AllocationCounter.hpp"
#include "BitRouterStandin.hpp"
#include "agent/host/AgentHost.hpp"

namespace {

using agent::bench::AllocationCount;
using agent::bench::AllocationCounter;

struct Figures {
  std::size_t frames = 0;
  double allocationsPerCall = 0;
  double bytesPerCall = 0;
  double chunksPerCall = 0;
};

struct Options {
  std::string pluginsDir = AGENT_BENCH_PLUGINS_DIR;
  std::size_t frames = 100;
  std::size_t calls = 20;
  bool json = false;
};

std::optional<std::size_t> count(std::string_view text) {
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0) return std::nullopt;
  return value;
}

// F calls' worth of F-frame streams: each content delta is one short word, as models send them.
Figures measure(agent::host::AgentHost& host, agent::standin::BitRouterStandin& standin,
                std::size_t frames, std::size_t calls, std::string& error) {
  agent::standin::ResponseScript script;
  script.streamChunks.assign(frames, "token ");
  constexpr std::size_t kWarmup = 3;
  standin.scriptRepeated(script, static_cast<int>(calls + kWarmup));

  Figures figures;
  figures.frames = frames;
  std::size_t chunks = 0;
  AllocationCount total;
  for (std::size_t i = 0; i < kWarmup + calls; ++i) {
    agent::GenerateTextParams params;
    params.prompt = "Stream a long answer.";
    params.stream = true;
    std::size_t callChunks = 0;
    params.onChunk = [&callChunks](std::string_view) {
      ++callChunks;
      return true;
    };
    const bool measured = i >= kWarmup;
    if (measured) AllocationCounter::start();
    const agent::ModelResult result =
        host.runtime().useModel(agent::ModelType::TextSmall, std::move(params));
    const AllocationCount counted = AllocationCounter::stop();
    if (!result.ok()) {
      error = result.error().message;
      return figures;
    }
    if (!measured) continue;
    total.allocations += counted.allocations;
    total.bytes += counted.bytes;
    chunks += callChunks;
  }
  figures.allocationsPerCall = static_cast<double>(total.allocations) / static_cast<double>(calls);
  figures.bytesPerCall = static_cast<double>(total.bytes) / static_cast<double>(calls);
  figures.chunksPerCall = static_cast<double>(chunks) / static_cast<double>(calls);
  return figures;
}

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

int run(const Options& options) {
  agent::standin::BitRouterStandin standin;
  standin.start();

  agent::host::HostOptions hostOptions;
  hostOptions.pluginsDirectory = options.pluginsDir;
  const std::map<std::string, std::string, std::less<>> environment{
      {"BITROUTER_BASE_URL", standin.baseUrl()}};
  hostOptions.environment = [environment](std::string_view key) -> std::optional<std::string> {
    const auto found = environment.find(key);
    if (found == environment.end()) return std::nullopt;
    return found->second;
  };
  std::ostringstream logs;  // the plugin's "no API key" warning is expected
  hostOptions.logStream = &logs;
  hostOptions.logLevel = agent::LogLevel::Error;
  agent::host::AgentHost host(std::move(hostOptions));

  std::string error;
  const Figures small = measure(host, standin, options.frames, options.calls, error);
  const Figures large =
      error.empty() ? measure(host, standin, options.frames * 10, options.calls, error) : Figures{};
  if (!error.empty()) {
    std::cerr << "bench-stream-heap: the streamed call failed: " << error
              << " (is the bitrouter plugin built in " << options.pluginsDir << "?)\n";
    return 1;
  }
  const double extraFrames = static_cast<double>(large.frames - small.frames);
  const double allocationsPerFrame =
      (large.allocationsPerCall - small.allocationsPerCall) / extraFrames;
  const double bytesPerFrame = (large.bytesPerCall - small.bytesPerCall) / extraFrames;

  if (options.json) {
    std::cout << "{\"frames\":[" << small.frames << ',' << large.frames << "],"
              << "\"allocationsPerCall\":[" << fixed(small.allocationsPerCall, 2) << ','
              << fixed(large.allocationsPerCall, 2) << "],"
              << "\"bytesPerCall\":[" << fixed(small.bytesPerCall, 0) << ','
              << fixed(large.bytesPerCall, 0) << "],"
              << "\"chunksPerCall\":[" << fixed(small.chunksPerCall, 1) << ','
              << fixed(large.chunksPerCall, 1) << "],"
              << "\"allocationsPerFrame\":" << fixed(allocationsPerFrame, 4) << ','
              << "\"bytesPerFrame\":" << fixed(bytesPerFrame, 2) << "}\n";
  } else {
    for (const Figures& figures : {small, large}) {
      std::cout << "streamed call with " << figures.frames
                << " frames: " << fixed(figures.allocationsPerCall, 2) << " allocations, "
                << fixed(figures.bytesPerCall, 0) << " bytes (" << fixed(figures.chunksPerCall, 1)
                << " chunks delivered)\n";
    }
    std::cout << "per extra frame: " << fixed(allocationsPerFrame, 4) << " allocations, "
              << fixed(bytesPerFrame, 2)
              << " bytes (the returned text grows by 6 bytes a frame, in doubling steps)\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--json") {
      options.json = true;
      continue;
    }
    if (i + 1 >= argc) {
      std::cerr << "usage: bench-stream-heap [--plugins-dir DIR] [--frames N] [--calls R] "
                   "[--json]\n";
      return 2;
    }
    const std::string_view value = argv[++i];
    std::optional<std::size_t> number = count(value);
    if (arg == "--plugins-dir") {
      options.pluginsDir = value;
    } else if (arg == "--frames" && number) {
      options.frames = *number;
    } else if (arg == "--calls" && number) {
      options.calls = *number;
    } else {
      std::cerr << "bench-stream-heap: bad option " << arg << ' ' << value << '\n';
      return 2;
    }
  }
  try {
    return run(options);
  } catch (const std::exception& error) {
    std::cerr << "bench-stream-heap: " << error.what() << '\n';
    return 1;
  }
}
