#include "PluginCallGuard.hpp"

#include <cxxabi.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <string_view>
#include <typeinfo>
#include <utility>

namespace agent::host {
namespace {

// What the current thread runs: read by the handlers, so plain pointers to immutable data.
thread_local const PluginIdentity* tCurrentPlugin = nullptr;
thread_local const char* tCurrentCall = nullptr;
std::terminate_handler gPreviousHandler = nullptr;

struct FatalSignal {
  int number;
  const char* text;
};
constexpr std::array<FatalSignal, 5> kFatalSignals{{
    {SIGSEGV, "SIGSEGV (invalid memory access)"},
    {SIGBUS, "SIGBUS (bus error)"},
    {SIGFPE, "SIGFPE (arithmetic fault)"},
    {SIGILL, "SIGILL (illegal instruction)"},
    {SIGABRT, "SIGABRT (abort)"},
}};
std::array<struct sigaction, kFatalSignals.size()> gPreviousActions{};

// Appends `text` to a fixed buffer, cutting what does not fit. Async-signal-safe.
class LineBuffer {
 public:
  void append(std::string_view text) noexcept {
    const std::size_t n = std::min(text.size(), buffer_.size() - 1 - size_);
    if (n == 0) return;  // an empty view may hold a null pointer, which memcpy must not get
    std::memcpy(buffer_.data() + size_, text.data(), n);
    size_ += n;
  }
  void writeLine() noexcept {
    buffer_[size_++] = '\n';
    const char* data = buffer_.data();
    std::size_t left = size_;
    while (left > 0) {
      const ssize_t n = ::write(STDERR_FILENO, data, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      data += n;
      left -= static_cast<std::size_t>(n);
    }
  }

 private:
  std::array<char, 2048> buffer_{};
  std::size_t size_ = 0;
};

// "agent-host: plugin 'x' (/p/x.so) <what> in <call>", when this thread is inside a plugin call.
void nameTheCurrentPlugin(std::string_view what, std::string_view detail = {}) noexcept {
  const PluginIdentity* plugin = tCurrentPlugin;
  if (plugin == nullptr) return;
  LineBuffer line;
  line.append(plugin->linePrefix);
  line.append(what);
  line.append(detail);
  line.append(" in ");
  line.append(tCurrentCall != nullptr ? tCurrentCall : "a call");
  line.writeLine();
}

void onFatalSignal(int signal, siginfo_t* info, void*) {
  const int savedErrno = errno;
  std::size_t index = 0;
  while (index < kFatalSignals.size() && kFatalSignals[index].number != signal)
    ++index;
  if (index == kFatalSignals.size()) return;
  nameTheCurrentPlugin("crashed with ", kFatalSignals[index].text);
  tCurrentPlugin = nullptr;  // named once, even if the previous handler raises it again
  // Hand the signal on: restore what was installed before (by default SIG_DFL, so the process
  // dies of this signal and dumps core as it would have). A fault re-executes on return; a sent
  // signal (abort(), kill) is raised again and delivered once this handler returns.
  ::sigaction(signal, &gPreviousActions[index], nullptr);
  if (info == nullptr || info->si_code <= 0) ::raise(signal);
  errno = savedErrno;
}

void onExit() {
  nameTheCurrentPlugin("called exit()");
}

void onQuickExit() {
  nameTheCurrentPlugin("called quick_exit()");
}

// "std::runtime_error: boom", or what is known of a non-std exception.
std::string describeCurrentException() {
  const std::exception_ptr current = std::current_exception();
  if (!current) return "std::terminate() was called without an exception";
  std::string type = "an exception";
  if (const std::type_info* info = abi::__cxa_current_exception_type()) {
    int status = 0;
    char* name = abi::__cxa_demangle(info->name(), nullptr, nullptr, &status);
    type = status == 0 && name != nullptr ? name : info->name();
    std::free(name);
  }
  try {
    std::rethrow_exception(current);
  } catch (const std::exception& e) {
    return type + ": " + e.what();
  } catch (...) {
    return type;
  }
}

[[noreturn]] void onTerminate() {
  if (const PluginIdentity* plugin = tCurrentPlugin) {
    const std::string what = describeCurrentException();
    std::fprintf(stderr,
                 "agent-host: terminated inside plugin '%s' (%s): %s escaped its %s "
                 "(plugin calls are noexcept: catch everything and return a ModelError)\n",
                 plugin->name.c_str(), plugin->file.c_str(), what.c_str(),
                 tCurrentCall != nullptr ? tCurrentCall : "code");
    std::fflush(stderr);
    tCurrentPlugin = nullptr;  // the line above is the last; abort() adds no second one
    std::abort();
  }
  if (gPreviousHandler != nullptr) gPreviousHandler();
  std::abort();
}

class GuardedProvider final : public ModelProvider {
 public:
  GuardedProvider(std::shared_ptr<ModelProvider> inner, std::shared_ptr<const PluginIdentity> id)
      : inner_(std::move(inner)), plugin_(std::move(id)) {}

  ~GuardedProvider() override {
    const PluginCallScope scope(plugin_.get(), "destroy");
    inner_.reset();  // the plugin's destroy() runs here, inside the scope
  }

  std::vector<ModelType> supportedModelTypes() const noexcept override {
    const PluginCallScope scope(plugin_.get(), "supportedModelTypes");
    return inner_->supportedModelTypes();
  }
  ModelMetadata modelMetadata(ModelType type) const noexcept override {
    const PluginCallScope scope(plugin_.get(), "modelMetadata");
    return inner_->modelMetadata(type);
  }

  ModelResult generateText(ModelType type, const GenerateTextParams& params) noexcept override {
    const PluginCallScope scope(plugin_.get(), "generateText");
    return inner_->generateText(type, params);
  }

 private:
  std::shared_ptr<ModelProvider> inner_;
  std::shared_ptr<const PluginIdentity> plugin_;
};

class GuardedToolProvider final : public ToolProvider {
 public:
  GuardedToolProvider(std::shared_ptr<ToolProvider> inner, std::shared_ptr<const PluginIdentity> id)
      : inner_(std::move(inner)), plugin_(std::move(id)) {}
  ~GuardedToolProvider() override {
    const PluginCallScope scope(plugin_.get(), "destroy");
    inner_.reset();
  }
  std::vector<ProvidedTool> listTools(
      std::chrono::steady_clock::time_point readyBy) noexcept override {
    const PluginCallScope scope(plugin_.get(), "listTools");
    return inner_->listTools(readyBy);
  }
  std::vector<ToolSourceStatus> toolSources() noexcept override {
    const PluginCallScope scope(plugin_.get(), "toolSources");
    return inner_->toolSources();
  }
  ToolResult callTool(std::string_view name, std::string_view arguments,
                      const ToolCallContext& context) noexcept override {
    const PluginCallScope scope(plugin_.get(), "callTool");
    return inner_->callTool(name, arguments, context);
  }

 private:
  std::shared_ptr<ToolProvider> inner_;
  std::shared_ptr<const PluginIdentity> plugin_;
};

class GuardedObserver final : public EventObserver {
 public:
  GuardedObserver(std::shared_ptr<EventObserver> inner, std::shared_ptr<const PluginIdentity> id)
      : inner_(std::move(inner)), plugin_(std::move(id)) {}
  ~GuardedObserver() override {
    const PluginCallScope scope(plugin_.get(), "destroy");
    inner_.reset();
  }
  void onModelRegistered(const ModelRegisteredEvent& event) noexcept override {
    const PluginCallScope scope(plugin_.get(), "onModelRegistered");
    inner_->onModelRegistered(event);
  }
  void onModelUsed(const ModelUsedEvent& event) noexcept override {
    const PluginCallScope scope(plugin_.get(), "onModelUsed");
    inner_->onModelUsed(event);
  }
  void onModelFailed(const ModelFailedEvent& event) noexcept override {
    const PluginCallScope scope(plugin_.get(), "onModelFailed");
    inner_->onModelFailed(event);
  }
  void onToolStarted(const ToolStartedEvent& event) noexcept override {
    const PluginCallScope scope(plugin_.get(), "onToolStarted");
    inner_->onToolStarted(event);
  }
  void onToolEnded(const ToolEndedEvent& event) noexcept override {
    const PluginCallScope scope(plugin_.get(), "onToolEnded");
    inner_->onToolEnded(event);
  }
  void onRunStarted(const RunStartedEvent& event) noexcept override {
    const PluginCallScope scope(plugin_.get(), "onRunStarted");
    inner_->onRunStarted(event);
  }
  void onRunEnded(const RunEndedEvent& event) noexcept override {
    const PluginCallScope scope(plugin_.get(), "onRunEnded");
    inner_->onRunEnded(event);
  }

 private:
  std::shared_ptr<EventObserver> inner_;
  std::shared_ptr<const PluginIdentity> plugin_;
};

}  // namespace

std::shared_ptr<const PluginIdentity> makePluginIdentity(std::string name, std::string file) {
  std::string prefix = "agent-host: plugin '" + name + "' (" + file + ") ";
  return std::make_shared<const PluginIdentity>(
      PluginIdentity{std::move(name), std::move(file), std::move(prefix)});
}

PluginCallScope::PluginCallScope(const PluginIdentity* plugin, const char* call) noexcept
    : previousPlugin_(tCurrentPlugin), previousCall_(tCurrentCall) {
  // The call first: a handler that sees the plugin also sees its call.
  tCurrentCall = call;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  tCurrentPlugin = plugin;
}

PluginCallScope::~PluginCallScope() {
  tCurrentPlugin = previousPlugin_;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  tCurrentCall = previousCall_;
}

void installPluginCrashReporter() {
  static std::once_flag once;
  std::call_once(once, [] {
    gPreviousHandler = std::set_terminate(&onTerminate);
    for (std::size_t i = 0; i < kFatalSignals.size(); ++i) {
      struct sigaction action {};
      action.sa_sigaction = &onFatalSignal;
      action.sa_flags = SA_SIGINFO | SA_ONSTACK;
      sigemptyset(&action.sa_mask);
      ::sigaction(kFatalSignals[i].number, &action, &gPreviousActions[i]);
    }
    std::atexit(&onExit);
    std::at_quick_exit(&onQuickExit);
  });
}

std::shared_ptr<ModelProvider> guardProvider(std::shared_ptr<ModelProvider> provider,
                                             std::shared_ptr<const PluginIdentity> plugin) {
  return std::make_shared<GuardedProvider>(std::move(provider), std::move(plugin));
}

std::shared_ptr<ToolProvider> guardToolProvider(std::shared_ptr<ToolProvider> provider,
                                                std::shared_ptr<const PluginIdentity> plugin) {
  return std::make_shared<GuardedToolProvider>(std::move(provider), std::move(plugin));
}

std::shared_ptr<EventObserver> guardObserver(std::shared_ptr<EventObserver> observer,
                                             std::shared_ptr<const PluginIdentity> plugin) {
  return std::make_shared<GuardedObserver>(std::move(observer), std::move(plugin));
}

}  // namespace agent::host
