#include "FaultSupport.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>

extern char** environ;

namespace agent::faults {

// --- TempDir -----------------------------------------------------------------------------------

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/agent-faults-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error(std::string("mkdtemp failed: ") + std::strerror(errno));
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  // Tests make entries unreadable and directories unlistable; give them back first.
  std::error_code ec;
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::add, ec);
  for (auto it = std::filesystem::recursive_directory_iterator(path_, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::add, ec);
    }
  }
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::write(const std::string& name, const std::string& content) const {
  const auto file = path_ / name;
  std::ofstream out(file, std::ios::binary);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + file.string());
  return file;
}

std::filesystem::path TempDir::copy(const std::filesystem::path& file,
                                    const std::string& name) const {
  const auto target = path_ / name;
  std::filesystem::copy_file(file, target, std::filesystem::copy_options::overwrite_existing);
  return target;
}

// --- Helpers -----------------------------------------------------------------------------------

long envNumber(const char* name, long fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  char* end = nullptr;
  const long parsed = std::strtol(value, &end, 10);
  return end != nullptr && *end == '\0' && parsed > 0 ? parsed : fallback;
}

milliseconds deadlineSlack() {
  return milliseconds(envNumber("FAULTS_SLACK_MS", 2000));
}

host::Settings::Environment mapEnvironment(EnvMap values) {
  return [values = std::move(values)](std::string_view key) -> std::optional<std::string> {
    if (auto it = values.find(std::string(key)); it != values.end()) return it->second;
    return std::nullopt;
  };
}

GenerateTextParams withPrompt(std::string prompt, bool stream) {
  GenerateTextParams params;
  params.prompt = std::move(prompt);
  params.stream = stream;
  return params;
}

bool contains(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

std::string describe(const ModelResult& result) {
  if (result.ok()) return "ok: " + std::to_string(result.output().text.size()) + " bytes";
  const ModelError& error = result.error();
  std::string text(toString(error.kind));
  if (error.httpStatus != 0) text += " (HTTP " + std::to_string(error.httpStatus) + ")";
  return text + ": " + error.message;
}

std::string cleanEndProblems(const ModelResult& result, const std::set<ErrorKind>& allowed) {
  std::string problems;
  const auto problem = [&problems](const std::string& what) {
    if (!problems.empty()) problems += "; ";
    problems += what;
  };
  if (result.ok()) {
    if (contains(result.output().text, kSecretKey)) problem("the key is in the reply");
    return problems;
  }
  const ModelError& error = result.error();
  if (error.message.empty()) problem("empty error message");
  if (error.message.find_first_of("\r\n") != std::string::npos) problem("multi-line message");
  if (contains(error.message, kSecretKey) || contains(error.partialText, kSecretKey)) {
    problem("the key is in the error");
  }
  if (error.kind == ErrorKind::Internal) problem("an Internal error (a bug reached a boundary)");
  if (!allowed.empty() && allowed.count(error.kind) == 0) {
    problem("unexpected kind " + std::string(toString(error.kind)));
  }
  return problems;
}

// --- Processes ---------------------------------------------------------------------------------

ProcessResult runProcess(const std::string& executable, const std::vector<std::string>& args,
                         const EnvMap& env, milliseconds limit) {
  int outPipe[2], errPipe[2];
  if (::pipe2(outPipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  if (::pipe2(errPipe, O_CLOEXEC) != 0) {
    ::close(outPipe[0]);
    ::close(outPipe[1]);
    throw std::runtime_error("pipe2 failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2);

  std::vector<std::string> argStrings{executable};
  argStrings.insert(argStrings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argStrings)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  // Sanitizer options travel along, so a sanitized child reports like the test process does.
  std::vector<std::string> envStrings{"PATH=/usr/bin:/bin"};
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view variable(*entry);
    if (variable.find("SAN_OPTIONS=") != std::string_view::npos) envStrings.emplace_back(variable);
  }
  for (const auto& [key, value] : env)
    envStrings.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : envStrings)
    envp.push_back(entry.data());
  envp.push_back(nullptr);

  const auto started = Clock::now();
  pid_t pid = 0;
  const int spawned =
      ::posix_spawn(&pid, executable.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(outPipe[1]);
  ::close(errPipe[1]);
  if (spawned != 0) {
    ::close(outPipe[0]);
    ::close(errPipe[0]);
    throw std::runtime_error("posix_spawn " + executable + ": " + std::strerror(spawned));
  }

  // Drain both outputs together so that neither can fill up and block the child; a child that
  // outlives `limit` is killed (the test then fails on its exit code instead of hanging).
  ProcessResult result;
  int openOutputs = 2;
  bool killed = false;
  pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
  while (openOutputs > 0) {
    const auto left = limit - std::chrono::duration_cast<milliseconds>(Clock::now() - started);
    if (left.count() <= 0 && !killed) {
      ::kill(pid, SIGKILL);
      killed = true;
    }
    const int ready = ::poll(fds, 2, killed ? 1000 : static_cast<int>(left.count()));
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (auto& fd : fds) {
      if (fd.fd < 0 || fd.revents == 0) continue;
      char buffer[65536];
      const ssize_t n = ::read(fd.fd, buffer, sizeof buffer);
      if (n > 0) {
        (&fd == &fds[0] ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
      } else {
        ::close(fd.fd);
        fd.fd = -1;
        --openOutputs;
      }
    }
  }
  for (auto& fd : fds) {
    if (fd.fd >= 0) ::close(fd.fd);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
  if (WIFEXITED(status)) result.exitCode = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.exitCode = 128 + WTERMSIG(status);
  return result;
}

// --- FaultTest ---------------------------------------------------------------------------------

void FaultTest::SetUp() {
  std::filesystem::create_symlink(BITROUTER_PLUGIN_FILE, pluginsDir_.path() / "bitrouter.so");
  restartStandin({});
}

void FaultTest::TearDown() {
  host_.reset();  // its pooled connections point at the stand-in
  if (standin_) standin_->stop();
}

void FaultTest::restartStandin(standin::StandinOptions options) {
  host_.reset();
  standin_.reset();
  standin_ = std::make_unique<standin::BitRouterStandin>(std::move(options));
  standin_->start();
}

EnvMap FaultTest::baseEnv() const {
  return {
      {"BITROUTER_BASE_URL", standin_->baseUrl()},
      {"BITROUTER_API_KEY", std::string(kSecretKey)},
      {"BITROUTER_TIMEOUT_MS", "3000"},
      {"BITROUTER_CONNECT_TIMEOUT_MS", "1000"},
      {"BITROUTER_STREAM_IDLE_TIMEOUT_MS", "1500"},
      {"BITROUTER_MAX_RETRIES", "1"},
      {"BITROUTER_RETRY_BASE_MS", "1"},
  };
}

host::AgentHost& FaultTest::makeHost(const EnvMap& overrides) {
  host_.reset();
  EnvMap env = baseEnv();
  for (const auto& [key, value] : overrides)
    env[key] = value;
  deadline_ = milliseconds(std::stol(env.at("BITROUTER_TIMEOUT_MS")));
  host::HostOptions options;
  options.pluginsDirectory = pluginsDir_.path();
  options.environment = mapEnvironment(std::move(env));
  options.logLevel = LogLevel::Debug;
  options.logStream = &log_;
  host_ = std::make_unique<host::AgentHost>(std::move(options));
  return *host_;
}

TimedResult FaultTest::call(std::string prompt, bool stream) {
  if (!host_) makeHost();
  TimedResult timed{makeError(ErrorKind::Internal, "not run"), milliseconds(0), 0, {}};
  GenerateTextParams params = withPrompt(std::move(prompt), stream);
  if (stream) {
    params.onChunk = [&timed](std::string_view chunk) {
      ++timed.chunks;
      timed.streamed.append(chunk);
      return true;
    };
  }
  const auto started = Clock::now();
  timed.result = host_->runtime().useModel(ModelType::TextSmall, std::move(params));
  timed.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
  return timed;
}

void FaultTest::expectCleanEnd(const TimedResult& call, const std::set<ErrorKind>& allowed) {
  // Kept in the test report (--gtest_output=json), so a run shows how each fault ended.
  ::testing::Test::RecordProperty("outcome", describe(call.result).substr(0, 200) + " in " +
                                                 std::to_string(call.elapsed.count()) + " ms");
  EXPECT_EQ(cleanEndProblems(call.result, allowed), "") << describe(call.result);
  EXPECT_LE(call.elapsed, deadline_ + deadlineSlack()) << describe(call.result);
  EXPECT_FALSE(contains(logText(), kSecretKey)) << "the key is in the log";
}

}  // namespace agent::faults
