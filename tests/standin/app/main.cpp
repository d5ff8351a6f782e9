// bitrouter-standin: serves the BitRouter stand-in until SIGINT/SIGTERM, for demos and benchmarks.
//
// A stand-in for tests and demos, not BitRouter. Prints one line,
//   bitrouter-standin listening on http://127.0.0.1:<port>
// so scripts started with --port 0 can parse the port. Faults are scripted over HTTP through the
// stand-in's own /_standin/* endpoints (see src/AdminHandler.hpp).
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include <pthread.h>

#include "BitRouterStandin.hpp"

namespace {

constexpr std::string_view kUsage =
    R"(usage: bitrouter-standin [options]
  --host ADDR                  listen address (default 127.0.0.1)
  --port N                     listen port; 0 picks a free one (default 4356)
  --require-key brvk_...       require this virtual key (repeatable; default: skip_auth)
  --model ID                   add ID to the catalog (repeatable; default catalog otherwise)
  --stream-frame-delay-ms N    pause between SSE frames (default 0)
  --keepalive-ms N             SSE keepalive interval (default 30000)
  --reply TEXT                 assistant text of every default reply
  --max-threads N              concurrent connections served (default 64)
Admin (stand-in only, not BitRouter): POST /_standin/script, GET /_standin/stats,
POST /_standin/reset.
)";

int usageError(std::string_view message) {
  std::cerr << "bitrouter-standin: " << message << "\n" << kUsage;
  return 64;  // EX_USAGE
}

bool parseNumber(std::string_view text, long max, long& out) {
  try {
    std::size_t used = 0;
    long value = std::stol(std::string(text), &used);
    if (used != text.size() || value < 0 || value > max) return false;
    out = value;
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  agent::standin::StandinOptions options;
  options.port = 4356;
  std::vector<std::string> models;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (i + 1 >= argc) return usageError("missing value for " + std::string(arg));
    std::string_view value = argv[++i];
    long number = 0;
    if (arg == "--host") {
      options.host = value;
    } else if (arg == "--port") {
      if (!parseNumber(value, 65535, number)) return usageError("bad --port");
      options.port = static_cast<std::uint16_t>(number);
    } else if (arg == "--require-key") {
      if (value.rfind("brvk_", 0) != 0) return usageError("--require-key needs a brvk_ key");
      options.skipAuth = false;
      options.validKeys.emplace_back(value);
    } else if (arg == "--model") {
      models.emplace_back(value);
    } else if (arg == "--stream-frame-delay-ms") {
      if (!parseNumber(value, 3600000, number)) return usageError("bad --stream-frame-delay-ms");
      options.streamFrameDelay = std::chrono::milliseconds(number);
    } else if (arg == "--keepalive-ms") {
      if (!parseNumber(value, 3600000, number)) return usageError("bad --keepalive-ms");
      options.keepaliveInterval = std::chrono::milliseconds(number);
    } else if (arg == "--reply") {
      options.replyText = std::string(value);
    } else if (arg == "--max-threads") {
      if (!parseNumber(value, 4096, number) || number < 1) return usageError("bad --max-threads");
      options.maxThreads = static_cast<int>(number);
    } else {
      return usageError("unknown option " + std::string(arg));
    }
  }
  if (!models.empty()) {
    options.catalog.clear();
    for (auto& id : models) {
      // "vendor/model" is declared by "vendor"; a bare id by the first configured provider.
      auto slash = id.find('/');
      std::string provider = slash != std::string::npos  ? id.substr(0, slash)
                             : options.providers.empty() ? "openai"
                                                         : options.providers.front();
      options.catalog.push_back({id, {provider}});
    }
  }

  // Block the termination signals before any thread starts, so that only sigwait() sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a client hanging up mid-write is an error return, not a death

  agent::standin::BitRouterStandin standin(options);
  try {
    standin.start();
  } catch (const std::exception& error) {
    std::cerr << "bitrouter-standin: cannot listen on " << options.host << ":" << options.port
              << ": " << error.what() << "\n";
    return 1;
  }
  std::cout << "bitrouter-standin listening on " << standin.baseUrl() << std::endl;

  int received = 0;
  sigwait(&signals, &received);
  standin.stop();
  std::cerr << "bitrouter-standin: stopped (" << standin.chatRequestCount() << " chat requests, "
            << standin.connectionCount() << " connections)\n";
  return 0;
}
