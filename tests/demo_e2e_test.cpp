// End to end: the worker-demo binary, started as a process, probed over HTTP, stopped by SIGTERM.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kDeadline = std::chrono::seconds(30);

// A child process with its stdout and stderr read through one pipe.
class Process {
 public:
  explicit Process(std::vector<std::string> args) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
      throw std::runtime_error("posix_spawn " + args[0]);
    }
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    out_ = fds[0];
  }
  ~Process() {
    if (!exit_status_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(out_);
  }

  // Reads output until a line contains `needle` or the deadline passes; returns that line.
  std::optional<std::string> read_line_with(const std::string& needle) {
    const auto until = Clock::now() + kDeadline;
    for (;;) {
      for (auto newline = buffer_.find('\n'); newline != std::string::npos;
           newline = buffer_.find('\n')) {
        std::string line = buffer_.substr(0, newline);
        buffer_.erase(0, newline + 1);
        output_ += line + "\n";
        if (line.find(needle) != std::string::npos) return line;
      }
      if (!read_some(until)) return std::nullopt;
    }
  }

  // Waits for the exit; returns the exit status, or nullopt at the deadline.
  std::optional<int> wait_exit() {
    const auto until = Clock::now() + kDeadline;
    while (Clock::now() < until) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return exit_status_;
      }
      read_some(Clock::now() + std::chrono::milliseconds(20));
    }
    return std::nullopt;
  }

  void signal(int sig) { kill(pid_, sig); }
  std::string output() {
    read_some(Clock::now() + std::chrono::milliseconds(50));
    return output_ + buffer_;
  }

 private:
  bool read_some(Clock::time_point until) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0) return false;
    pollfd fd{out_, POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[4096];
    const ssize_t n = read(out_, chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  pid_t pid_ = -1;
  int out_ = -1;
  std::string buffer_;
  std::string output_;
  std::optional<int> exit_status_;
};

TEST(WorkerDemoTest, ServesHealthMetricsAndExecutionsThenStopsOnSigterm) {
  Process demo({WORKER_DEMO_PATH, "--port", "0"});
  const auto listening = demo.read_line_with("admin server listening");
  ASSERT_TRUE(listening) << demo.output();
  const auto record = nlohmann::json::parse(*listening);
  const int port = std::stoi(record["port"].get<std::string>());
  ASSERT_GT(port, 0);

  httplib::Client client("127.0.0.1", port);
  const auto until = Clock::now() + kDeadline;
  int ready_status = 0;
  while (Clock::now() < until) {
    auto response = client.Get("/readyz");
    if (response && response->status == 200) {
      ready_status = 200;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(ready_status, 200) << demo.output();

  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_THAT(metrics->body, ::testing::HasSubstr("worker_executions_total{status=\"started\""));

  auto executions = client.Get("/executions");
  ASSERT_TRUE(executions);
  std::vector<std::string> names;
  for (const auto& execution : nlohmann::json::parse(executions->body)) {
    names.push_back(execution["name"]);
  }
  EXPECT_THAT(names, ::testing::ElementsAre("bootstrap", "flaky", "spanner", "ticker"));

  demo.signal(SIGTERM);
  const auto status = demo.wait_exit();
  ASSERT_TRUE(status) << "no exit within the deadline\n" << demo.output();
  EXPECT_EQ(*status, 0) << demo.output();
  EXPECT_THAT(demo.output(), ::testing::HasSubstr(R"("message":"stopped")"));
}

TEST(WorkerDemoTest, BadFlagsAndConfigExitNonZeroWithAMessage) {
  {
    Process demo({WORKER_DEMO_PATH, "--port", "http"});
    const auto status = demo.wait_exit();
    ASSERT_TRUE(status);
    EXPECT_EQ(*status, 2);
    EXPECT_THAT(demo.output(),
                ::testing::HasSubstr("--port must be an integer within [0, 65535], got \"http\""));
  }
  {
    Process demo({WORKER_DEMO_PATH, "--config", "/nonexistent/demo.yaml"});
    const auto status = demo.wait_exit();
    ASSERT_TRUE(status);
    EXPECT_EQ(*status, 2);
    EXPECT_THAT(demo.output(), ::testing::HasSubstr("/nonexistent/demo.yaml: cannot open"));
  }
  {
    Process demo({WORKER_DEMO_PATH, "--help"});
    const auto status = demo.wait_exit();
    ASSERT_TRUE(status);
    EXPECT_EQ(*status, 0);
    EXPECT_THAT(demo.output(), ::testing::HasSubstr("usage: worker-demo"));
  }
}

}  // namespace
