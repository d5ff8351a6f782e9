// ResponseScript: what the BitRouter stand-in does for one upcoming chat request.
//
// Scripts stand in for "what the upstream did" plus transport faults. They are consumed FIFO by
// chat requests that pass framework checks, auth, validation and model resolution (a request
// rejected with 400/401/404 before that does not consume one). With no script queued the stand-in
// answers with a successful, deterministic reply. This is a test feature, not a BitRouter one.
// Every member has a default, so designated initializers work: `script({.status = 503})`.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace agent::standin {

/// One tool call the scripted model makes.
struct ScriptedToolCall {
  std::string id;
  std::string name;
  std::string arguments;  // JSON text as the model writes it (need not be valid)
};

struct ResponseScript {
  // --- Status and body -------------------------------------------------------------------------
  // Non-200: a BitRouter JSON error envelope (type/code/message) plus the status's
  // usual headers (401 WWW-Authenticate, 429 Retry-After, ...), unless `body`/`headers` override.
  int status = 200;
  // Picks the error variant: e.g. "upstream_rate_limited" (429 default) vs "rate_limit_exceeded"
  // (local, Retry-After: 60); "upstream_bad_gateway" (502 default) vs "upstream_invalid_response";
  // "upstream_bad_request" (400 passthrough, no type/code). With status 200 it also sets the
  // status.
  std::optional<std::string> errorCode{};
  std::optional<std::string> errorMessage{};  // overrides the envelope's message
  // Extra headers; one named like a default header replaces it, an empty value removes it.
  std::vector<std::pair<std::string, std::string>> headers{};
  // Raw body instead of the generated one (garbage, truncated JSON, plain text...).
  std::optional<std::string> body{};
  std::optional<std::string> contentType{};

  // --- A successful (200) reply ----------------------------------------------------------------
  // Assistant text; default "Stand-in reply from <model>: <last user text>" (JSON for
  // response_format json_object/json_schema).
  std::optional<std::string> content{};
  bool nullContent = false;   // "content": null (non-stream); no content deltas (stream)
  bool emptyChoices = false;  // "choices": [] (non-stream)
  bool omitUsage = false;
  std::optional<std::string> finishReason{};  // default "stop" ("tool_calls" with tool calls)
  // Tool calls: message.tool_calls (content "" unless `content` is set), or tool-call deltas after
  // the content deltas of a stream.
  std::vector<ScriptedToolCall> toolCalls{};
  std::optional<std::string> reasoning{};  // reasoning_content (stream: deltas before the text)
  // The upstream refused. As BitRouter does, the refusal is folded into the content with
  // finish_reason "content_filter"; with rawRefusal it is sent in an OpenAI-style `refusal`
  // field instead (what other OpenAI-compatible routers pass through).
  std::optional<std::string> refusal{};
  bool rawRefusal = false;

  // --- Transport faults (they really happen on the wire) --------------------------------------
  std::chrono::milliseconds delayBeforeHeaders{0};
  bool dropBeforeHeaders = false;  // read the request, then close without answering
  bool dropMidBody = false;        // headers + part of the body, then close (stream: cut after 1)
  bool neverAnswer = false;        // say nothing until the client gives up or stop() is called
  // Non-stream replies: status line and headers byte by byte, the body in 16-byte pieces.
  bool trickleHeaders = false;
  std::chrono::milliseconds trickleDelay{1};  // pause between trickled pieces
  std::size_t bodyPadBytes = 0;               // spaces appended to the content (e.g. 20 MB bodies)

  // --- Streaming (the request has "stream": true) ---------------------------------------------
  std::vector<std::string> streamChunks{};  // content deltas; default: the reply in up to 4 pieces
  // Pause before each frame after the first; default StandinOptions::streamFrameDelay.
  std::optional<std::chrono::milliseconds> frameDelay{};
  int keepalivesBeforeFirstFrame = 0;  // ":keepalive" comments, spaced by the frame delay
  // After N data frames (0: instead of the first), an error frame, then [DONE], then the end.
  std::optional<std::size_t> errorAfterFrames{};
  std::string streamErrorCode = "upstream_timeout";  // code of that error frame
  std::optional<std::string> streamErrorJson{};      // or that frame's whole JSON
  // Tool-call deltas: arguments in pieces of this many bytes (0: one piece), split anywhere,
  // inside UTF-8 characters too. (Reasoning and refusal go in up to 4 pieces, like the text.)
  std::size_t pieceBytes = 0;
  bool interleaveToolCalls = false;  // parallel calls' pieces alternate by index
  bool repeatToolCallNames = false;  // the name on every delta, not only the first
  bool omitFinish = false;           // no finish_reason chunk
  bool omitDone = false;             // no "data: [DONE]"
  // After N frames, close the connection without the terminating chunk.
  std::optional<std::size_t> cutAfterFrames{};

  // --- Usage details (each sent only when set) ------------------------------------------------
  std::optional<std::size_t> cachedTokens{};  // usage.prompt_tokens_details.cached_tokens
  std::optional<std::size_t>
      cacheCreationTokens{};                     // ...prompt_tokens_details.cache_creation_tokens
  std::optional<std::size_t> reasoningTokens{};  // usage.completion_tokens_details.reasoning_tokens
  // Stream: a last chunk with "choices": [] and the usage, as OpenAI's include_usage sends it.
  bool streamUsage = false;
};

}  // namespace agent::standin
