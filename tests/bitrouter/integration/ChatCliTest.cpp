// agent-host chat as people and scripts use it: through a pipe (one user line per turn, replies
// only) and in a real pseudo-terminal (prompts, Ctrl-C stops a reply, Ctrl-D leaves), with the
// real binary, bitrouter.so and the stand-in.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "IntegrationSupport.hpp"

namespace agent::bitrouter::integration {
namespace {

using namespace std::chrono_literals;

// A child process on the far side of a pseudo-terminal, as a person's shell would run it.
// Everything the child needs is built before forkpty(): this test process has threads (the
// stand-in), so the child may only call async-signal-safe functions until it execs.
class PtyProcess {
 public:
  PtyProcess(const std::vector<std::string>& argv, const EnvMap& env) {
    std::vector<std::string> environment;
    for (const auto& [key, value] : env)
      environment.push_back(key + "=" + value);
    std::vector<char*> args;
    for (const std::string& arg : argv)
      args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    std::vector<char*> envp;
    for (const std::string& entry : environment)
      envp.push_back(const_cast<char*>(entry.c_str()));
    envp.push_back(nullptr);
    winsize size{};
    size.ws_row = 24;
    size.ws_col = 100;
    pid_ = ::forkpty(&master_, nullptr, nullptr, &size);
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

  /// Sends keys (or a paste) to the terminal, all of it, reading what the child prints
  /// meanwhile so that neither side waits for the other.
  void type(std::string_view keys) {
    while (!keys.empty()) {
      pollfd fds[2] = {{master_, POLLOUT, 0}, {master_, POLLIN, 0}};
      if (::poll(fds, 2, 10000) <= 0) return;
      if ((fds[1].revents & POLLIN) != 0) readSome();
      if ((fds[0].revents & POLLOUT) == 0) continue;
      const auto n = ::write(master_, keys.data(), std::min<std::size_t>(keys.size(), 4096));
      if (n <= 0) return;
      keys.remove_prefix(static_cast<std::size_t>(n));
    }
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
      if (!readSome()) return screen_.find(text, from) != std::string::npos;
    }
    return true;
  }

  /// Waits until the child sits at `prompt` with nothing after it: the line editor reads keys
  /// (a key typed before that reaches the terminal in its cooked mode: Ctrl-D would be lost).
  bool waitForPrompt(std::string_view prompt = "you> ") {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!screen_.ends_with(prompt)) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      pollfd fd{master_, POLLIN, 0};
      if (::poll(&fd, 1, 100) > 0 && !readSome()) return false;
    }
    return true;
  }

  /// The exit code, or -1 when the child is still running after 10 s (it is then killed).
  int wait() {
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() >= deadline) return -1;  // the destructor kills it
      pollfd fd{master_, POLLIN, 0};
      if (::poll(&fd, 1, 20) > 0) readSome();
    }
    exited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  const std::string& screen() const { return screen_; }

 private:
  bool readSome() {
    char buffer[65536];
    const auto n = ::read(master_, buffer, sizeof buffer);
    if (n <= 0) return false;
    screen_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }

  int master_ = -1;
  pid_t pid_ = -1;
  bool exited_ = false;
  std::string screen_;
};

class ChatCliTest : public BitRouterIntegrationTest {
 protected:
  EnvMap env() const {
    return {{"BITROUTER_BASE_URL", standin().baseUrl()},
            {"BITROUTER_RETRY_BASE_MS", "1"},
            {"TERM", "xterm"},
            {"XDG_STATE_HOME", (scratch_.path() / "state").string()}};
  }
  std::vector<std::string> argv(std::vector<std::string> extra = {}) {
    std::vector<std::string> all{AGENT_HOST_EXE};
    for (const std::string& arg : args(std::move(extra)))
      all.push_back(arg);
    return all;
  }
  std::string lastUserContent(std::size_t index) const {
    const rapidjson::Document body = request(index);
    const auto& messages = body["messages"];
    return messages[messages.Size() - 1]["content"].GetString();
  }
  std::filesystem::path historyFile() const {
    return scratch_.path() / "state" / "agent-host" / "chat_history";
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
  // stdout holds the replies only; notes go to stderr.
  EXPECT_EQ(result.out, "Hi Ada.\nYou said your name is Ada.\n");
  EXPECT_EQ(result.err, "(model type TEXT_LARGE)\n(saved 4 messages to " + saved + ")\n");
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
  // The die prints 4, then 200 KB more: the model gets it all, the screen a short line.
  const ProcessResult result =
      chat("Roll a die\n", {"--tools", tools, "--tool-command",
                            "roll_die=echo 4; head -c 200000 /dev/zero | tr '\\0' x"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  // Through a pipe nobody is asked, and stdout carries the reply only.
  EXPECT_EQ(result.out, "You rolled a 4.\n");
  EXPECT_TRUE(contains(result.err, "[tool call roll_die {}]\n")) << result.err;
  EXPECT_TRUE(contains(result.err, "[tool roll_die result] 4 xxxx")) << result.err;
  EXPECT_TRUE(contains(result.err, " more bytes)\n")) << result.err;
  EXPECT_LT(result.err.size(), 1000u);
  EXPECT_EQ(std::string(request(1)["messages"][2]["content"].GetString()).size(), 200002u);
}

TEST_F(ChatCliTest, ChatTakesSystemAndModelNameLikeGenerate) {
  const ProcessResult result =
      chat("hi\n/model\n", {"--system", "Be terse.", "--model-name", "anthropic:claude-test"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const rapidjson::Document body = request(0);
  EXPECT_STREQ(body["model"].GetString(), "anthropic:claude-test");
  EXPECT_STREQ(body["messages"][0]["role"].GetString(), "system");
  EXPECT_STREQ(body["messages"][0]["content"].GetString(), "Be terse.");
  EXPECT_TRUE(contains(result.err,
                       "(model type TEXT_SMALL; model anthropic:claude-test, from "
                       "--model-name)"))
      << result.err;
}

TEST_F(ChatCliTest, ModelProviderUsageToolsAndReasoningCommands) {
  const std::string tools =
      R"([{"name":"roll_die","description":"Rolls a die\nwith six faces","parameters":{}},)"
      R"({"name":"flip","description":"Flips a coin","parameters":{}}])";
  standin().script({.content = "Four.", .reasoning = "dice have six faces"});
  standin().script({.content = "Again.", .reasoning = "still six"});
  const ProcessResult result = chat(
      "/model\nroll\n/model\n/usage\n/provider nope\n/provider echo\n/provider bitrouter\n"
      "/provider\n"
      "/tools\n/reasoning on\nagain\n/usage\n",
      {"--tools", tools});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "Four.\nAgain.\n");
  const std::string& err = result.err;
  EXPECT_TRUE(contains(err,
                       "(model type TEXT_SMALL; the provider picks the model; it is shown "
                       "after the first reply)"))
      << err;
  EXPECT_TRUE(contains(err,
                       "(model type TEXT_SMALL; model gpt-4o-mini from bitrouter in the "
                       "last reply)"))
      << err;
  EXPECT_TRUE(contains(err, "(last turn: ")) << err;
  EXPECT_TRUE(contains(err, "tokens in 1 call; conversation: ")) << err;
  EXPECT_TRUE(contains(err, "no provider named 'nope' (loaded: bitrouter;")) << err;
  EXPECT_TRUE(contains(err, "provider 'echo' is disabled: ")) << err;
  EXPECT_TRUE(contains(err, "(provider bitrouter)\n(any provider)\n")) << err;
  EXPECT_TRUE(contains(err, "  roll_die  Rolls a die\n  flip  Flips a coin\n")) << err;
  // Reasoning is hidden until asked for; through a pipe it goes to stderr.
  EXPECT_FALSE(contains(err, "dice have six faces")) << err;
  EXPECT_TRUE(contains(err, "still six")) << err;
  EXPECT_TRUE(contains(err, "tokens in 2 calls")) << err;  // the conversation so far
  EXPECT_EQ(standin().chatRequestCount(), 2u);
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

  ASSERT_TRUE(terminal.waitForPrompt()) << terminal.screen();
  terminal.type("\x04");
  EXPECT_EQ(terminal.wait(), 0) << terminal.screen();
}

TEST_F(ChatCliTest, InATerminalArrowKeysEditTheLineAndUpRecallsAnEarlierTurn) {
  PtyProcess terminal(argv(), env());
  ASSERT_TRUE(terminal.waitFor("you> ")) << terminal.screen();
  // "helo", Left, "l": the line reads "hello" (today the arrow went to the model as text).
  std::size_t mark = terminal.screen().size();
  terminal.type("helo\x1b[Dl\r");
  ASSERT_TRUE(terminal.waitFor("Stand-in reply from gpt-4o-mini: hello", mark))
      << terminal.screen();
  EXPECT_EQ(lastUserContent(0), "hello");
  ASSERT_TRUE(terminal.waitFor("you> ", mark + 10)) << terminal.screen();

  // Up brings "hello" back; Enter sends it again.
  mark = terminal.screen().size();
  terminal.type("\x1b[A\r");
  ASSERT_TRUE(terminal.waitFor("gpt-4o-mini: hello", mark)) << terminal.screen();
  EXPECT_EQ(lastUserContent(1), "hello");
  ASSERT_TRUE(terminal.waitFor("you> ", mark + 10)) << terminal.screen();

  // A line ending in a backslash goes on on the next line.
  mark = terminal.screen().size();
  terminal.type("first line\\\r");
  ASSERT_TRUE(terminal.waitFor("...> ", mark)) << terminal.screen();
  terminal.type("  second line\r");
  ASSERT_TRUE(terminal.waitFor("second line", terminal.screen().size() - 5)) << terminal.screen();
  ASSERT_TRUE(terminal.waitFor("you> ", mark + 20)) << terminal.screen();
  EXPECT_EQ(lastUserContent(2), "first line\n  second line");

  ASSERT_TRUE(terminal.waitForPrompt()) << terminal.screen();
  terminal.type("\x04");
  EXPECT_EQ(terminal.wait(), 0) << terminal.screen();
  // The lines typed are kept for the next session, readable by their owner only.
  std::ifstream history(historyFile());
  const std::string kept((std::istreambuf_iterator<char>(history)),
                         std::istreambuf_iterator<char>());
  EXPECT_TRUE(contains(kept, "hello")) << kept;
  struct stat status {};
  ASSERT_EQ(::stat(historyFile().c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0600u);

  // The next session recalls them; AGENT_CHAT_HISTORY=off keeps no file at all.
  std::filesystem::remove(historyFile());
  EnvMap off = env();
  off["AGENT_CHAT_HISTORY"] = "off";
  PtyProcess forgetful(argv(), off);
  ASSERT_TRUE(forgetful.waitFor("you> ")) << forgetful.screen();
  forgetful.type("secret\r");
  ASSERT_TRUE(forgetful.waitFor("gpt-4o-mini: secret")) << forgetful.screen();
  ASSERT_TRUE(forgetful.waitFor("you> ", forgetful.screen().find("gpt-4o-mini: secret")))
      << forgetful.screen();
  forgetful.type("\x04");
  EXPECT_EQ(forgetful.wait(), 0) << forgetful.screen();
  EXPECT_FALSE(std::filesystem::exists(historyFile()));
}

TEST_F(ChatCliTest, InATerminalKeysTypedDuringAReplyAreShownOnceAtTheNextPrompt) {
  PtyProcess terminal(argv(), env());
  ASSERT_TRUE(terminal.waitFor("you> ")) << terminal.screen();
  standin().script({.streamChunks = {"One ", "two"}, .frameDelay = 1s});
  const std::size_t mark = terminal.screen().size();
  terminal.type("count\r");
  ASSERT_TRUE(terminal.waitFor("One ", mark)) << terminal.screen();
  terminal.type("typed-ahead");  // while the reply is still coming
  ASSERT_TRUE(terminal.waitFor("two", mark)) << terminal.screen();
  ASSERT_TRUE(terminal.waitFor("you> ", terminal.screen().find("two", mark))) << terminal.screen();
  ASSERT_TRUE(terminal.waitFor("typed-ahead", terminal.screen().rfind("you> ")))
      << terminal.screen();
  // Once, at the prompt: the terminal did not also echo it into the reply.
  const std::string after = terminal.screen().substr(mark);
  EXPECT_EQ(after.find("typed-ahead"), after.rfind("typed-ahead")) << after;
  EXPECT_LT(after.find("two"), after.find("typed-ahead")) << after;
  // And the keys were kept: Enter sends them as the next turn.
  standin().script({.content = "ok"});
  terminal.type("\r");
  ASSERT_TRUE(terminal.waitFor("ok", terminal.screen().size())) << terminal.screen();
  EXPECT_EQ(lastUserContent(1), "typed-ahead");
  ASSERT_TRUE(terminal.waitForPrompt()) << terminal.screen();
  terminal.type("\x04");
  EXPECT_EQ(terminal.wait(), 0) << terminal.screen();
}

TEST_F(ChatCliTest, InATerminalAPasteIsOneTurnWholeWithItsIndentation) {
  PtyProcess terminal(argv(), env());
  ASSERT_TRUE(terminal.waitFor("you> ")) << terminal.screen();

  standin().script({.content = "Looked."});
  std::size_t mark = terminal.screen().size();
  terminal.type("Look: \x1b[200~def f():\r    return 1\r\r# end\r\x1b[201~");
  ASSERT_TRUE(terminal.waitFor("Looked.", mark)) << terminal.screen();
  EXPECT_TRUE(contains(terminal.screen(), "(pasted 4 lines, ")) << terminal.screen();
  ASSERT_EQ(standin().chatRequestCount(), 1u);  // one turn, not four
  EXPECT_EQ(lastUserContent(0), "Look: def f():\n    return 1\n\n# end");
  ASSERT_TRUE(terminal.waitFor("you> ", mark + 10)) << terminal.screen();

  // 100 KB: no 4 KB cut, no line lost.
  std::string big;
  for (int line = 0; big.size() < 100 * 1024; ++line)
    big += "line " + std::to_string(line) + " " + std::string(1000, 'x') + "\n";
  std::string typed = big;
  std::replace(typed.begin(), typed.end(), '\n', '\r');  // Enter, as a terminal sends it
  standin().script({.content = "Read it all."});
  mark = terminal.screen().size();
  terminal.type("\x1b[200~" + typed + "\x1b[201~");
  ASSERT_TRUE(terminal.waitFor("Read it all.", mark, 30s)) << terminal.screen().substr(mark);
  ASSERT_EQ(standin().chatRequestCount(), 2u);
  big.pop_back();  // the last newline ends the paste, it is not part of the turn
  EXPECT_EQ(lastUserContent(1), big);

  ASSERT_TRUE(terminal.waitForPrompt()) << terminal.screen();
  terminal.type("\x04");
  EXPECT_EQ(terminal.wait(), 0) << terminal.screen().substr(mark);
}

TEST_F(ChatCliTest, InATerminalEachToolCallWaitsForYesNoOrAlways) {
  const std::string ran = (scratch_.path() / "ran").string();
  const std::string tools =
      R"([{"name":"roll_die","description":"Rolls a die","parameters":{"type":"object"}},)"
      R"({"name":"flip","description":"Flips a coin","parameters":{"type":"object"}}])";
  PtyProcess terminal(
      argv({"--tools", tools, "--tool-command", "roll_die=echo once >> '" + ran + "'; echo 4",
            "--tool-command", "flip=echo flip >> '" + ran + "'; echo heads"}),
      env());
  ASSERT_TRUE(terminal.waitFor("you> ")) << terminal.screen();
  const auto runs = [&ran] {
    std::ifstream file(ran);
    return std::count(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>(), '\n');
  };

  // No: the tool does not run and the model reads that the user declined.
  standin().script({.toolCalls = {{"call_1", "roll_die", R"({"sides":6})"}}});
  standin().script({.content = "As you wish."});
  std::size_t mark = terminal.screen().size();
  terminal.type("roll\r");
  ASSERT_TRUE(terminal.waitFor("[tool call roll_die {\"sides\":6}]", mark)) << terminal.screen();
  ASSERT_TRUE(terminal.waitFor("run roll_die? [y]es, [n]o, [a]lways", mark)) << terminal.screen();
  terminal.type("n\r");
  ASSERT_TRUE(terminal.waitFor("As you wish.", mark)) << terminal.screen();
  EXPECT_EQ(runs(), 0);
  EXPECT_STREQ(request(1)["messages"][2]["content"].GetString(),
               "error: the user declined to run roll_die with these arguments");
  ASSERT_TRUE(terminal.waitFor("you> ", mark + 10)) << terminal.screen();

  // Yes runs it once.
  standin().script({.toolCalls = {{"call_2", "roll_die", "{}"}}});
  standin().script({.content = "A four."});
  mark = terminal.screen().size();
  terminal.type("roll again\r");
  ASSERT_TRUE(terminal.waitFor("run roll_die?", mark)) << terminal.screen();
  terminal.type("y\r");
  ASSERT_TRUE(terminal.waitFor("A four.", mark)) << terminal.screen();
  EXPECT_EQ(runs(), 1);
  ASSERT_TRUE(terminal.waitFor("you> ", mark + 10)) << terminal.screen();

  // Always: this call runs, and the next ones of the same tool without a question.
  for (const char* reply : {"Another four.", "Four again."}) {
    standin().script({.toolCalls = {{"call_3", "roll_die", "{}"}}});
    standin().script({.content = reply});
  }
  mark = terminal.screen().size();
  terminal.type("and again\r");
  ASSERT_TRUE(terminal.waitFor("run roll_die?", mark)) << terminal.screen();
  terminal.type("a\r");
  ASSERT_TRUE(terminal.waitFor("Another four.", mark)) << terminal.screen();
  ASSERT_TRUE(terminal.waitFor("you> ", mark + 10)) << terminal.screen();
  mark = terminal.screen().size();
  terminal.type("once more\r");
  ASSERT_TRUE(terminal.waitFor("Four again.", mark)) << terminal.screen();
  EXPECT_FALSE(contains(terminal.screen().substr(mark), "run roll_die?")) << terminal.screen();
  EXPECT_EQ(runs(), 3);
  ASSERT_TRUE(terminal.waitFor("you> ", mark + 10)) << terminal.screen();

  // "Always" was for roll_die only. Ctrl-C at the question stops the reply, runs nothing, and
  // leaves the chat at its prompt.
  standin().script({.toolCalls = {{"call_4", "flip", "{}"}}});
  mark = terminal.screen().size();
  terminal.type("flip a coin\r");
  ASSERT_TRUE(terminal.waitFor("run flip?", mark)) << terminal.screen();
  terminal.type("\x03");
  ASSERT_TRUE(terminal.waitFor("(reply cancelled)", mark)) << terminal.screen();
  ASSERT_TRUE(terminal.waitFor("you> ", terminal.screen().find("(reply cancelled)", mark)))
      << terminal.screen();
  standin().script({.content = "Still here."});
  terminal.type("hello\r");
  ASSERT_TRUE(terminal.waitFor("Still here.", mark)) << terminal.screen();
  EXPECT_EQ(runs(), 3);

  ASSERT_TRUE(terminal.waitForPrompt()) << terminal.screen();
  terminal.type("\x04");
  EXPECT_EQ(terminal.wait(), 0) << terminal.screen();
}

TEST_F(ChatCliTest, InATerminalYesSkipsTheQuestionAndControlCharactersAreShownNotObeyed) {
  const std::string tools =
      R"([{"name":"paint","description":"Paints","parameters":{"type":"object"}}])";
  PtyProcess terminal(
      argv({"--yes", "--tools", tools, "--tool-command", R"(paint=printf '[2J[31mred')"}), env());
  ASSERT_TRUE(terminal.waitFor("you> ")) << terminal.screen();
  standin().script({.toolCalls = {{"call_1", "paint", "{}"}}});
  standin().script({.content = "Done\x1b[A\x1b[2K."});
  const std::size_t mark = terminal.screen().size();
  terminal.type("paint\r");
  ASSERT_TRUE(terminal.waitFor("Done^[[A^[[2K.", mark)) << terminal.screen();
  const std::string shown = terminal.screen().substr(mark);
  EXPECT_TRUE(contains(shown, "[tool paint result] ^[[2J^[[31mred")) << shown;
  EXPECT_FALSE(contains(shown, "run paint?")) << shown;
  EXPECT_FALSE(contains(shown, "\x1b[2J")) << shown;
  EXPECT_FALSE(contains(shown, "\x1b[31m")) << shown;
  // The model still reads what the tool printed, byte for byte.
  EXPECT_STREQ(request(1)["messages"][2]["content"].GetString(), "\x1b[2J\x1b[31mred");
  ASSERT_TRUE(terminal.waitForPrompt()) << terminal.screen();
  terminal.type("\x04");
  EXPECT_EQ(terminal.wait(), 0) << terminal.screen();

  // Through a pipe the text is unchanged.
  standin().script({.content = "Done\x1b[A."});
  const ProcessResult piped = chat("hi\n");
  EXPECT_EQ(piped.out, "Done\x1b[A.\n");

  // generate alike, streamed or not.
  for (const char* stream : {"--stream", "--max-tokens=100"}) {
    standin().script({.content = "Gen\x1b[2J."});
    PtyProcess generate(
        {AGENT_HOST_EXE, "--plugins-dir", preparePlugins(Plugins::BitRouterAndEcho).string(),
         "generate", stream, "hi"},
        env());
    EXPECT_TRUE(generate.waitFor("Gen^[[2J.")) << generate.screen();
    EXPECT_EQ(generate.wait(), 0) << generate.screen();
  }
}

}  // namespace
}  // namespace agent::bitrouter::integration
