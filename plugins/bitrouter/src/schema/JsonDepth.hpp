// JsonDepth: the nesting depth of JSON text, without parsing it.
//
// RapidJSON parses iteratively (kParseIterativeFlag) but several of its other walks (Accept,
// SchemaDocument construction) recurse; callers that hand a document to those check the depth
// first so caller-supplied input cannot exhaust the stack.
#pragma once

#include <cstddef>
#include <string_view>

namespace agent::bitrouter {

/// The deepest array/object nesting in `json` (brackets inside strings are ignored).
std::size_t jsonNestingDepth(std::string_view json) noexcept;

}  // namespace agent::bitrouter
