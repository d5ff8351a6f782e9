// CommandLine: a small option parser for agent-host and its commands.
//
// Each command declares its options; the parser accepts `--name value`, `--name=value` and flags,
// treats `-` as a positional (stdin), and stops option parsing at `--`. Anything it does not know
// is a UsageError, which main() turns into exit code 2 with a pointer to --help.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace agent::host::cli {

/// Bad usage or settings: what is wrong and what to do, on one line.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  std::string_view name;  // with dashes: "--model"
  bool takesValue = false;
};

class ParsedArgs {
 public:
  bool has(std::string_view name) const;
  std::optional<std::string> value(std::string_view name) const;  // the last one given
  std::vector<std::string> values(std::string_view name) const;   // all, in order (--stop)
  const std::vector<std::string>& positionals() const noexcept { return positionals_; }

  void add(std::string_view name, std::string value);
  void addPositional(std::string value);

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
  std::vector<std::string> positionals_;
};

/// Parses `args` against `specs`. With `stopAtPositional`, parsing ends at the first positional,
/// and `consumed` tells how many arguments came before it (used to split global options from the
/// command). Throws UsageError.
ParsedArgs parseArguments(std::span<const std::string> args, std::span<const OptionSpec> specs,
                          bool stopAtPositional = false, std::size_t* consumed = nullptr);

}  // namespace agent::host::cli
