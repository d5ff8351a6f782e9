#include "PluginCallGuard.hpp"

#include <cxxabi.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <typeinfo>
#include <utility>

namespace agent::host {
namespace {

thread_local const PluginIdentity* tCurrentPlugin = nullptr;
std::terminate_handler gPreviousHandler = nullptr;

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
                 "agent-host: terminated inside plugin '%s' (%s): %s escaped a call into it "
                 "(plugin calls are noexcept: catch everything and return a ModelError)\n",
                 plugin->name.c_str(), plugin->file.c_str(), what.c_str());
    std::fflush(stderr);
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
    const PluginCallScope scope(plugin_.get());
    inner_.reset();  // the plugin's destroy() runs here, inside the scope
  }

  std::vector<ModelType> supportedModelTypes() const noexcept override {
    const PluginCallScope scope(plugin_.get());
    return inner_->supportedModelTypes();
  }
  ModelMetadata modelMetadata(ModelType type) const noexcept override {
    const PluginCallScope scope(plugin_.get());
    return inner_->modelMetadata(type);
  }

  ModelResult generateText(ModelType type, const GenerateTextParams& params) noexcept override {
    const PluginCallScope scope(plugin_.get());
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
    const PluginCallScope scope(plugin_.get());
    inner_.reset();
  }
  std::vector<ProvidedTool> listTools(
      std::chrono::steady_clock::time_point readyBy) noexcept override {
    const PluginCallScope scope(plugin_.get());
    return inner_->listTools(readyBy);
  }
  std::vector<ToolSourceStatus> toolSources() noexcept override {
    const PluginCallScope scope(plugin_.get());
    return inner_->toolSources();
  }
  ToolResult callTool(std::string_view name, std::string_view arguments,
                      const ToolCallContext& context) noexcept override {
    const PluginCallScope scope(plugin_.get());
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
    const PluginCallScope scope(plugin_.get());
    inner_.reset();
  }
  void onModelRegistered(const ModelRegisteredEvent& event) noexcept override {
    const PluginCallScope scope(plugin_.get());
    inner_->onModelRegistered(event);
  }
  void onModelUsed(const ModelUsedEvent& event) noexcept override {
    const PluginCallScope scope(plugin_.get());
    inner_->onModelUsed(event);
  }
  void onModelFailed(const ModelFailedEvent& event) noexcept override {
    const PluginCallScope scope(plugin_.get());
    inner_->onModelFailed(event);
  }
  void onToolStarted(const ToolStartedEvent& event) noexcept override {
    const PluginCallScope scope(plugin_.get());
    inner_->onToolStarted(event);
  }
  void onToolEnded(const ToolEndedEvent& event) noexcept override {
    const PluginCallScope scope(plugin_.get());
    inner_->onToolEnded(event);
  }

 private:
  std::shared_ptr<EventObserver> inner_;
  std::shared_ptr<const PluginIdentity> plugin_;
};

}  // namespace

PluginCallScope::PluginCallScope(const PluginIdentity* plugin) noexcept
    : previous_(std::exchange(tCurrentPlugin, plugin)) {}

PluginCallScope::~PluginCallScope() {
  tCurrentPlugin = previous_;
}

void installPluginTerminateHandler() {
  static std::once_flag once;
  std::call_once(once, [] { gPreviousHandler = std::set_terminate(&onTerminate); });
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
