// agent-host chat as people and scripts use it: through a pipe (one user line per turn, replies
// only) and in a real pseudo-terminal (prompts, Ctrl-C stops a reply, Ctrl-D leaves), with the
// real binary, bitrouter.so and the stand-in.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "IntegrationSupport.hpp"

namespace agent::bitrouter::integration {
namespace {

using namespace std::chrono_literals;

// A child process on the far side of a pseudo-terminal, as a person's shell would run it.
class PtyProcess {
 public:
  PtyProcess(const std::vector<std::string>& argv, const EnvMap& env) {
    // Everything the child needs is built before the fork: this process has threads, and its
    // forked copy may only exec (no allocation, no setenv).
    std::vector<char*> args;
    for (const std::string& arg : argv)
      args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    std::vector<std::string> entries;
    for (const auto& [key, value] : env)
      entries.push_back(key + "=" + value);
    std::vector<char*> envp;
    for (std::string& entry : entries)
      envp.push_back(entry.data());
    envp.push_back(nullptr);
    pid_ = ::forkpty(&master_, nullptr, nullptr, nullptr);
    if (pid_ == 0) {
      ::execve(args[0], args.data(), envp.data());
      ::_exit(127);
    }
  }
  ~PtyProcess() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) ::close(master_);
  }

  void type(std::string_view keys) {
    [[maybe_unused]] const auto n = ::write(master_, keys.data(), keys.size());
  }

  /// Reads until `text` has appeared after `from` (an offset into everything read so far).
  bool waitFor(std::string_view text, std::size_t from = 0,
               std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (screen_.find(text, from) == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd fd{master_, POLLIN, 0};
      if (::poll(&fd, 1, static_cast<int>(left.count())) <= 0) continue;
      char buffer[4096];
      const auto n = ::read(master_, buffer, sizeof buffer);
      if (n <= 0) return screen_.find(text, from) != std::string::npos;
      screen_.append(buffer, static_cast<std::size_t>(n));
    }
    return true;
  }

  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    exited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  const std::string& screen() const { return screen_; }

 private:
  int master_ = -1;
  pid_t pid_ = -1;
  bool exited_ = false;
  std::string screen_;
};

class ChatCliTest : public BitRouterIntegrationTest {
 protected:
  EnvMap env() const {
    return {{"BITROUTER_BASE_URL", standin().baseUrl()}, {"BITROUTER_RETRY_BASE_MS", "1"}};
  }
  std::vector<std::string> args(std::vector<std::string> extra = {}) {
    std::vector<std::string> all{"--plugins-dir",
                                 preparePlugins(Plugins::BitRouterAndEcho).string(), "chat"};
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  }
  ProcessResult chat(const std::string& input, std::vector<std::string> extra = {}) {
    return runProcess(AGENT_HOST_EXE, args(std::move(extra)), env(), input);
  }
  rapidjson::Document request(std::size_t index) const {
    return parseJson(chatRequests().at(index).body);
  }
  std::string writeFile(const std::string& name, const std::string& content) {
    const std::string path = (scratch_.path() / name).string();
    std::ofstream(path) << content;
    return path;
  }

  TempDir scratch_;
};

TEST_F(ChatCliTest, ThroughAPipeEachLineIsATurnAndTheHistoryGoesWithEachTurn) {
  standin().script({.content = "Hi Ada."});
  standin().script({.content = "You said your name is Ada."});
  const std::string saved = (scratch_.path() / "talk.json").string();
  const ProcessResult result =
      chat("My name is Ada.\n/model TEXT_LARGE\nWhat is my name?\n/save " + saved + "\n");
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out,
            "Hi Ada.\n(model type TEXT_LARGE)\nYou said your name is Ada.\n(saved 4 messages to " +
                saved + ")\n");
  const rapidjson::Document second = request(1);
  EXPECT_STREQ(second["model"].GetString(), "gpt-4o");
  EXPECT_TRUE(second["stream"].GetBool());
  ASSERT_EQ(second["messages"].Size(), 3u);
  EXPECT_STREQ(second["messages"][1]["content"].GetString(), "Hi Ada.");

  // The saved conversation continues where it stopped.
  const ProcessResult resumed = chat("And now?\n", {"--messages", saved});
  ASSERT_EQ(resumed.exitCode, 0) << resumed.err;
  EXPECT_EQ(request(2)["messages"].Size(), 5u);
}

TEST_F(ChatCliTest, TheCharacterGivesTheSystemPromptAndTheBudgetDropsTheOldestTurns) {
  const std::string character = writeFile(
      "ada.json", R"({"name":"Ada","bio":["a mathematician"],"style":{"chat":["terse"]}})");
  const std::string longTurn(400, 'x');
  const ProcessResult result =
      runProcess(AGENT_HOST_EXE,
                 {"--plugins-dir", preparePlugins(Plugins::BitRouterAndEcho).string(),
                  "--character", character, "chat", "--max-history-tokens", "150"},
                 env(), longTurn + "\n" + longTurn + "\nshort\n");
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const rapidjson::Document third = request(2);
  const auto& messages = third["messages"];
  EXPECT_STREQ(messages[0]["role"].GetString(), "system");
  EXPECT_STREQ(messages[0]["content"].GetString(),
               "You are Ada.\n\nAbout you:\n- a mathematician\n\nHow you write:\n- terse");
  // 400 characters are about 100 tokens a turn: only the newest turns fit in 150.
  EXPECT_LT(messages.Size(), 6u);
  EXPECT_STREQ(messages[messages.Size() - 1]["content"].GetString(), "short");
}

TEST_F(ChatCliTest, AFailedTurnIsReportedAndTheConversationGoesOn) {
  standin().script({.status = 401});
  const ProcessResult result = chat("first\nsecond\n");
  EXPECT_EQ(result.exitCode, 0);
  EXPECT_TRUE(contains(result.err, "agent-host: auth:")) << result.err;
  EXPECT_TRUE(contains(result.out, "Stand-in reply from gpt-4o-mini: second")) << result.out;
  EXPECT_EQ(request(1)["messages"].Size(), 1u);  // the failed turn was taken back
}

TEST_F(ChatCliTest, ToolsRunInsideTheConversation) {
  const std::string tools =
      R"([{"name":"roll_die","description":"Rolls a die","parameters":{"type":"object"}}])";
  standin().script({.toolCalls = {{"call_1", "roll_die", "{}"}}});
  standin().script({.content = "You rolled a 4."});
  const ProcessResult result =
      chat("Roll a die\n", {"--tools", tools, "--tool-command", "roll_die=echo 4"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "[tool call roll_die {}]")) << result.out;
  EXPECT_TRUE(contains(result.out, "[tool roll_die result] 4")) << result.out;
  EXPECT_TRUE(contains(result.out, "You rolled a 4.")) << result.out;
}

TEST_F(ChatCliTest, InATerminalCtrlCStopsTheReplyAndCtrlDLeaves) {
  std::vector<std::string> argv{AGENT_HOST_EXE};
  for (const std::string& arg : args())
    argv.push_back(arg);
  PtyProcess terminal(argv, env());
  ASSERT_TRUE(terminal.waitFor("you> ")) << terminal.screen();

  terminal.type("hello\n");
  ASSERT_TRUE(terminal.waitFor("Stand-in reply from gpt-4o-mini: hello")) << terminal.screen();
  std::size_t mark = terminal.screen().size();
  ASSERT_TRUE(terminal.waitFor("you> ", mark - 5)) << terminal.screen();

  // A slow streamed reply: Ctrl-C after its first piece ends it and brings the prompt back.
  standin().script({.streamChunks = {"One ", "two ", "three ", "four"}, .frameDelay = 3s});
  mark = terminal.screen().size();
  const auto started = std::chrono::steady_clock::now();
  terminal.type("count\n");
  ASSERT_TRUE(terminal.waitFor("One ", mark)) << terminal.screen();
  terminal.type("\x03");
  ASSERT_TRUE(terminal.waitFor("(reply cancelled)", mark)) << terminal.screen();
  ASSERT_TRUE(terminal.waitFor("you> ", mark)) << terminal.screen();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);

  // The cut reply stays in the history, marked.
  standin().script({.content = "ok"});
  mark = terminal.screen().size();
  terminal.type("next\n");
  ASSERT_TRUE(terminal.waitFor("ok", mark)) << terminal.screen();
  const rapidjson::Document third = request(2);
  const auto& messages = third["messages"];
  ASSERT_EQ(messages.Size(), 5u);
  EXPECT_STREQ(messages[3]["content"].GetString(), "One \n[reply cancelled by the user]");

  terminal.type("\x04");
  EXPECT_EQ(terminal.wait(), 0) << terminal.screen();
}

}  // namespace
}  // namespace agent::bitrouter::integration
