// http-floor: the floor `agent-host bench` is compared with: the same chat calls, from the same
// number of threads, to the same server, over a minimal HTTP/1.1 keep-alive client on POSIX
// sockets (one connection per thread), with no host, no registry and no plugin.
//
//   http-floor [--url URL] [--model ID] [--prompt TEXT] [--requests N] [--concurrency C]
//              [--warmup N] [--stream] [--json]
//
// It prints the same report as `agent-host bench` (the same code computes it). --url defaults
// to BITROUTER_BASE_URL, then http://127.0.0.1:4356, as the plugin's does.
#include <netdb.h>
#include <sys/socket.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "BenchReport.hpp"
#include "FloorConnection.hpp"
#include "FloorRequest.hpp"
#include "LoadRunner.hpp"

namespace {

using agent::bench::BenchReport;
using agent::bench::FloorConnection;
using agent::bench::FloorRequest;
using agent::bench::LoadOptions;
using agent::bench::LoadRunner;

constexpr std::string_view kUsage = R"(usage: http-floor [options]
  --url URL          BitRouter (or stand-in) base URL, http:// only
                     (default: BITROUTER_BASE_URL, else http://127.0.0.1:4356)
  --model ID         model string sent (default gpt-4o-mini, the plugin's TEXT_SMALL)
  --prompt TEXT      user message (default: the same as agent-host bench)
  --requests N       measured calls (default 1000)
  --concurrency C    threads, one keep-alive connection each (default 1)
  --warmup N         unmeasured calls per thread first (default 5)
  --stream           ask for an SSE stream and read it to [DONE] and its end
  --json             print one JSON object (the same keys as agent-host bench --json)
)";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Url {
  std::string host;
  std::string port = "80";
  std::string prefix;  // path prefix without a trailing '/'
};

Url parseUrl(std::string_view text) {
  constexpr std::string_view kScheme = "http://";
  if (text.substr(0, kScheme.size()) != kScheme) throw UsageError("--url must start with http://");
  text.remove_prefix(kScheme.size());
  Url url;
  const std::size_t slash = text.find('/');
  std::string_view authority = text.substr(0, slash);
  if (slash != std::string_view::npos) url.prefix = std::string(text.substr(slash));
  while (!url.prefix.empty() && url.prefix.back() == '/')
    url.prefix.pop_back();
  const std::size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    url.port = std::string(authority.substr(colon + 1));
    authority = authority.substr(0, colon);
  }
  if (authority.size() > 1 && authority.front() == '[') {
    authority = authority.substr(1, authority.size() - 2);
  }
  url.host = std::string(authority);
  if (url.host.empty()) throw UsageError("--url has no host");
  return url;
}

std::size_t countValue(std::string_view name, std::string_view value, std::size_t minimum,
                       std::size_t maximum) {
  std::size_t parsed = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (ec != std::errc() || end != value.data() + value.size() || parsed < minimum ||
      parsed > maximum) {
    throw UsageError(std::string(name) + " needs an integer from " + std::to_string(minimum) +
                     " to " + std::to_string(maximum) + ", got '" + std::string(value) + "'");
  }
  return parsed;
}

int run(int argc, char** argv) {
  LoadOptions load;
  const char* envUrl = std::getenv("BITROUTER_BASE_URL");
  std::string urlText = envUrl != nullptr && *envUrl != '\0' ? envUrl : "http://127.0.0.1:4356";
  std::string model = "gpt-4o-mini";
  std::string prompt(agent::bench::kDefaultPrompt);
  bool stream = false;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--stream") {
      stream = true;
      continue;
    }
    if (arg == "--json") {
      json = true;
      continue;
    }
    if (i + 1 >= argc) throw UsageError("unknown option or missing value: " + std::string(arg));
    const std::string_view value = argv[++i];
    if (arg == "--url") {
      urlText = value;
    } else if (arg == "--model") {
      model = value;
    } else if (arg == "--prompt") {
      prompt = value;
    } else if (arg == "--requests") {
      load.requests = countValue(arg, value, 1, 4294967295u);
    } else if (arg == "--concurrency") {
      load.concurrency = countValue(arg, value, 1, 1024);  // as agent-host bench
    } else if (arg == "--warmup") {
      load.warmupPerThread = countValue(arg, value, 0, 1000000);
    } else {
      throw UsageError("unknown option " + std::string(arg));
    }
  }
  const Url url = parseUrl(urlText);

  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int rc = getaddrinfo(url.host.c_str(), url.port.c_str(), &hints, &found); rc != 0) {
    std::cerr << "http-floor: cannot resolve " << url.host << ": " << gai_strerror(rc) << '\n';
    return 1;
  }
  sockaddr_storage address{};
  std::memcpy(&address, found->ai_addr, found->ai_addrlen);
  const auto addressLength = static_cast<socklen_t>(found->ai_addrlen);
  freeaddrinfo(found);

  // Per thread: its connection and its own copy of the request bytes (only the id changes).
  const std::string hostHeader = url.host + ":" + url.port;
  const FloorRequest request(url.prefix + "/v1/chat/completions", hostHeader, model, prompt,
                             stream);
  struct Worker {
    std::unique_ptr<FloorConnection> connection;
    FloorRequest request;
    std::uint64_t sequence = 0;
  };
  std::vector<Worker> workers;
  workers.reserve(load.concurrency);
  for (std::size_t i = 0; i < load.concurrency; ++i) {
    workers.push_back({std::make_unique<FloorConnection>(address, addressLength), request, 0});
  }

  agent::bench::LoadResult result =
      LoadRunner::run(load, [&](std::size_t index, std::string& error) {
        Worker& worker = workers[index];
        worker.request.stampRequestId(static_cast<std::uint32_t>(index), ++worker.sequence);
        return worker.connection->exchange(worker.request.bytes(), stream, error);
      });

  BenchReport report = BenchReport::from(result, load);
  report.tool = "http-floor";
  report.provider = "raw-http";
  report.model = model;
  report.stream = stream;
  if (json) {
    report.printJson(std::cout);
  } else {
    report.printText(std::cout);
  }
  std::cout.flush();
  if (!report.firstError.empty()) {
    std::cerr << "http-floor: " << report.errors << " of " << load.requests
              << " calls failed; first: " << report.firstError << '\n';
  }
  return report.ok == 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const UsageError& error) {
    std::cerr << "http-floor: " << error.what() << '\n' << kUsage;
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "http-floor: " << error.what() << '\n';
    return 1;
  }
}
