// TestSupport: what the host tests share: temporary directories, copying test plugins into them,
// a map-backed environment, /proc/self/maps checks, and running the real agent-host binary.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "agent/GenerateTextParams.hpp"
#include "agent/host/Settings.hpp"

namespace agent::host::test {

/// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }
  /// Writes `content` to `name` inside the directory and returns its path.
  std::filesystem::path write(const std::string& name, const std::string& content) const;
  /// Copies a built plugin into the directory under `name`.
  std::filesystem::path copyPlugin(const std::filesystem::path& plugin,
                                   const std::string& name) const;

 private:
  std::filesystem::path path_;
};

/// Params with just a prompt (designated initializers would trip -Wmissing-field-initializers).
inline GenerateTextParams withPrompt(std::string prompt) {
  GenerateTextParams params;
  params.prompt = std::move(prompt);
  return params;
}

using EnvMap = std::map<std::string, std::string>;

/// An Environment that reads from a map instead of the process environment.
Settings::Environment mapEnvironment(EnvMap values);

/// True when `path` is mapped into this process (a loaded library shows up in /proc/self/maps).
bool isMapped(const std::filesystem::path& path);

struct ProcessResult {
  int exitCode = -1;
  std::string out;
  std::string err;
};

/// Runs `executable` with `args`, exactly the environment `env` (plus PATH), and `input` on
/// stdin. Waits for it and returns what it wrote.
ProcessResult runProcess(const std::string& executable, const std::vector<std::string>& args,
                         const EnvMap& env, const std::string& input = "");

}  // namespace agent::host::test
