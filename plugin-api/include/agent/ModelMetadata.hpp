// ModelMetadata: what a provider says about the model it serves for one model type.
//
// elizaOS's registration metadata (`registerModel(type, handler, provider, priority, metadata)`,
// `Plugin.modelMetadata`), plus where the model is served from, for traces. Every field is
// optional: an empty field is "not said", never "zero".
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace agent {

struct ModelMetadata {
  std::optional<std::int64_t> contextWindowTokens;
  std::string displayModel;        // the model id shown to people, e.g. the configured one
  std::optional<bool> local;       // served on this machine, without a network service
  std::optional<bool> streamable;  // honours GenerateTextParams::stream
  std::string serverAddress;       // host name or address of the service, when there is one
  std::optional<int> serverPort;   // its port
};

}  // namespace agent
