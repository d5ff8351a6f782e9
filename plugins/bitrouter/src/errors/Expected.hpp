// Expected inside the plugin: the one value-or-error carrier of plugin-api, under the plugin's
// namespace so the plugin's steps keep writing `Expected<T>`. It sits in errors/, below every
// module that returns one.
#pragma once

#include "agent/support/Expected.hpp"

namespace agent::bitrouter {
using agent::Expected;
}  // namespace agent::bitrouter
