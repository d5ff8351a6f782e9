#include "agent/host/PluginLoader.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <set>
#include <system_error>
#include <utility>
#include <vector>  // before library_info.hpp: Boost 1.74 forgets it (pitfall P5)

#include <boost/dll/library_info.hpp>
#include <boost/dll/shared_library.hpp>

#include "agent/PluginEntry.hpp"
#include "agent/host/ModelRegistry.hpp"
#include "agent/host/Settings.hpp"
#include "agent/support/Text.hpp"

namespace agent::host {

std::string_view toString(PluginReport::Status status) {
  switch (status) {
    case PluginReport::Status::Loaded:
      return "loaded";
    case PluginReport::Status::Disabled:
      return "disabled";
    case PluginReport::Status::Skipped:
      return "skipped";
  }
  return "unknown";
}

namespace {

constexpr std::string_view kSource = "loader";

std::string orEmpty(const char* text) {
  return text != nullptr ? std::string(text) : std::string();
}

std::string hex(std::uint32_t value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%x", value);
  return buffer;
}

// Why `file` cannot be a plugin before anything reads it, or nullopt when it is a readable file.
// Catches what must not crash (or hang) a scan: symlink loops, dangling links, directories or FIFOs
// named x.so, unreadable files.
std::optional<std::string> unreadableReason(const std::filesystem::path& file) {
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (ec) return "cannot stat: " + ec.message();
  if (std::filesystem::is_directory(status)) return std::string("is a directory, not a library");
  if (!std::filesystem::is_regular_file(status)) return std::string("not a regular file");
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::string("cannot open: ") + std::strerror(errno);
  ::close(fd);
  return std::nullopt;
}

// Reads the ELF symbol table only: no code of the library runs.
std::optional<std::string> entryMissingReason(const std::filesystem::path& file) {
  try {
    boost::dll::library_info info(file);
    const auto symbols = info.symbols(AGENT_PLUGIN_SECTION_NAME);
    if (std::find(symbols.begin(), symbols.end(), AGENT_PLUGIN_ENTRY_NAME) == symbols.end()) {
      return std::string("not an agent-host plugin: no " AGENT_PLUGIN_ENTRY_NAME
                         " in section " AGENT_PLUGIN_SECTION_NAME);
    }
  } catch (const std::exception& e) {
    // Junk makes library_info throw (ios_base::failure "basic_ios::clear", "Unsupported binary").
    return std::string("not a shared library (") + text::oneLine(e.what()) + ")";
  } catch (...) {
    return std::string("not a shared library");
  }
  return std::nullopt;
}

// The memory a loaded library occupies: its PT_LOAD segments. The entry and everything it points
// to must lie in here before the host reads or calls it, so an entry symbol of the wrong type (a
// function returning an int, a data object, a struct of garbage) is refused instead of crashing.
class LibraryImage {
 public:
  explicit LibraryImage(void* handle) {
    link_map* map = nullptr;
    if (handle == nullptr || ::dlinfo(handle, RTLD_DI_LINKMAP, &map) != 0 || map == nullptr) return;
    base_ = map->l_addr;
    name_ = map->l_name;
    ::dl_iterate_phdr(&LibraryImage::collect, this);
  }

  bool known() const noexcept { return !segments_.empty(); }

  /// True when [address, address + size) lies inside one segment (executable when `code`).
  bool contains(const void* address, std::size_t size, bool code) const noexcept {
    const auto begin = reinterpret_cast<std::uintptr_t>(address);
    for (const Segment& segment : segments_) {
      if (code && !segment.executable) continue;
      if (begin >= segment.begin && begin < segment.end && size <= segment.end - begin) return true;
    }
    return false;
  }

  template <class T>
  bool holdsObject(const T* object) const noexcept {
    return reinterpret_cast<std::uintptr_t>(object) % alignof(T) == 0 &&
           contains(object, sizeof(T), false);
  }

  template <class Function>
  bool holdsCode(Function* function) const noexcept {
    return contains(reinterpret_cast<const void*>(function), 1, true);
  }

 private:
  struct Segment {
    std::uintptr_t begin;
    std::uintptr_t end;
    bool executable;
  };

  static int collect(dl_phdr_info* info, std::size_t, void* data) {
    auto* self = static_cast<LibraryImage*>(data);
    if (info->dlpi_addr != self->base_ || info->dlpi_name == nullptr || self->name_ == nullptr ||
        std::strcmp(info->dlpi_name, self->name_) != 0) {
      return 0;
    }
    for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
      const ElfW(Phdr)& header = info->dlpi_phdr[i];
      if (header.p_type != PT_LOAD || header.p_memsz == 0) continue;
      const std::uintptr_t begin = info->dlpi_addr + header.p_vaddr;
      self->segments_.push_back({begin, begin + header.p_memsz, (header.p_flags & PF_X) != 0});
    }
    return 1;
  }

  ElfW(Addr) base_ = 0;
  const char* name_ = nullptr;
  std::vector<Segment> segments_;
};

std::string address(const void* pointer) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%p", pointer);
  return buffer;
}

// The effective priority: manifest default, overridden by the priority setting when that holds an
// integer. Anything else in it earns one warning naming the setting and the value.
int resolvePriority(const PluginManifest& manifest, const Settings& settings,
                    const HostServices& services, const std::string& pluginName) {
  const int fallback = manifest.defaultPriority;
  if (manifest.prioritySetting == nullptr) return fallback;
  const auto value = settings.get(manifest.prioritySetting);
  if (!value || text::isBlank(*value)) return fallback;
  const auto parsed = text::parseInt64(*value);
  if (parsed && *parsed >= std::numeric_limits<int>::min() &&
      *parsed <= std::numeric_limits<int>::max()) {
    return static_cast<int>(*parsed);
  }
  services.log(LogLevel::Warn, pluginName,
               std::string(manifest.prioritySetting) + " is not an integer: \"" +
                   text::oneLine(*value) + "\"; using the default priority " +
                   std::to_string(fallback));
  return fallback;
}

void copyManifest(const PluginManifest& manifest, PluginReport& report) {
  report.name = orEmpty(manifest.name);
  report.version = orEmpty(manifest.version);
  report.description = orEmpty(manifest.description);
  report.priority = manifest.defaultPriority;
  for (std::size_t i = 0; i < manifest.autoEnableKeyCount && manifest.autoEnableKeys; ++i) {
    if (manifest.autoEnableKeys[i] != nullptr) {
      report.autoEnableKeys.emplace_back(manifest.autoEnableKeys[i]);
    }
  }
  for (std::size_t i = 0; i < manifest.settingCount && manifest.settings; ++i) {
    const SettingSpec& spec = manifest.settings[i];
    if (spec.key == nullptr) continue;
    PluginSetting setting{spec.key, std::nullopt, orEmpty(spec.description), spec.secret};
    if (spec.defaultValue != nullptr) setting.defaultValue = spec.defaultValue;
    report.settings.push_back(std::move(setting));
  }
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

}  // namespace

PluginLoader::PluginLoader(const HostServices& services, const Settings& settings,
                           ModelRegistry& registry)
    : services_(services), settings_(settings), registry_(registry) {}

std::vector<PluginReport> PluginLoader::loadDirectory(const std::filesystem::path& directory) {
  std::vector<PluginReport> reports;
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec)) {
    PluginReport report;
    report.path = directory;
    report.reason = "plugins directory not found (use --plugins-dir or AGENT_PLUGINS_DIR)";
    services_.log(LogLevel::Warn, kSource, directory.string() + ": " + report.reason);
    reports.push_back(std::move(report));
    return reports;
  }

  // Only *.so, in sorted filename order, so equal priorities always tie the same way.
  std::vector<std::filesystem::path> files;
  std::filesystem::directory_iterator it(directory, ec);
  if (ec) {
    // Not a silent "no plugins": the user would only see that no provider is configured.
    PluginReport report;
    report.path = directory;
    report.reason = "cannot list the plugins directory: " + ec.message();
    services_.log(LogLevel::Warn, kSource, directory.string() + ": " + report.reason);
    reports.push_back(std::move(report));
    return reports;
  }
  for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const auto& path = it->path();
    if (path.extension() == ".so") files.push_back(path);
  }
  if (ec) {
    services_.log(LogLevel::Warn, kSource,
                  "listing " + directory.string() + " stopped early: " + ec.message());
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return a.filename().native() < b.filename().native();
  });

  for (const auto& file : files)
    reports.push_back(loadFile(file));
  return reports;
}

PluginReport PluginLoader::loadFile(const std::filesystem::path& file) {
  PluginReport report;
  report.path = file;
  const auto skip = [&](std::string reason) {
    report.status = PluginReport::Status::Skipped;
    report.reason = text::oneLine(reason);
    services_.log(LogLevel::Warn, kSource, "skipped " + file.string() + ": " + report.reason);
    return report;
  };

  if (auto reason = unreadableReason(file)) return skip(*reason);
  if (auto reason = entryMissingReason(file)) return skip(*reason);

  // RTLD_NOW: an undefined symbol fails here, catchably, instead of killing the process at the
  // first call (pitfall P2). The throwing constructor keeps dlerror's text (pitfall P3).
  std::shared_ptr<boost::dll::shared_library> library;
  try {
    library = std::make_shared<boost::dll::shared_library>(
        file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    return skip(std::string("cannot load: ") + e.what());
  }

  // Nothing the entry leads to is read or called before it is known to lie inside this library
  // (code for functions): an entry of the wrong type is refused here, not found by a crash.
  const LibraryImage image(library->native());
  if (!image.known()) return skip("cannot locate the loaded library's segments");
  const AgentPluginEntry* entry = nullptr;
  try {
    AgentPluginEntryFunction* entryFunction =
        library->get<AgentPluginEntryFunction*>(AGENT_PLUGIN_ENTRY_NAME);
    if (!image.holdsCode(entryFunction)) {
      const std::string where = address(reinterpret_cast<const void*>(entryFunction));
      return skip("the " AGENT_PLUGIN_ENTRY_NAME " alias points to " + where +
                  ", which is not a function of this library (not built with AGENT_PLUGIN?)");
    }
    entry = entryFunction();
  } catch (const std::exception& e) {
    return skip(std::string("cannot read the entry: ") + e.what());
  } catch (...) {
    return skip("the entry function threw");
  }
  if (entry == nullptr) return skip("the entry function returned null");
  if (!image.holdsObject(entry)) {
    return skip("the entry function returned " + address(entry) +
                ", which is not an AgentPluginEntry inside the library (wrong entry signature?)");
  }

  // The version is checked before anything else in the struct is touched.
  if (entry->abiVersion != AGENT_PLUGIN_ABI_VERSION) {
    return skip("plugin ABI version " + std::to_string(entry->abiVersion) + ", host expects " +
                std::to_string(AGENT_PLUGIN_ABI_VERSION) +
                " (rebuild the plugin against this host's plugin-api)");
  }
  if (entry->cxxAbiTag != cxxAbiTag()) {
    return skip("C++ ABI tag " + hex(entry->cxxAbiTag) + ", host has " + hex(cxxAbiTag()) +
                " (rebuild the plugin with the host's compiler and flags)");
  }
  if (entry->manifest == nullptr) return skip("the plugin has no manifest name");
  if (!image.holdsObject(entry->manifest)) {
    return skip("the entry's manifest (" + address(entry->manifest) +
                ") is not a PluginManifest inside the library");
  }
  if (entry->manifest->name == nullptr || *entry->manifest->name == '\0') {
    return skip("the plugin has no manifest name");
  }
  if (entry->create == nullptr || entry->destroy == nullptr) {
    return skip("the entry lacks create or destroy");
  }
  if (!image.holdsCode(entry->create) || !image.holdsCode(entry->destroy)) {
    return skip("the entry's create or destroy is not a function of this library");
  }
  const PluginManifest& manifest = *entry->manifest;
  copyManifest(manifest, report);

  if (registry_.hasProvider(report.name)) {
    return skip("a plugin named '" + report.name + "' is already loaded");
  }

  // autoEnable: declared keys are OR-ed; a key counts when its value is not blank.
  if (!report.autoEnableKeys.empty()) {
    const bool enabled =
        std::any_of(report.autoEnableKeys.begin(), report.autoEnableKeys.end(),
                    [this](const std::string& key) { return settings_.isSet(key); });
    if (!enabled) {
      report.status = PluginReport::Status::Disabled;
      report.reason = "off until " + joined(report.autoEnableKeys, " or ") + " is set";
      services_.log(LogLevel::Info, kSource, report.name + " disabled (" + report.reason + ")");
      return report;
    }
  }

  report.priority = resolvePriority(manifest, settings_, services_, report.name);

  // init: the plugin's create(). It reports failure as null plus a reason.
  std::array<char, 512> error{};
  ModelProvider* raw = nullptr;
  try {
    raw = entry->create(&services_, error.data(), error.size());
  } catch (...) {
    raw = nullptr;  // create is noexcept; this only guards a misbehaving plugin
  }
  error.back() = '\0';
  if (raw == nullptr) {
    const std::string why = error.front() != '\0' ? error.data() : "no reason given";
    return skip("init failed: " + why);
  }

  // The deleter owns the library: the plugin's destroy() runs first, then the last reference to
  // the library goes and it is unloaded (pitfall P4).
  std::shared_ptr<ModelProvider> provider(
      raw, [library, destroy = entry->destroy](ModelProvider* p) { destroy(p); });

  std::vector<ModelType> types;
  try {
    types = provider->supportedModelTypes();
  } catch (const std::exception& e) {
    return skip(std::string("supportedModelTypes() threw: ") + e.what());
  } catch (...) {
    return skip("supportedModelTypes() threw");
  }

  std::set<ModelType> seen;
  for (ModelType type : types) {
    if (!seen.insert(type).second) continue;
    registry_.registerModel(type, provider, report.name, report.priority);
    report.modelTypes.push_back(type);
  }

  report.status = PluginReport::Status::Loaded;
  services_.log(LogLevel::Info, kSource,
                "loaded " + report.name + " " + report.version + " from " + file.string() +
                    " (priority " + std::to_string(report.priority) + ", " +
                    std::to_string(report.modelTypes.size()) + " model types)");
  return report;
}

}  // namespace agent::host
