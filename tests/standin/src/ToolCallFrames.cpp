#include "ToolCallFrames.hpp"

#include <algorithm>
#include <string_view>

namespace agent::standin {
namespace {

// The arguments in pieces of `size` bytes (one piece when 0); an empty text is one empty piece.
std::vector<std::string_view> pieces(std::string_view text, std::size_t size) {
  if (size == 0 || text.empty()) return {text};
  std::vector<std::string_view> out;
  for (std::size_t at = 0; at < text.size(); at += size)
    out.push_back(text.substr(at, size));
  return out;
}

}  // namespace

std::vector<ToolCallDelta> ToolCallFrames::deltas(const ResponseScript& script) {
  const std::vector<ScriptedToolCall>& calls = script.toolCalls;
  std::vector<std::vector<std::string_view>> argumentPieces;
  std::size_t most = 0;
  for (const ScriptedToolCall& call : calls) {
    argumentPieces.push_back(pieces(call.arguments, script.pieceBytes));
    most = std::max(most, argumentPieces.back().size());
  }
  std::vector<ToolCallDelta> out;
  auto add = [&](std::size_t index, std::size_t piece) {
    const ScriptedToolCall& call = calls[index];
    ToolCallDelta delta{index, call.id, std::nullopt, argumentPieces[index][piece]};
    if (piece == 0 || script.repeatToolCallNames) delta.name = call.name;
    out.push_back(delta);
  };
  if (script.interleaveToolCalls) {
    for (std::size_t piece = 0; piece < most; ++piece) {
      for (std::size_t index = 0; index < calls.size(); ++index) {
        if (piece < argumentPieces[index].size()) add(index, piece);
      }
    }
  } else {
    for (std::size_t index = 0; index < calls.size(); ++index) {
      for (std::size_t piece = 0; piece < argumentPieces[index].size(); ++piece)
        add(index, piece);
    }
  }
  return out;
}

}  // namespace agent::standin
