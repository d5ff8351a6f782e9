// ChatCommand: `agent-host chat`, a conversation with the agent in a terminal or through a pipe.
#pragma once

#include <memory>

#include "CliSupport.hpp"

namespace agent::host::cli {

std::unique_ptr<Command> makeChatCommand();

}  // namespace agent::host::cli
