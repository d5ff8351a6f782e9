// Expected: the plugin's name for agent::Expected (agent/support/Expected.hpp).
#pragma once

#include "agent/support/Expected.hpp"

namespace agent::bitrouter {
using agent::Expected;
}
