#include "LoadErrors.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>

namespace agent::host {
namespace {

bool isMangledChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '$';
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace

std::string demangleNames(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const bool startsName =
        text.compare(i, 2, "_Z") == 0 && (i == 0 || !isMangledChar(text[i - 1]));
    if (!startsName) {
      out += text[i++];
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && isMangledChar(text[end]))
      ++end;
    const std::string mangled(text.substr(i, end - i));
    int status = 0;
    std::unique_ptr<char, decltype(&std::free)> demangled(
        abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status), &std::free);
    out += status == 0 && demangled ? demangled.get() : mangled;
    i = end;
  }
  return out;
}

std::string describeLoadFailure(std::string_view exceptionText) {
  // "boost::dll::shared_library::load() failed (dlerror system message: X): Bad file descriptor"
  constexpr std::string_view kOpen = "(dlerror system message: ";
  std::string_view message = exceptionText;
  if (const auto begin = message.find(kOpen); begin != std::string_view::npos) {
    message.remove_prefix(begin + kOpen.size());
    if (const auto end = message.rfind("):"); end != std::string_view::npos) {
      message = message.substr(0, end);
    } else if (!message.empty() && message.back() == ')') {
      message.remove_suffix(1);
    }
  }
  std::string line = demangleNames(message);
  if (contains(line, "cannot open shared object file")) {
    line +=
        " (a library the plugin needs is missing: install it, or ship it beside the plugin, "
        "which agent_add_plugin's $ORIGIN RUNPATH finds)";
  } else if (contains(line, "undefined symbol")) {
    line +=
        " (link the library that defines it into the plugin; agent_add_plugin's "
        "-Wl,--no-undefined reports this at build time)";
  }
  return "cannot load: " + line;
}

}  // namespace agent::host
