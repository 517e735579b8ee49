// The executor that carries executions: thread reuse, no starvation behind blocked tasks, idle
// threads leaving, shutdown joining everything.
#include "executor.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "test_support.hpp"

namespace worker::detail {
namespace {

class FunctionTask final : public Task {
 public:
  explicit FunctionTask(std::function<void()> fn) : fn_(std::move(fn)) {}
  void run() noexcept override { fn_(); }

 private:
  std::function<void()> fn_;
};

// `count` tasks that each count `started` down, then block until `release` opens.
std::vector<std::unique_ptr<FunctionTask>> blocking_tasks(int count, std::latch& started,
                                                          std::latch& release) {
  std::vector<std::unique_ptr<FunctionTask>> tasks;
  for (int i = 0; i < count; ++i) {
    tasks.push_back(std::make_unique<FunctionTask>([&] {
      started.count_down();
      release.wait();
    }));
  }
  return tasks;
}

std::vector<Task*> pointers(std::vector<std::unique_ptr<FunctionTask>>& tasks) {
  std::vector<Task*> out;
  for (auto& task : tasks) out.push_back(task.get());
  return out;
}

TEST(ExecutorTest, QuickTasksShareThreads) {
  std::atomic<int> done{0};
  std::vector<std::unique_ptr<FunctionTask>> tasks;
  for (int i = 0; i < 500; ++i) tasks.push_back(std::make_unique<FunctionTask>([&] { ++done; }));
  Executor executor;
  executor.submit(pointers(tasks));
  ASSERT_TRUE(testing::eventually([&] { return done == 500; }));
  EXPECT_LT(executor.thread_count(), 500u);
  executor.shutdown();
}

TEST(ExecutorTest, BlockedTasksNeverStarveQueuedOnes) {
  constexpr int kBlocked = 16;
  std::latch all_started(kBlocked);
  std::latch release(1);
  auto tasks = blocking_tasks(kBlocked, all_started, release);
  Executor executor;
  executor.submit(pointers(tasks));
  all_started.wait();  // every task runs although all the earlier ones block
  EXPECT_GE(executor.thread_count(), static_cast<std::size_t>(kBlocked));
  release.count_down();
  executor.shutdown();
  EXPECT_EQ(executor.thread_count(), 0u);
}

TEST(ExecutorTest, IdleThreadsBeyondTheCoresLeave) {
  constexpr int kBlocked = 12;
  std::latch all_started(kBlocked);
  std::latch release(1);
  auto tasks = blocking_tasks(kBlocked, all_started, release);
  Executor executor(std::chrono::milliseconds(20));
  executor.submit(pointers(tasks));
  all_started.wait();
  release.count_down();
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  ASSERT_TRUE(testing::eventually([&] { return executor.thread_count() <= cores; }));

  // The executor still runs work afterwards.
  std::atomic<bool> ran{false};
  FunctionTask later([&] { ran = true; });
  Task* one[] = {&later};
  executor.submit(one);
  ASSERT_TRUE(testing::eventually([&] { return ran.load(); }));
  executor.shutdown();
}

}  // namespace
}  // namespace worker::detail
