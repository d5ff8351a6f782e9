// PointerFragment: a JSON pointer written as a URI fragment ("#/a/b%20c") for error messages.
//
// RapidJSON 1.1.0's Pointer::StringifyUriFragment decodes each token as UTF-8 and reads past the
// end of a key whose last sequence is cut (a model's reply can hold such a key). This encodes
// byte by byte instead: the same text for valid UTF-8, never a read past the token, and always
// one printable ASCII line whatever the key holds.
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/pointer.h>

namespace agent::bitrouter {

/// "#" followed by "/token" per token; "~" and "/" escaped as "~0" and "~1", then every byte
/// outside RFC 3986's unreserved set percent-encoded.
std::string pointerFragment(const rapidjson::Pointer& pointer);

/// Appends "/token", encoded as pointerFragment() encodes it, to a fragment being built.
void appendFragmentToken(std::string& fragment, std::string_view token);

}  // namespace agent::bitrouter
