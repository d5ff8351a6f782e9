// SchemaLimits: the one depth policy for structured output.
//
// RapidJSON 1.1 recurses without limit while it builds a SchemaDocument, while it validates, and
// in Accept(); our own schema walks recurse too. One bound covers all of them: JSON text (a
// caller's schema, a model's reply) nested deeper is refused before anything recursive reads it,
// every schema walk stops there (rewrites can deepen a schema past its text), and no more schemas
// than this may stack on one value through $ref, allOf, anyOf, oneOf, not or dependencies. Far
// above what real schemas and replies need; far below what exhausts a thread's stack.
#pragma once

#include <cstddef>

namespace agent::bitrouter {

inline constexpr std::size_t kMaxSchemaNesting = 128;

}  // namespace agent::bitrouter
