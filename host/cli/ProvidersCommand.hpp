// ProvidersCommand: `agent-host providers`: the plugins found and the ranked providers per model
// type, as text or JSON.
#pragma once

#include <memory>

#include "CliSupport.hpp"

namespace agent::host::cli {

std::unique_ptr<Command> makeProvidersCommand();

}  // namespace agent::host::cli
