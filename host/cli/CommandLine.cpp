#include "CommandLine.hpp"

#include <algorithm>
#include <utility>

namespace agent::host::cli {

bool ParsedArgs::has(std::string_view name) const {
  return values_.find(name) != values_.end();
}

std::optional<std::string> ParsedArgs::value(std::string_view name) const {
  const auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> ParsedArgs::values(std::string_view name) const {
  const auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

void ParsedArgs::add(std::string_view name, std::string value) {
  values_[std::string(name)].push_back(std::move(value));
}

void ParsedArgs::addPositional(std::string value) {
  positionals_.push_back(std::move(value));
}

ParsedArgs parseArguments(std::span<const std::string> args, std::span<const OptionSpec> specs,
                          bool stopAtPositional, std::size_t* consumed) {
  ParsedArgs parsed;
  std::size_t i = 0;
  bool optionsEnded = false;
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const bool isOption = !optionsEnded && arg.size() > 1 && arg[0] == '-';
    if (!isOption) {
      if (stopAtPositional) break;
      parsed.addPositional(arg);
      continue;
    }
    if (arg == "--") {
      optionsEnded = true;
      continue;
    }
    std::string name = arg;
    std::optional<std::string> inlineValue;
    if (const auto equals = arg.find('='); arg.rfind("--", 0) == 0 && equals != std::string::npos) {
      name = arg.substr(0, equals);
      inlineValue = arg.substr(equals + 1);
    }
    if (name == "-h") name = "--help";
    const auto spec = std::find_if(specs.begin(), specs.end(),
                                   [&name](const OptionSpec& s) { return s.name == name; });
    if (spec == specs.end()) throw UsageError("unknown option " + name);
    if (!spec->takesValue) {
      if (inlineValue) throw UsageError(name + " takes no value");
      parsed.add(spec->name, "");
      continue;
    }
    std::string value;
    if (inlineValue) {
      value = *inlineValue;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      throw UsageError(name + " needs a value");
    }
    // An option given twice keeps both; value() returns the last, values() all of them.
    parsed.add(spec->name, std::move(value));
  }
  if (consumed) *consumed = i;
  return parsed;
}

}  // namespace agent::host::cli
