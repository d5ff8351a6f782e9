// A configurable test plugin. Each CMake target compiles this file with other definitions:
//   TEST_PLUGIN_NAME              provider name (settings are prefixed with it in upper case)
//   TEST_PLUGIN_PRIORITY_SETTING  the manifest's prioritySetting ("" for none)
//   TEST_PLUGIN_DEFAULT_PRIORITY  the manifest's default priority (a number)
//   TEST_PLUGIN_AUTOENABLE_1/_2   optional autoEnable keys
//   TEST_PLUGIN_INIT_FAILS        the constructor (init) throws
//   TEST_PLUGIN_INIT_BLOCKS       the constructor never returns
//   TEST_PLUGIN_UNDEFINED_SYMBOL  calls a function no library defines (built without
//                                 --no-undefined, so only RTLD_NOW catches it)
//   TEST_PLUGIN_THROWS            generateText lets an exception escape (it is noexcept)
//   TEST_PLUGIN_NO_MODEL_TYPES    supportedModelTypes() is empty
//   TEST_PLUGIN_LEAVES_THREAD     init starts a thread that destroy() never joins (it wakes
//                                 every 200 us)
//   TEST_PLUGIN_STATIC_MARKER     a static constructor creates the file named by the environment
//                                 variable AGENT_TEST_MARKER_FILE (proves the library was loaded)
//   TEST_PLUGIN_NEEDS_DEPENDENCY  init calls into a library shipped beside the plugin
//   TEST_PLUGIN_CRASHES           the setting <NAME>_CRASH=abort|segv|bus|fpe|ill|exit makes
//                                 generateText end the process that way (<NAME>_CRASH_IN=create:
//                                 init does)
//   TEST_PLUGIN_MEETS="<other>"   init writes <name>.started into the directory named by the
//                                 setting RENDEZVOUS_DIR, then waits (up to 5 s) for
//                                 <other>.started; init fails when it never appears, so two
//                                 such plugins load only when their inits overlap
//   TEST_PLUGIN_OBSERVES          the plugin is also an EventObserver: it writes one line per event
//                                 to the file named by <NAME>_EVENTS_FILE (tests read it back)
// At run time, settings prefixed with the name in upper case steer each call:
//   <NAME>_FAIL_WITH=<error kind>   every call fails with that kind (e.g. rate_limited)
//   <NAME>_FAIL_STATUS=<HTTP code>  every call fails as that HTTP status would (kind from the code)
//   <NAME>_FAIL_MESSAGE=<text>      the failure's message
//   <NAME>_SERVES=<TYPE>            serve this model type too (e.g. TEXT_TO_SPEECH)
//   <NAME>_CALLS_TOOL=<tool name>   answer a conversation without a tool result by calling that
//                                   tool (id "call-1", arguments {}); then answer as usual
// Replies are "<name>/<served type>: <prompt>", so tests can see who served and as what.
#include <agent/Plugin.hpp>

#ifdef TEST_PLUGIN_CRASHES
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#ifdef TEST_PLUGIN_UNDEFINED_SYMBOL
extern "C" int agent_test_symbol_that_does_not_exist(int);
#endif
#ifdef TEST_PLUGIN_NEEDS_DEPENDENCY
extern "C" int agent_test_dependency_answer();
#endif

namespace {

#if defined(TEST_PLUGIN_AUTOENABLE_2)
constexpr std::string_view kAutoEnable[] = {TEST_PLUGIN_AUTOENABLE_1, TEST_PLUGIN_AUTOENABLE_2};
#elif defined(TEST_PLUGIN_AUTOENABLE_1)
constexpr std::string_view kAutoEnable[] = {TEST_PLUGIN_AUTOENABLE_1};
#else
constexpr std::span<const std::string_view> kAutoEnable;
#endif

constexpr agent::SettingSpec kSettings[] = {
    {"TEST_SECRET_KEY", nullptr, "a secret the loader must never print", true},
};

constexpr agent::ModelType kDeclaredTypes[] = {agent::ModelType::TextSmall,
                                               agent::ModelType::TextLarge};

constexpr agent::PluginManifest kManifest{
    .name = TEST_PLUGIN_NAME,
    .description = "test plugin",
    .version = "0.0.1",
    .defaultPriority = TEST_PLUGIN_DEFAULT_PRIORITY,
    .prioritySetting = TEST_PLUGIN_PRIORITY_SETTING,
    .autoEnableKeys = kAutoEnable,
    .settings = kSettings,
    .modelTypes = kDeclaredTypes,
};

#ifdef TEST_PLUGIN_STATIC_MARKER
// Runs when the library is loaded, before any function of it is called.
struct MarkOnLoad {
  MarkOnLoad() {
    if (const char* path = std::getenv("AGENT_TEST_MARKER_FILE")) {
      if (std::FILE* file = std::fopen(path, "w")) std::fclose(file);
    }
  }
} markOnLoad;
#endif

std::string upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

// The kind a provider reports for an HTTP status (as the BitRouter plugin maps them).
agent::ErrorKind kindForStatus(int status) {
  if (status == 429) return agent::ErrorKind::RateLimited;
  if (status == 408) return agent::ErrorKind::Timeout;
  if (status >= 500) return agent::ErrorKind::Unavailable;
  if (status == 401) return agent::ErrorKind::Auth;
  return agent::ErrorKind::BadRequest;
}

std::optional<agent::ModelType> parseType(const std::string& text) {
  for (agent::ModelType type : agent::allModelTypes()) {
    if (agent::toString(type) == text) return type;
  }
  return std::nullopt;
}

std::optional<agent::ErrorKind> parseKind(const std::string& text) {
  for (int i = 0; i <= static_cast<int>(agent::ErrorKind::Internal); ++i) {
    const auto kind = static_cast<agent::ErrorKind>(i);
    if (agent::toString(kind) == text) return kind;
  }
  return std::nullopt;
}

#ifdef TEST_PLUGIN_THROWS
// Out of line, so the compiler does not see (and warn about) a throw inside a noexcept function.
[[noreturn]] __attribute__((noinline)) void failLoudly(const std::string& prompt) {
  throw std::runtime_error("boom from generateText: " + prompt);
}
#endif

#ifdef TEST_PLUGIN_CRASHES
// Ends the process the way `how` says, for real where the machine allows it. The faults are the
// point, so UndefinedBehaviorSanitizer must let them happen (it would stop at the null store or
// the division first, and the test would see its report instead of the signal).
[[gnu::noinline, gnu::no_sanitize("undefined")]] void crashAs(const std::string& how) {
  if (how == "abort") std::abort();
  if (how == "exit") std::exit(3);
  if (how == "segv") {
    volatile int* volatile nowhere = nullptr;
    *nowhere = 1;
  }
  if (how == "bus") {
    // A shared mapping past the end of an empty file: reading it is a bus error.
    const int fd = ::memfd_create("empty", 0);
    auto* page = static_cast<volatile char*>(::mmap(nullptr, 4096, PROT_READ, MAP_SHARED, fd, 0));
    if (page != MAP_FAILED) (void)page[0];
  }
  if (how == "fpe") {
#if defined(__x86_64__)
    volatile int zero = 0;
    volatile int one = 1;
    one = one / zero;
#endif
    ::raise(SIGFPE);
  }
  if (how == "ill") {
#if defined(__x86_64__)
    __builtin_trap();  // ud2
#endif
    ::raise(SIGILL);
  }
}
#endif

#ifdef TEST_PLUGIN_MEETS
// True when the other plugin's init shows up while this one waits.
bool meetTheOther(const agent::HostServices& host) {
  const auto dir = host.setting("RENDEZVOUS_DIR");
  if (!dir) return false;
  const std::filesystem::path base(*dir);
  std::ofstream(base / (std::string(TEST_PLUGIN_NAME) + ".started")).put('1');
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < until) {
    if (std::filesystem::exists(base / (std::string(TEST_PLUGIN_MEETS) + ".started"))) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}
#endif

class TestProvider final : public agent::ModelProvider
#ifdef TEST_PLUGIN_OBSERVES
    ,
                           public agent::EventObserver
#endif
{
 public:
  explicit TestProvider(const agent::HostServices& host) : host_(host) {
    if (auto serves = host_.setting(upper(TEST_PLUGIN_NAME) + "_SERVES"))
      alsoServes_ = parseType(*serves);
#ifdef TEST_PLUGIN_OBSERVES
    if (auto file = host_.setting(upper(TEST_PLUGIN_NAME) + "_EVENTS_FILE")) eventsFile_ = *file;
#endif
#ifdef TEST_PLUGIN_INIT_FAILS
    throw std::runtime_error("TEST init failure: missing TEST_REQUIRED_KEY");
#endif
#ifdef TEST_PLUGIN_NEEDS_DEPENDENCY
    if (agent_test_dependency_answer() != 42) throw std::runtime_error("wrong dependency");
#endif
#ifdef TEST_PLUGIN_CRASHES
    if (host_.setting(upper(TEST_PLUGIN_NAME) + "_CRASH_IN") == "create") {
      crashAs(host_.setting(upper(TEST_PLUGIN_NAME) + "_CRASH").value_or(""));
    }
#endif
#ifdef TEST_PLUGIN_MEETS
    if (!meetTheOther(host_)) throw std::runtime_error("the other init did not run meanwhile");
#endif
#ifdef TEST_PLUGIN_INIT_BLOCKS
    for (;;)
      std::this_thread::sleep_for(std::chrono::hours(1));
#endif
#ifdef TEST_PLUGIN_LEAVES_THREAD
    // Wakes often, so that it runs the library's code soon after anything unmaps it.
    std::thread([] {
      for (;;)
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }).detach();
#endif
  }

  std::vector<agent::ModelType> supportedModelTypes() const noexcept override {
#ifdef TEST_PLUGIN_NO_MODEL_TYPES
    return {};
#else
    std::vector<agent::ModelType> types{agent::ModelType::TextSmall, agent::ModelType::TextLarge};
    if (alsoServes_) types.push_back(*alsoServes_);
    return types;
#endif
  }

  agent::ModelMetadata modelMetadata(agent::ModelType type) const noexcept override {
    agent::ModelMetadata metadata;
    metadata.displayModel = std::string(TEST_PLUGIN_NAME) + "-model";
    if (type == agent::ModelType::TextLarge) metadata.contextWindowTokens = 8192;
    metadata.streamable = true;
    return metadata;
  }

#ifdef TEST_PLUGIN_OBSERVES
  void onModelRegistered(const agent::ModelRegisteredEvent& e) noexcept override {
    record("registered " + std::string(agent::toString(e.type)) + " " + e.provider + " " +
           e.metadata.displayModel);
  }
  void onModelUsed(const agent::ModelUsedEvent& e) noexcept override {
    record("used " + e.provider + " " + std::string(agent::toString(e.type)) + " failed=" +
           std::to_string(e.failedAttempts.size()) + " prompt=" + std::to_string(e.prompt.size()) +
           " trace=" + e.trace.traceparent() + " parent=" + hex(e.trace.parentSpanId));
  }
  void onModelFailed(const agent::ModelFailedEvent& e) noexcept override {
    record("failed " + e.provider + " " + std::string(agent::toString(e.kind)) +
           " attempts=" + std::to_string(e.attempts.size()));
  }
  void onToolStarted(const agent::ToolStartedEvent& e) noexcept override {
    record("tool-started " + e.tool + " " + e.callId + " source=" + e.source +
           " trace=" + e.trace.traceparent() + " parent=" + hex(e.trace.parentSpanId));
  }
  void onToolEnded(const agent::ToolEndedEvent& e) noexcept override {
    record("tool-ended " + e.tool + " " + e.callId + " failed=" + (e.failed ? "1" : "0") +
           " trace=" + e.trace.traceparent());
  }
#endif

  agent::ModelResult generateText(agent::ModelType type,
                                  const agent::GenerateTextParams& params) noexcept override {
#ifdef TEST_PLUGIN_THROWS
    failLoudly(params.prompt);
#endif
    const auto started = std::chrono::steady_clock::now();
    try {
#ifdef TEST_PLUGIN_CRASHES
      if (auto how = host_.setting(upper(TEST_PLUGIN_NAME) + "_CRASH")) crashAs(*how);
#endif
#ifdef TEST_PLUGIN_UNDEFINED_SYMBOL
      if (agent_test_symbol_that_does_not_exist(1) == 0)
        return agent::makeError(agent::ErrorKind::Internal, "?");
#endif
      const std::string prefix = upper(TEST_PLUGIN_NAME);
      const std::string message =
          host_.setting(prefix + "_FAIL_MESSAGE")
              .value_or(std::string(TEST_PLUGIN_NAME) + " was told to fail");
      if (auto failWith = host_.setting(prefix + "_FAIL_WITH")) {
        if (auto kind = parseKind(*failWith)) return agent::makeError(*kind, message);
      }
      if (auto status = host_.setting(prefix + "_FAIL_STATUS")) {
        const int code = std::atoi(status->c_str());
        return agent::makeError(kindForStatus(code), message, code);
      }
      agent::ModelOutput output;
      output.text = std::string(TEST_PLUGIN_NAME) + "/" + std::string(agent::toString(type)) +
                    ": " + params.prompt;
      output.model = std::string(TEST_PLUGIN_NAME) + "-model";
      output.finishReason = "stop";
      if (auto tool = host_.setting(prefix + "_CALLS_TOOL")) {
        bool answered = false;
        for (const auto& message : params.messages)
          answered |= message.role == "tool";
        if (!answered) {
          output.toolCalls.push_back({"call-1", *tool, "{}", ""});
          output.finishReason = "tool_calls";
        }
      }
      output.usage.promptTokens = 1;
      output.usage.completionTokens = 2;
      output.usage.totalTokens = 3;
      if (params.stream && params.onChunk) {
        if (!params.onChunk(output.text)) {
          return agent::makeError(agent::ErrorKind::Cancelled, "cancelled");
        }
      }
      host_.emitModelUsed(agent::modelUsedEvent(TEST_PLUGIN_NAME, type, params, output, started));
      return output;
    } catch (...) {
      return agent::makeError(agent::ErrorKind::Internal, "exception");
    }
  }

 private:
#ifdef TEST_PLUGIN_OBSERVES
  static std::string hex(const std::array<std::uint8_t, 8>& bytes) {
    std::string text;
    agent::TraceContext::appendHex(text, bytes.data(), bytes.size());
    return text;
  }
  void record(const std::string& line) noexcept {
    try {
      std::lock_guard lock(mutex_);
      std::ofstream(eventsFile_, std::ios::app) << line << '\n';
    } catch (...) {
    }
  }
  std::mutex mutex_;
  std::string eventsFile_;
#endif
  const agent::HostServices& host_;
  std::optional<agent::ModelType> alsoServes_;
};

}  // namespace

AGENT_PLUGIN(TestProvider, kManifest)
