// AGENT_HOST_API: marks what libagent-host.so exports.
//
// The library is built with hidden visibility, so only the classes and functions of the public
// headers that carry this mark are part of its ABI; the private units behind them are not, and
// may change between versions without breaking an application. For a static build (the CLI, the
// tests) the mark changes nothing.
#pragma once

#define AGENT_HOST_API [[gnu::visibility("default")]]
