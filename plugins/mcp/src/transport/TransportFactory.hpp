// TransportFactory: the transport a server's configuration asks for.
#pragma once

#include <memory>

#include "agent/HostServices.hpp"
#include "config/ServerConfig.hpp"
#include "transport/Transport.hpp"

namespace agent::mcp {

std::shared_ptr<Transport> makeTransport(const ServerConfig& config, const HostServices& host);

}  // namespace agent::mcp
