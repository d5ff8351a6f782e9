// runWithTools: the loop over a scripted provider (the BitRouter integration tests run it over
// real HTTP); what the model is sent at each step, and how every kind of tool failure reads.
#include "agent/host/ToolLoop.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "agent/host/AgentRuntime.hpp"
#include "agent/host/Logger.hpp"
#include "agent/host/ModelRegistry.hpp"
#include "agent/host/Settings.hpp"
#include "support/FakeProvider.hpp"
#include "support/TestSupport.hpp"

namespace agent::host {
namespace {

using namespace std::chrono_literals;
using test::FakeProvider;

ToolCall call(std::string id, std::string name, std::string arguments = "{}") {
  return ToolCall{std::move(id), std::move(name), std::move(arguments), ""};
}

ModelOutput asksFor(std::vector<ToolCall> calls) {
  ModelOutput output;
  output.toolCalls = std::move(calls);
  output.finishReason = "tool_calls";
  return output;
}

ModelOutput answers(std::string text) {
  ModelOutput output;
  output.text = std::move(text);
  output.finishReason = "stop";
  return output;
}

Tool echoTool(std::string name) {
  return Tool{{name, "echoes its arguments", R"({"type":"object"})", std::nullopt},
              [name](std::string_view arguments, const ToolContext&) {
                return ToolOutcome::success(name + " got " + std::string(arguments));
              }};
}

class ToolLoopTest : public ::testing::Test {
 protected:
  void SetUp() override { registry_.registerModel(ModelType::TextSmall, provider_, "fake", 0); }

  // Answers with the scripted outputs in turn.
  void script(std::vector<ModelOutput> outputs) {
    provider_->setHandler([outputs, step = std::make_shared<std::size_t>(0)](
                              ModelType, const GenerateTextParams&) -> ModelResult {
      if (*step >= outputs.size()) return makeError(ErrorKind::Internal, "script exhausted");
      return outputs[(*step)++];
    });
  }

  ToolLoopResult run(const std::vector<Tool>& tools, ToolLoopOptions options = {}) {
    GenerateTextParams params;
    params.system = "be brief";
    params.prompt = "what is up?";
    return runWithTools(runtime_, ModelType::TextSmall, params, tools, options);
  }

  std::ostringstream log_;
  Logger logger_{log_, LogLevel::Info};
  ModelRegistry registry_;
  Settings settings_{Character{}, test::mapEnvironment({})};
  AgentRuntime runtime_{settings_, registry_, logger_};
  std::shared_ptr<FakeProvider> provider_ = std::make_shared<FakeProvider>("fake");
};

TEST_F(ToolLoopTest, RunsATwoStepConversationAndReturnsTheTranscript) {
  script({asksFor({call("c1", "lookup", R"({"q":"x"})")}), answers("done")});
  const ToolLoopResult loop = run({echoTool("lookup")});
  ASSERT_TRUE(loop.result.ok()) << loop.result.error().message;
  EXPECT_EQ(loop.result.output().text, "done");
  EXPECT_EQ(loop.steps, 2);
  ASSERT_EQ(loop.transcript.size(), 5u);
  EXPECT_EQ(loop.transcript[0].role, "system");
  EXPECT_EQ(loop.transcript[1].role, "user");
  EXPECT_EQ(loop.transcript[2].role, "assistant");
  ASSERT_EQ(loop.transcript[2].toolCalls.size(), 1u);
  EXPECT_EQ(loop.transcript[3].role, "tool");
  EXPECT_EQ(loop.transcript[3].toolCallId, "c1");
  EXPECT_EQ(loop.transcript[3].content, R"(lookup got {"q":"x"})");
  EXPECT_EQ(loop.transcript[4].content, "done");

  // The second call carried the whole conversation and the tool definitions.
  const auto calls = provider_->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].params.messages.size(), 4u);
  ASSERT_EQ(calls[1].params.tools.size(), 1u);
  EXPECT_EQ(calls[1].params.tools[0].name, "lookup");
}

TEST_F(ToolLoopTest, EveryToolFailureBecomesAToolMessageAndTheLoopGoesOn) {
  ToolCall mismatched = call("c3", "lookup", R"({"q":1})");
  mismatched.problem = "/q: expected a string";
  script({asksFor({call("c1", "nosuch"), call("c2", "broken"), mismatched, call("c4", "slow")}),
          answers("recovered")});
  Tool broken{{"broken", "", "", std::nullopt}, [](std::string_view, const ToolContext&) {
                throw std::runtime_error("disk on fire");
                return ToolOutcome{};
              }};
  Tool slow{{"slow", "", "", std::nullopt}, [](std::string_view, const ToolContext& context) {
              std::this_thread::sleep_until(context.deadline + 200ms);
              return ToolOutcome::success("late");
            }};
  ToolLoopOptions options;
  options.toolTimeout = 100ms;
  const ToolLoopResult loop = run({echoTool("lookup"), broken, slow}, options);
  ASSERT_TRUE(loop.result.ok());
  ASSERT_EQ(loop.transcript.size(), 8u);
  EXPECT_EQ(loop.transcript[3].content,
            "error: there is no tool named 'nosuch'; the tools are: lookup, broken, slow");
  EXPECT_EQ(loop.transcript[4].content, "error: the tool broken failed: disk on fire");
  EXPECT_NE(loop.transcript[5].content.find("/q: expected a string"), std::string::npos);
  EXPECT_EQ(loop.transcript[6].content, "error: the tool slow did not finish in 100 ms");
}

TEST_F(ToolLoopTest, ParallelCallsRunAtTheSameTime) {
  script({asksFor({call("a", "meet"), call("b", "meet")}), answers("ok")});
  std::latch bothStarted(2);
  Tool meet{{"meet", "", "", std::nullopt}, [&](std::string_view, const ToolContext&) {
              bothStarted.arrive_and_wait();  // deadlocks (and times out) if run one by one
              return ToolOutcome::success("met");
            }};
  ToolLoopOptions options;
  options.toolTimeout = 5s;
  const ToolLoopResult loop = run({meet}, options);
  ASSERT_TRUE(loop.result.ok());
  EXPECT_EQ(loop.transcript[3].content, "met");
  EXPECT_EQ(loop.transcript[4].content, "met");
}

TEST_F(ToolLoopTest, StopsAtTheStepLimitWithoutRunningToolsWhoseResultsWouldNotBeSent) {
  script({asksFor({call("1", "lookup")}), asksFor({call("2", "lookup"), call("3", "other")}),
          asksFor({call("4", "lookup")})});
  std::atomic<int> runs{0};
  Tool counted{{"lookup", "", "", std::nullopt}, [&runs](std::string_view, const ToolContext&) {
                 ++runs;
                 return ToolOutcome::success("looked up");
               }};
  ToolLoopOptions options;
  options.maxSteps = 2;
  const ToolLoopResult loop = run({counted, echoTool("other")}, options);
  ASSERT_FALSE(loop.result.ok());
  EXPECT_EQ(loop.result.error().kind, ErrorKind::BadResponse);
  EXPECT_NE(loop.result.error().message.find("after 2 steps"), std::string::npos);
  EXPECT_NE(loop.result.error().message.find("not run: lookup (2), other (3)"), std::string::npos)
      << loop.result.error().message;
  EXPECT_EQ(runs.load(), 1);  // two model calls: only the first one's tools could be answered
  EXPECT_EQ(loop.steps, 2);
  EXPECT_EQ(loop.transcript.size(), 5u);  // system, user, assistant + tool, assistant
}

TEST_F(ToolLoopTest, OutputThatIsNotUtf8IsRepairedAndTheModelIsTold) {
  script({asksFor({call("c1", "latin1")}), answers("read it")});
  Tool latin1{{"latin1", "", "", std::nullopt}, [](std::string_view, const ToolContext&) {
                return ToolOutcome::success("caf\xe9 cr\xe8me");
              }};
  const ToolLoopResult loop = run({latin1});
  ASSERT_TRUE(loop.result.ok()) << loop.result.error().message;
  EXPECT_EQ(loop.transcript[3].content,
            "caf\xef\xbf\xbd cr\xef\xbf\xbdme\n[agent-host: the tool's output was not valid "
            "UTF-8; the invalid bytes were replaced with U+FFFD]");
}

TEST_F(ToolLoopTest, ToolsRunOnABoundedNumberOfThreads) {
  Settings settings{Character{}, test::mapEnvironment({{"AGENT_MAX_CONCURRENT_TOOLS", "2"}})};
  AgentRuntime runtime{settings, registry_, logger_};
  script({asksFor({call("a", "busy"), call("b", "busy"), call("c", "busy"), call("d", "busy")}),
          answers("ok")});
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  Tool busy{{"busy", "", "", std::nullopt}, [&](std::string_view, const ToolContext&) {
              const int now = ++running;
              for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
              }
              std::this_thread::sleep_for(100ms);
              --running;
              return ToolOutcome::success("done");
            }};
  ToolLoopOptions options;
  options.toolTimeout = 10s;
  GenerateTextParams params;
  params.prompt = "go";
  const ToolLoopResult loop = runWithTools(runtime, ModelType::TextSmall, params, {busy}, options);
  ASSERT_TRUE(loop.result.ok()) << loop.result.error().message;
  EXPECT_EQ(most.load(), 2);
  for (std::size_t i = 2; i < 6; ++i)
    EXPECT_EQ(loop.transcript[i].content, "done");
}

TEST_F(ToolLoopTest, TheRuntimeWaitsForAToolThatOverranItsTime) {
  std::atomic<bool> finished{false};
  {
    AgentRuntime runtime{settings_, registry_, logger_};
    script({asksFor({call("c1", "slow")}), answers("moved on")});
    Tool slow{{"slow", "", "", std::nullopt}, [&finished](std::string_view, const ToolContext&) {
                std::this_thread::sleep_for(300ms);
                finished = true;
                return ToolOutcome::success("late");
              }};
    ToolLoopOptions options;
    options.toolTimeout = 20ms;
    GenerateTextParams params;
    params.prompt = "go";
    const ToolLoopResult loop =
        runWithTools(runtime, ModelType::TextSmall, params, {slow}, options);
    ASSERT_TRUE(loop.result.ok());
    EXPECT_FALSE(finished.load());
  }
  EXPECT_TRUE(finished.load()) << "the tool's thread outlived the runtime";
}

TEST_F(ToolLoopTest, AModelErrorEndsTheLoopWithIt) {
  provider_->failWith(ErrorKind::RateLimited);
  const ToolLoopResult loop = run({echoTool("lookup")});
  ASSERT_FALSE(loop.result.ok());
  EXPECT_EQ(loop.result.error().kind, ErrorKind::RateLimited);
  EXPECT_EQ(loop.steps, 1);
}

TEST_F(ToolLoopTest, AnAnswerCallingAToolLeftToTheCallerEndsTheLoopWithThatAnswer) {
  script({asksFor({call("c1", "manual", R"({"x":1})")}), answers("never sent")});
  const Tool manual{{"manual", "run by the caller", "", std::nullopt}, nullptr};
  const ToolLoopResult loop = run({echoTool("lookup"), manual});
  ASSERT_TRUE(loop.result.ok());
  ASSERT_EQ(loop.result.output().toolCalls.size(), 1u);
  EXPECT_EQ(loop.result.output().toolCalls[0].name, "manual");
  EXPECT_EQ(loop.steps, 1);
}

TEST_F(ToolLoopTest, AskedFirstADeclinedCallDoesNotRunAndAReadOnlyToolIsNotAsked) {
  script(
      {asksFor({call("c1", "write", R"({"path":"x"})"), call("c2", "write"), call("c3", "read")}),
       answers("ok")});
  std::atomic<int> writes{0};
  Tool write{{"write", "changes things", "", std::nullopt},
             [&writes](std::string_view, const ToolContext&) {
               ++writes;
               return ToolOutcome::success("written");
             }};
  Tool read = echoTool("read");
  read.readOnly = true;
  std::vector<std::string> asked;
  ToolLoopOptions options;
  options.approve = [&asked](const ToolCall& call, const Tool& tool) {
    asked.push_back(call.id + " " + tool.definition.name);
    return call.id == "c1" ? ToolApproval::Decline : ToolApproval::Run;
  };
  const ToolLoopResult loop = run({write, read}, options);
  ASSERT_TRUE(loop.result.ok());
  EXPECT_EQ(asked, (std::vector<std::string>{"c1 write", "c2 write"}));
  EXPECT_EQ(writes.load(), 1);
  ASSERT_EQ(loop.transcript.size(), 7u);
  EXPECT_EQ(loop.transcript[3].content,
            "error: the user declined to run write with these arguments");
  EXPECT_EQ(loop.transcript[3].toolCallId, "c1");
  EXPECT_EQ(loop.transcript[4].content, "written");
  EXPECT_EQ(loop.transcript[5].content, "read got {}");
}

}  // namespace
}  // namespace agent::host
