#include "ToolRunner.hpp"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace agent::host {
namespace {

// The result slot one tool thread fills; shared so that a thread left running past its time
// still has somewhere to write.
struct Slot {
  std::mutex mutex;
  std::condition_variable filled;
  std::optional<ToolOutcome> outcome;
  std::chrono::steady_clock::time_point finished;
};

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
                                      const std::vector<Tool>& tools,
                                      std::chrono::milliseconds timeout,
                                      const std::shared_ptr<const CancellationToken>& cancellation,
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
    std::thread([slot, run = tool->run, arguments = calls[i].arguments,
                 context = ToolContext{deadline, cancellation}, name = calls[i].name] {
      ToolOutcome outcome;
      try {
        outcome = run(arguments, context);
      } catch (const std::exception& e) {
        outcome = ToolOutcome::failure("the tool " + name + " failed: " + e.what());
      } catch (...) {
        outcome = ToolOutcome::failure("the tool " + name + " failed with an unknown error");
      }
      {
        std::lock_guard lock(slot->mutex);
        slot->outcome = std::move(outcome);
        slot->finished = std::chrono::steady_clock::now();
      }
      slot->filled.notify_all();
    }).detach();
  }

  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (!slots[i]) continue;
    std::unique_lock lock(slots[i]->mutex);
    if (slots[i]->filled.wait_until(lock, deadline,
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
  for (auto& outcome : outcomes)
    results.push_back(std::move(*outcome));
  return results;
}

}  // namespace agent::host
