// ResultText: what the model reads of an MCP tool result.
//
// Text parts as text; an embedded text resource as "Resource (URI):" and its text;
// structuredContent as JSON text when no part is text; images, audio, blobs and resource links as
// a one-line placeholder (type, MIME type, size, URI), since their bytes mean nothing to a text
// model. A result longer than the cap keeps its head and tail and says how much was cut.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace agent::mcp {

struct ResultText {
  std::string text;
  bool isError = false;
};

/// The text of a CallToolResult (capped at `maxChars` bytes, UTF-8 kept whole).
ResultText resultText(const rapidjson::Value& result, std::size_t maxChars);

/// `text` if it fits, else its head and tail around "[... N characters cut ...]".
std::string capText(std::string text, std::size_t maxChars);

}  // namespace agent::mcp
