#include "FloorRequest.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace agent::bench {
namespace {

constexpr std::string_view kIdTemplate = "00000000-0000-4000-8000-000000000000";
// The plugin sends each call's W3C trace context; the floor sends one of the same length.
constexpr std::string_view kTraceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

void writeHex(char* out, std::uint64_t value, int digits) noexcept {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) {
    out[i] = kHex[value & 0xf];
    value >>= 4;
  }
}

}  // namespace

std::string FloorRequest::chatBody(std::string_view model, std::string_view prompt, bool stream) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("model");
  writer.String(model.data(), static_cast<rapidjson::SizeType>(model.size()));
  writer.Key("messages");
  writer.StartArray();
  writer.StartObject();
  writer.Key("role");
  writer.String("user");
  writer.Key("content");
  writer.String(prompt.data(), static_cast<rapidjson::SizeType>(prompt.size()));
  writer.EndObject();
  writer.EndArray();
  if (stream) {
    writer.Key("stream");
    writer.Bool(true);
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

FloorRequest::FloorRequest(std::string_view target, std::string_view host, std::string_view model,
                           std::string_view prompt, bool stream) {
  const std::string body = chatBody(model, prompt, stream);
  bytes_.append("POST ").append(target).append(" HTTP/1.1\r\n");
  bytes_.append("Connection: Keep-Alive\r\n");
  bytes_.append("User-Agent: agent-host-http-floor\r\n");
  bytes_.append("x-bitrouter-request-id: ");
  idOffset_ = bytes_.size();
  bytes_.append(kIdTemplate).append("\r\n");
  bytes_.append("traceparent: ").append(kTraceparent).append("\r\n");
  bytes_.append("Content-Type: application/json\r\n");
  bytes_.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  bytes_.append("Accept: ")
      .append(stream ? "text/event-stream" : "application/json")
      .append("\r\n");
  bytes_.append("Host: ").append(host).append("\r\n\r\n");
  bytes_.append(body);
}

void FloorRequest::stampRequestId(std::uint32_t worker, std::uint64_t sequence) noexcept {
  // xxxxxxxx-0000-4000-8000-yyyyyyyyyyyy: worker in the first group, sequence in the last.
  char* id = bytes_.data() + idOffset_;
  writeHex(id, worker, 8);
  writeHex(id + 24, sequence, 12);
}

}  // namespace agent::bench
