// ProvidersCommand: `agent-host providers [--json]`: what was found and how models are ranked.
#pragma once

#include "CliSupport.hpp"

namespace agent::host::cli {

Command providersCommand();

}  // namespace agent::host::cli
