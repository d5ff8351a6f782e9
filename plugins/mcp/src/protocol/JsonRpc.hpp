// JsonRpc: the JSON-RPC 2.0 messages an MCP client writes and reads.
//
// Requests get integer ids (the client numbers them); a server's own requests may use any id,
// which is kept as its JSON text to answer with.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace agent::mcp {

/// One message from the server, parsed.
struct Incoming {
  enum class Kind { Response, Request, Notification, Invalid };
  Kind kind = Kind::Invalid;
  std::int64_t id = -1;  // a response to one of ours (ours are integers)
  std::string rawId;     // a request's id as JSON text, to answer with
  std::string method;
  std::shared_ptr<rapidjson::Document> document;  // the whole message

  const rapidjson::Value* member(const char* name) const;  // null when absent
};

/// Parses one message; Kind::Invalid when it is not JSON-RPC (then `method` says why).
Incoming parseMessage(std::string_view text);

/// {"jsonrpc":"2.0","id":ID,"method":METHOD,"params":PARAMS}; `params` is JSON text or empty.
std::string requestText(std::int64_t id, std::string_view method, std::string_view params);
/// A notification: no id.
std::string notificationText(std::string_view method, std::string_view params);
/// An answer to a server's request.
std::string resultText(std::string_view rawId, std::string_view result);
std::string errorText(std::string_view rawId, int code, std::string_view message);

/// JSON text of a value, and of a string.
std::string toJson(const rapidjson::Value& value);
std::string quoted(std::string_view text);

/// "MCP error CODE: MESSAGE" from a JSON-RPC error object.
std::string describeError(const rapidjson::Value& error);

}  // namespace agent::mcp
