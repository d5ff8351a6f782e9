#include "transport/TransportFactory.hpp"

#include "transport/HttpTransport.hpp"
#include "transport/StdioTransport.hpp"

namespace agent::mcp {

std::shared_ptr<Transport> makeTransport(const ServerConfig& config, const HostServices& host) {
  if (config.type == ServerConfig::Type::Http)
    return std::make_shared<HttpTransport>(config.url, config.headers, config.timeout);
  ProcessSpec spec;
  spec.argv = config.argv;
  spec.environment = config.environment;
  spec.workingDirectory = config.workingDirectory;
  return std::make_shared<StdioTransport>(host, std::move(spec));
}

}  // namespace agent::mcp
