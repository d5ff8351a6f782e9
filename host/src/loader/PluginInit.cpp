#include "PluginInit.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <array>
#include <compare>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "ElfSection.hpp"
#include "LoadErrors.hpp"
#include "PluginEntryCheck.hpp"

namespace agent::host {

// Shared by the loader and the load thread, which may outlive the wait.
struct PluginLoading::State {
  std::mutex mutex;
  std::condition_variable finished;
  std::optional<Expected<CreatedPlugin, LoadFailure>> outcome;
};

namespace {

// "$ORIGIN/lib" with $ORIGIN (or ${ORIGIN}) replaced by `origin`; empty when it has no $ORIGIN
// (the dynamic loader resolves those entries itself).
std::string expandOrigin(std::string entry, const std::string& origin) {
  bool expanded = false;
  for (const std::string_view token : {"${ORIGIN}", "$ORIGIN"}) {
    for (auto at = entry.find(token); at != std::string::npos; at = entry.find(token)) {
      entry.replace(at, token.size(), origin);
      expanded = true;
    }
  }
  return expanded ? entry : std::string();
}

// The plugin is loaded by the name /proc/self/fd/N, so the dynamic loader would take $ORIGIN for
// /proc/self/fd and miss the libraries shipped beside the plugin. Load those first, from the
// plugin's directory: the plugin's own load then finds them by soname.
void loadLibrariesBesideThePlugin(const PluginLoadJob& job) {
  auto dependencies = readElfDependencies(job.file.fd());
  if (!dependencies) return;  // the plugin's own load reports what is wrong
  std::error_code ec;
  const std::string origin = std::filesystem::absolute(job.path, ec).parent_path().string();
  for (const std::string& needed : dependencies.value().needed) {
    if (needed.find('/') != std::string::npos) continue;
    for (const std::string& entry : dependencies.value().searchPath) {
      const std::string directory = expandOrigin(entry, origin);
      if (directory.empty()) continue;
      const std::filesystem::path candidate = std::filesystem::path(directory) / needed;
      if (!std::filesystem::is_regular_file(candidate, ec)) continue;
      // Kept loaded for good, as plugins are; a failure is reported by the plugin's own load.
      ::dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
      break;
    }
  }
}

using Library = std::shared_ptr<boost::dll::shared_library>;

// The libraries loaded so far, by file identity. Libraries are never unloaded, so each file is
// handed to the dynamic loader once: loading it again by another /proc/self/fd/N would add that
// name to the library, and once N is closed and reused, a dlopen of another file by that name
// would be handed this library. The descriptor of each file loaded stays open for the same
// reason. Deliberately leaked, like the libraries.
class LoadedLibraries {
 public:
  static LoadedLibraries& instance() {
    static auto* libraries = new LoadedLibraries();
    return *libraries;
  }

  // The library of `job`'s file: the one loaded before, or a new load. Holds the lock while it
  // loads, so two files with one identity (hard links) cannot race.
  Expected<Library, LoadFailure> load(PluginLoadJob& job) {
    const std::lock_guard lock(mutex_);
    const FileId id{job.file.status().st_dev, job.file.status().st_ino};
    if (const auto it = loaded_.find(id); it != loaded_.end()) return it->second;
    Library library;
    try {
      // RTLD_NOW: an undefined symbol fails here, catchably, instead of killing the process at
      // the first call. RTLD_NODELETE: the code stays mapped for good, so a thread the plugin
      // leaves running, or a timed-out init, never runs unmapped code. The throwing constructor
      // keeps dlerror's text.
      library = std::make_shared<boost::dll::shared_library>(
          job.file.loadPath(), boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local |
                                   static_cast<boost::dll::load_mode::type>(RTLD_NODELETE));
    } catch (const std::exception& e) {
      return LoadFailure{describeLoadFailure(e.what())};
    }
    job.file.keepOpenForever();
    loaded_.emplace(id, library);
    return library;
  }

 private:
  struct FileId {
    dev_t device;
    ino_t inode;
    auto operator<=>(const FileId&) const = default;
  };
  std::mutex mutex_;
  std::map<FileId, Library> loaded_;
};

Expected<CreatedPlugin, LoadFailure> load(PluginLoadJob& job) {
  CreatedPlugin loaded;
  loaded.loadThread = ::gettid();
  {
    const PluginCallScope scope(job.plugin.get(), "its static constructors");
    loadLibrariesBesideThePlugin(job);
    auto library = LoadedLibraries::instance().load(job);
    if (!library) return std::move(library).error();
    loaded.library = std::move(library).value();
  }

  auto entry = checkedEntry(*loaded.library, job.descriptor, *job.plugin);
  if (!entry) return LoadFailure{std::move(entry).error()};
  loaded.entry = entry.value();

  std::array<char, 512> error{};
  AgentPluginInstance instance{nullptr, nullptr, nullptr, nullptr};
  bool created = false;
  {
    const PluginCallScope scope(job.plugin.get(), "create");
    created = loaded.entry->create(job.services.get(), &instance, error.data(), error.size());
  }
  error.back() = '\0';
  if (!created || instance.handle == nullptr) {
    return LoadFailure{"init failed: " + (error[0] == '\0' ? std::string("no reason given")
                                                           : std::string(error.data())),
                       true};
  }
  loaded.instance = instance;
  if (instance.models != nullptr) {
    const PluginCallScope scope(job.plugin.get(), "supportedModelTypes");
    loaded.modelTypes = instance.models->supportedModelTypes();
  }
  return loaded;
}

}  // namespace

PluginLoading::PluginLoading(std::shared_ptr<State> state, std::thread thread) noexcept
    : state_(std::move(state)), thread_(std::move(thread)) {}
PluginLoading::PluginLoading(PluginLoading&&) noexcept = default;
PluginLoading& PluginLoading::operator=(PluginLoading&&) noexcept = default;

PluginLoading::~PluginLoading() {
  if (thread_.joinable()) thread_.detach();  // not waited for: see waitUntil
}

Expected<PluginLoading, LoadFailure> PluginLoading::start(PluginLoadJob job) {
  auto state = std::make_shared<State>();
  try {
    std::thread thread([state, job = std::move(job)]() mutable {
      auto outcome = load(job);
      const std::lock_guard lock(state->mutex);
      state->outcome.emplace(std::move(outcome));
      state->finished.notify_all();
    });
    return PluginLoading(std::move(state), std::move(thread));
  } catch (const std::exception& e) {
    return LoadFailure{std::string("cannot start the load thread: ") + e.what()};
  }
}

Expected<CreatedPlugin, LoadFailure> PluginLoading::waitUntil(
    std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(state_->mutex);
  if (!state_->finished.wait_until(lock, deadline, [&] { return state_->outcome.has_value(); })) {
    lock.unlock();
    thread_.detach();  // knowingly leaked: see the header
    return LoadFailure{{}, false, true};
  }
  auto outcome = std::move(*state_->outcome);
  lock.unlock();
  thread_.join();
  return outcome;
}

}  // namespace agent::host
