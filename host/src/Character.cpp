#include "agent/host/Character.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace agent::host {
namespace {

using Map = std::map<std::string, std::string, std::less<>>;

// A scalar as text: strings verbatim, numbers as JSON writes them ("99", "0.55"), booleans as
// "true"/"false". Null and containers have no text form.
std::optional<std::string> scalarText(const rapidjson::Value& value) {
  if (value.IsString()) return std::string(value.GetString(), value.GetStringLength());
  if (value.IsBool()) return std::string(value.GetBool() ? "true" : "false");
  if (value.IsNumber()) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
  }
  return std::nullopt;
}

std::string fail(std::string_view origin, std::string_view problem) {
  std::string message(origin);
  message += ": ";
  message += problem;
  return message;
}

// Adds the scalar members of `object` that `into` lacks. Nulls are skipped (elizaOS's `??` treats
// them as absent). Objects and arrays are rejected when `strict`; otherwise (plain settings, such
// as `mcp`) they reach plugins as their JSON text, except the nested `extra` and `secrets`, which
// the caller merges member by member.
Expected<Done, std::string> mergeScalars(const rapidjson::Value& object, Map& into,
                                         std::string_view where, bool strict) {
  for (const auto& member : object.GetObject()) {
    const std::string key(member.name.GetString(), member.name.GetStringLength());
    if (member.value.IsNull()) continue;
    auto text = scalarText(member.value);
    if (!text) {
      if (strict) {
        return std::string(where) + "." + key + " must be a string, number or boolean";
      }
      if (key == "extra" || key == "secrets") continue;
      rapidjson::StringBuffer buffer;
      rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
      member.value.Accept(writer);
      text = std::string(buffer.GetString(), buffer.GetSize());
    }
    into.emplace(key, std::move(*text));  // keeps an earlier (higher-precedence) value
  }
  return Done{};
}

// Appends a string, or every string of an array, to `out`; a problem text for anything else.
Expected<Done, std::string> appendStrings(const rapidjson::Value& value, std::string_view field,
                                          std::vector<std::string>& out) {
  if (value.IsNull()) return Done{};
  if (value.IsString()) {
    out.emplace_back(value.GetString(), value.GetStringLength());
    return Done{};
  }
  if (!value.IsArray()) {
    return "\"" + std::string(field) + "\" must be a string or an array of strings";
  }
  for (const auto& item : value.GetArray()) {
    if (!item.IsString()) return "\"" + std::string(field) + "\" must contain only strings";
    out.emplace_back(item.GetString(), item.GetStringLength());
  }
  return Done{};
}

Expected<Done, std::string> readPersona(const rapidjson::Value& document, Character& character) {
  if (auto it = document.FindMember("system"); it != document.MemberEnd() && !it->value.IsNull()) {
    if (!it->value.IsString()) return std::string("\"system\" must be a string");
    character.system.assign(it->value.GetString(), it->value.GetStringLength());
  }
  if (auto it = document.FindMember("bio"); it != document.MemberEnd()) {
    if (auto appended = appendStrings(it->value, "bio", character.bio); !appended) return appended;
  }
  if (auto it = document.FindMember("style"); it != document.MemberEnd() && !it->value.IsNull()) {
    if (!it->value.IsObject()) {
      return std::string("\"style\" must be an object such as {\"all\": [...]}");
    }
    for (const char* part : {"all", "chat"}) {
      auto inner = it->value.FindMember(part);
      if (inner == it->value.MemberEnd()) continue;
      auto appended = appendStrings(inner->value, std::string("style.") + part, character.style);
      if (!appended) return appended;
    }
  }
  return Done{};
}

}  // namespace

std::string systemPrompt(const Character& character) {
  if (!character.system.empty()) return character.system;
  std::string prompt;
  if (!character.name.empty()) prompt = "You are " + character.name + ".";
  if (!character.bio.empty()) {
    prompt += prompt.empty() ? "About you:" : "\n\nAbout you:";
    for (const std::string& line : character.bio)
      prompt += "\n- " + line;
  }
  if (!character.style.empty()) {
    prompt += prompt.empty() ? "How you write:" : "\n\nHow you write:";
    for (const std::string& line : character.style)
      prompt += "\n- " + line;
  }
  return prompt;
}

Expected<Character, CharacterError> parseCharacter(std::string_view json, std::string_view origin) {
  rapidjson::Document document;
  // Iterative: a recursive parse of deeply nested input ("[[[[...") overflows the stack.
  document.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
  if (document.HasParseError()) {
    std::ostringstream problem;
    problem << "not valid JSON: " << rapidjson::GetParseError_En(document.GetParseError())
            << " (at offset " << document.GetErrorOffset() << ")";
    return CharacterError{fail(origin, problem.str())};
  }
  if (!document.IsObject()) {
    return CharacterError{fail(origin, "a character must be a JSON object with a \"name\"")};
  }

  Character character;
  if (auto it = document.FindMember("name"); it != document.MemberEnd()) {
    if (!it->value.IsString()) return CharacterError{fail(origin, "\"name\" must be a string")};
    character.name.assign(it->value.GetString(), it->value.GetStringLength());
  }
  if (auto persona = readPersona(document, character); !persona) {
    return CharacterError{fail(origin, persona.error())};
  }

  if (auto it = document.FindMember("secrets"); it != document.MemberEnd() && !it->value.IsNull()) {
    if (!it->value.IsObject()) {
      return CharacterError{fail(origin, "\"secrets\" must be an object of KEY: value")};
    }
    if (auto merged = mergeScalars(it->value, character.secrets, "secrets", true); !merged) {
      return CharacterError{fail(origin, merged.error())};
    }
  }

  if (auto it = document.FindMember("settings");
      it != document.MemberEnd() && !it->value.IsNull()) {
    const rapidjson::Value& settings = it->value;
    if (!settings.IsObject()) {
      return CharacterError{fail(origin, "\"settings\" must be an object of KEY: value")};
    }
    // elizaOS's precedence below the top-level secrets: settings, settings.extra,
    // settings.secrets. Merging in that order (first value wins) keeps it.
    if (auto merged = mergeScalars(settings, character.settings, "settings", false); !merged) {
      return CharacterError{fail(origin, merged.error())};
    }
    for (const char* nested : {"extra", "secrets"}) {
      auto inner = settings.FindMember(nested);
      if (inner == settings.MemberEnd() || inner->value.IsNull()) continue;
      if (!inner->value.IsObject()) {
        return CharacterError{
            fail(origin, std::string("\"settings.") + nested + "\" must be an object")};
      }
      auto merged =
          mergeScalars(inner->value, character.settings, std::string("settings.") + nested, true);
      if (!merged) return CharacterError{fail(origin, merged.error())};
    }
  }
  return character;
}

Expected<Character, CharacterError> loadCharacter(const std::filesystem::path& path) {
  const std::string origin = "character file '" + path.string() + "'";
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return CharacterError{fail(origin, "is a directory, expected a JSON file")};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    return CharacterError{fail(origin, std::string("cannot be read: ") + std::strerror(error))};
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return CharacterError{fail(origin, "read error")};
  return parseCharacter(content.str(), origin);
}

}  // namespace agent::host
