// LoadErrors: turns what dlopen and friends say into one line a plugin author can act on.
#pragma once

#include <string>
#include <string_view>

namespace agent::host {

/// Replaces every mangled C++ name (_Z...) in `text` by its demangled form.
std::string demangleNames(std::string_view text);

/// The reason a library failed to load, from the text of Boost.DLL's exception: dlerror's
/// message only (Boost appends an errno text such as "Bad file descriptor" that has nothing to
/// do with the failure), names demangled, and a hint where the cause is a common one.
std::string describeLoadFailure(std::string_view exceptionText);

}  // namespace agent::host
