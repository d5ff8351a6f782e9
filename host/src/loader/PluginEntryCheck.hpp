// PluginEntryCheck: finds a loaded plugin's entry and checks it before the host trusts it.
//
// Nothing the entry leads to is read or called before it is known to lie inside the library (code
// for functions), so an entry of the wrong type is refused instead of crashing. The entry must
// repeat the descriptor's versions, and the interfaces' virtual-function shape must be the host's.
#pragma once

#include <string>

#include <boost/dll/shared_library.hpp>

#include "PluginCallGuard.hpp"
#include "PluginDescriptor.hpp"
#include "agent/PluginEntry.hpp"
#include "agent/support/Expected.hpp"

namespace agent::host {

/// The entry of `library` (calls agent_plugin_entry inside a PluginCallScope of `plugin`), or the
/// one-line reason it cannot be used.
Expected<const AgentPluginEntry*, std::string> checkedEntry(
    const boost::dll::shared_library& library, const PluginDescriptor& descriptor,
    const PluginIdentity& plugin);

}  // namespace agent::host
