// Character: the agent's character file: its name, settings and secrets (elizaOS's shape).
//
//   {"name": "Agent", "settings": {"TEXT_SMALL_MAX_TOKENS": 99}, "secrets": {"BITROUTER_API_KEY":
//   "..."}}
//
// Values may be strings, numbers or booleans in the file; they are kept as text ("99", "true").
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "agent/host/Export.hpp"
#include "agent/support/Expected.hpp"

namespace agent::host {

struct Character {
  std::string name{};
  std::string system{};              // the character's own system prompt, when it has one
  std::vector<std::string> bio{};    // "bio": a string or an array of strings
  std::vector<std::string> style{};  // "style.all" then "style.chat" (what a conversation uses)
  std::map<std::string, std::string, std::less<>> settings{};
  std::map<std::string, std::string, std::less<>> secrets{};
};

/// The system prompt a conversation with this character starts from: its "system" when set, else
/// one built from its name, bio and chat style (elizaOS composes the same parts); empty when the
/// character has none of them.
AGENT_HOST_API std::string systemPrompt(const Character& character);

/// A failure to read or understand a character file; `message` names the file and the problem.
struct CharacterError {
  std::string message;
};

/// Parses character JSON text. `origin` names the source in error messages.
AGENT_HOST_API Expected<Character, CharacterError> parseCharacter(
    std::string_view json, std::string_view origin = "character");

/// Reads and parses a character file.
AGENT_HOST_API Expected<Character, CharacterError> loadCharacter(const std::filesystem::path& path);

}  // namespace agent::host
