// MessagesJson: a conversation as an OpenAI-style JSON messages array, read and written.
//
// `generate --messages FILE` reads it, `chat`'s /save writes it, and what /save writes reads back.
// Assistant tool calls are {"id", "type":"function", "function":{"name","arguments"}}; a tool
// message names its call in "tool_call_id". Content may be a string or an array of text parts.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "agent/GenerateTextParams.hpp"
#include "agent/support/Expected.hpp"

namespace agent::host::cli {

/// The messages, or one line naming what is wrong and where ("message 2: ...").
Expected<std::vector<ChatMessage>, std::string> parseMessages(std::string_view json);

/// The --messages option of `generate` and `chat`: the file `source` (or stdin for "-", when
/// `standardInput` is given) read and parsed. Throws UsageError naming the source and the problem.
std::vector<ChatMessage> readMessagesOption(const std::string& source, std::istream* standardInput);

/// The messages as indented JSON text, ending with a newline.
std::string writeMessages(const std::vector<ChatMessage>& messages);

}  // namespace agent::host::cli
