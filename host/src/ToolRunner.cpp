#include "ToolRunner.hpp"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <string>

#include "CallPool.hpp"
#include "agent/support/Utf8.hpp"

namespace agent::host {

const std::string kRepairedUtf8Note =
    "[agent-host: the tool's output was not valid UTF-8; the invalid bytes were replaced with "
    "U+FFFD]";

namespace {

// A tool that watches its deadline (a command tool does) gets this long past it to report its own
// timeout, which says more (a command's last stderr lines) than "did not finish".
constexpr std::chrono::milliseconds kReportGrace{100};

// The result slot one tool thread fills; shared so that a thread left running past its time
// still has somewhere to write.
struct Slot {
  std::mutex mutex;
  std::condition_variable filled;
  std::optional<ToolOutcome> outcome;
  std::chrono::steady_clock::time_point finished;

  void fill(ToolOutcome result) {
    {
      std::lock_guard lock(mutex);
      outcome = std::move(result);
      finished = std::chrono::steady_clock::now();
    }
    filled.notify_all();
  }
};

// A model reads only text: a tool that printed Latin-1 (a `cat` of an old file) must not end the
// run, and the model should know the bytes were not what the tool wrote.
void repairUtf8(ToolOutcome& outcome) {
  if (text::isValidUtf8(outcome.text)) return;
  outcome.text = text::toValidUtf8(outcome.text) + "\n" + kRepairedUtf8Note;
}

ToolOutcome runGuarded(const ToolFunction& run, std::string_view arguments,
                       const ToolContext& context, const std::string& name) {
  try {
    return run(arguments, context);
  } catch (const std::exception& e) {
    return ToolOutcome::failure("the tool " + name + " failed: " + e.what());
  } catch (...) {
    return ToolOutcome::failure("the tool " + name + " failed with an unknown error");
  }
}

const Tool* findTool(const std::vector<Tool>& tools, const std::string& name) {
  for (const Tool& tool : tools) {
    if (tool.definition.name == name) return &tool;
  }
  return nullptr;
}

std::string toolNames(const std::vector<Tool>& tools) {
  std::string names;
  for (const Tool& tool : tools) {
    if (!names.empty()) names += ", ";
    names += tool.definition.name;
  }
  return names.empty() ? "none" : names;
}

// The outcome for a call that must not run, or nullopt when it may.
std::optional<ToolOutcome> refuse(const ToolCall& call, const Tool* tool,
                                  const std::vector<Tool>& tools) {
  if (tool == nullptr) {
    return ToolOutcome::failure("there is no tool named '" + call.name +
                                "'; the tools are: " + toolNames(tools));
  }
  if (!call.problem.empty()) {
    return ToolOutcome::failure("the arguments for " + call.name +
                                " were not used: " + call.problem +
                                "; call it again with arguments that fit its "
                                "parameters schema");
  }
  return std::nullopt;
}

}  // namespace

std::vector<ToolOutcome> runToolCalls(const std::vector<ToolCall>& calls,
                                      const std::vector<TraceContext>& spans,
                                      const std::vector<Tool>& tools,
                                      std::chrono::milliseconds timeout,
                                      const std::shared_ptr<const CancellationToken>& cancellation,
                                      CallPool& pool,
                                      std::vector<std::chrono::milliseconds>* durations) {
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + timeout;
  if (durations != nullptr) durations->assign(calls.size(), std::chrono::milliseconds(0));
  std::vector<std::shared_ptr<Slot>> slots;
  std::vector<std::optional<ToolOutcome>> outcomes(calls.size());

  for (std::size_t i = 0; i < calls.size(); ++i) {
    const Tool* tool = findTool(tools, calls[i].name);
    if (auto refused = refuse(calls[i], tool, tools)) {
      outcomes[i] = std::move(*refused);
      slots.push_back(nullptr);
      continue;
    }
    auto slot = std::make_shared<Slot>();
    slots.push_back(slot);
    CallPool::Job job;
    job.run = [slot, run = tool->run, arguments = calls[i].arguments,
               context = ToolContext{deadline, cancellation,
                                     i < spans.size() ? spans[i] : TraceContext{}},
               name = calls[i].name] {
      // Past its time or cancelled while it waited for a thread: the loop has moved on.
      if (std::chrono::steady_clock::now() >= context.deadline ||
          (context.cancellation && context.cancellation->cancelled())) {
        slot->fill(ToolOutcome::failure("the tool " + name + " did not start in time"));
        return;
      }
      slot->fill(runGuarded(run, arguments, context, name));
    };
    job.abandon = [slot, name = calls[i].name] {
      slot->fill(ToolOutcome::failure("the tool " + name + " did not run: the host shut down"));
    };
    if (!pool.submit(std::move(job))) {
      slot->fill(ToolOutcome::failure("the tool " + calls[i].name +
                                      " did not run: too many tool runs are waiting"));
    }
  }

  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (!slots[i]) continue;
    std::unique_lock lock(slots[i]->mutex);
    if (slots[i]->filled.wait_until(lock, deadline + kReportGrace,
                                    [&] { return slots[i]->outcome.has_value(); })) {
      outcomes[i] = std::move(*slots[i]->outcome);
      if (durations != nullptr) {
        (*durations)[i] =
            std::chrono::duration_cast<std::chrono::milliseconds>(slots[i]->finished - started);
      }
    } else {
      if (durations != nullptr) (*durations)[i] = timeout;
      outcomes[i] = ToolOutcome::failure("the tool " + calls[i].name + " did not finish in " +
                                         std::to_string(timeout.count()) + " ms");
    }
  }

  std::vector<ToolOutcome> results;
  results.reserve(outcomes.size());
  for (auto& outcome : outcomes) {
    repairUtf8(*outcome);
    results.push_back(std::move(*outcome));
  }
  return results;
}

}  // namespace agent::host
