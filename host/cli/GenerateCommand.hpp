// GenerateCommand: `agent-host generate ... PROMPT`: one useModel call, printed as text or JSON.
#pragma once

#include <memory>

#include "CliSupport.hpp"

namespace agent::host::cli {

std::unique_ptr<Command> makeGenerateCommand();

}  // namespace agent::host::cli
