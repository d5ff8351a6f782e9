#include "protocol/ResultText.hpp"

#include "protocol/JsonRpc.hpp"

namespace agent::mcp {
namespace {

std::string field(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return {};
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

// Base64 text of n characters holds about 3n/4 bytes.
std::string sizeOfBase64(const std::string& data) {
  std::size_t bytes = data.size() / 4 * 3;
  if (data.size() >= 1 && data.back() == '=') --bytes;
  if (data.size() >= 2 && data[data.size() - 2] == '=') --bytes;
  return std::to_string(bytes) + " bytes";
}

std::string placeholder(std::string_view type, const std::string& mime, const std::string& size,
                        const std::string& uri) {
  std::string text = "[";
  text += type;
  if (!mime.empty()) text += " " + mime;
  if (!size.empty()) text += ", " + size;
  if (!uri.empty()) text += ", " + uri;
  return text + "]";
}

// One content block as text; `isText` tells whether it was a text part.
std::string blockText(const rapidjson::Value& block, bool& isText) {
  isText = false;
  const std::string type = field(block, "type");
  if (type == "text") {
    isText = true;
    return field(block, "text");
  }
  if (type == "image" || type == "audio") {
    return placeholder(type, field(block, "mimeType"), sizeOfBase64(field(block, "data")), {});
  }
  if (type == "resource_link") {
    std::string text =
        placeholder("resource link", field(block, "mimeType"), {}, field(block, "uri"));
    if (const std::string name = field(block, "name"); !name.empty()) text += " " + name;
    return text;
  }
  if (type == "resource" && block.HasMember("resource")) {
    const rapidjson::Value& resource = block["resource"];
    const std::string uri = field(resource, "uri");
    if (resource.IsObject() && resource.HasMember("text")) {
      isText = true;
      return "Resource (" + uri + "):\n" + field(resource, "text");
    }
    return placeholder("blob", field(resource, "mimeType"), sizeOfBase64(field(resource, "blob")),
                       uri);
  }
  return placeholder(type.empty() ? "content" : type, {}, {}, {});
}

// The longest prefix of `text` of at most `bytes` that does not split a UTF-8 sequence.
std::size_t utf8Boundary(const std::string& text, std::size_t bytes) {
  while (bytes > 0 && bytes < text.size() &&
         (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80)
    --bytes;
  return bytes;
}

}  // namespace

std::string capText(std::string text, std::size_t maxChars) {
  if (maxChars == 0 || text.size() <= maxChars) return text;
  const std::size_t headBytes = utf8Boundary(text, maxChars * 2 / 3);
  std::size_t tailStart = utf8Boundary(text, text.size() - (maxChars - maxChars * 2 / 3));
  const std::size_t cut = tailStart - headBytes;
  return text.substr(0, headBytes) + "\n[... " + std::to_string(cut) + " of " +
         std::to_string(text.size()) + " characters cut ...]\n" + text.substr(tailStart);
}

ResultText resultText(const rapidjson::Value& result, std::size_t maxChars) {
  ResultText out;
  if (!result.IsObject()) {
    out.text = toJson(result);
    return out;
  }
  if (auto it = result.FindMember("isError"); it != result.MemberEnd() && it->value.IsBool())
    out.isError = it->value.GetBool();
  bool anyText = false;
  if (auto content = result.FindMember("content");
      content != result.MemberEnd() && content->value.IsArray()) {
    for (const auto& block : content->value.GetArray()) {
      bool isText = false;
      std::string part = blockText(block, isText);
      anyText = anyText || isText;
      if (!out.text.empty()) out.text += '\n';
      out.text += part;
    }
  }
  if (!anyText) {
    if (auto structured = result.FindMember("structuredContent");
        structured != result.MemberEnd() && !structured->value.IsNull()) {
      if (!out.text.empty()) out.text += '\n';
      out.text += toJson(structured->value);
    }
  }
  out.text = capText(std::move(out.text), maxChars);
  return out;
}

}  // namespace agent::mcp
