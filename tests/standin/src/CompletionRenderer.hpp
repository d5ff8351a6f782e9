// CompletionRenderer: the JSON of BitRouter chat replies: a chat.completion (contract §5) and the
// chat.completion.chunk frames of a stream (§6). Neither carries `created`; `id` is the request id.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace agent::standin {

struct Usage {
  std::size_t promptTokens = 0;
  std::size_t completionTokens = 0;
};

struct Completion {
  std::string_view id;
  std::string_view model;
  std::optional<std::string_view> content;  // nullopt: "content": null
  std::optional<std::string_view> finishReason;
  std::optional<Usage> usage;
  bool emptyChoices = false;
};

class CompletionRenderer {
 public:
  static std::string completion(const Completion& completion);

  /// One stream chunk. `role` marks the first chunk; no `content` and no `finishReason` gives
  /// "delta":{} (plus the role when set).
  static std::string chunk(std::string_view id, std::string_view model, bool role,
                           std::optional<std::string_view> content,
                           std::optional<std::string_view> finishReason);
};

}  // namespace agent::standin
