// GenerateCommand: `agent-host generate ... PROMPT`: one useModel call, printed as text or JSON.
#pragma once

#include "CliSupport.hpp"

namespace agent::host::cli {

Command generateCommand();

}  // namespace agent::host::cli
