// Executor: the elastic set of threads that carry worker executions.
//
// A queued task runs on an idle thread when there is one. New threads are created only while
// tasks wait and either fewer threads than cores are busy, or no task has completed for
// kStallWindow (the busy threads are blocked in long-running workers). So a fleet of one-shot
// workers runs on about as many threads as cores, each thread taking task after task, while a
// fleet of blocking workers gets one thread each. Threads that pick up work while the pool is
// stalled create the next thread themselves, and a monitor thread creates one whenever work
// waits with no thread able to take it, so no task is ever left waiting behind blocked ones.
// Threads beyond the number of cores that stay idle for `idle_timeout` exit (joined later), so a
// burst of one-shot workers does not leave its threads parked for the life of the pool.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

namespace worker::detail {

// Something an Executor runs. run() must not throw.
class Task {
 public:
  virtual ~Task() = default;
  virtual void run() noexcept = 0;
};

// Thread-safe: any method may be called from any thread, but shutdown() not from one of
// its own threads.
class Executor {
 public:
  explicit Executor(std::chrono::milliseconds idle_timeout = std::chrono::seconds(10));
  ~Executor() { shutdown(); }
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Queues the tasks; they must outlive their run.
  void submit(std::span<Task* const> tasks);
  // From now on, threads exit as soon as the queue is empty instead of waiting for more work
  // (called when the pool stops, so that threads exit while the last workers finish).
  void retire() noexcept;
  // Lets threads exit once the queue is empty, and joins every thread.
  void shutdown();
  // True when the calling thread is one of this executor's.
  bool owns_current_thread() const noexcept;

  std::size_t thread_count() const;

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kMaxSpawnsInFlight = 2;
  static constexpr std::chrono::microseconds kStallWindow{2000};

  void thread_main() noexcept;
  void monitor_main() noexcept;
  // Assumes mutex_ is held: whether a thread should be added now.
  bool needs_thread_locked(Clock::time_point now) const noexcept;
  // Assumes mutex_ is held (released while the thread is created).
  void spawn_locked(std::unique_lock<std::mutex>& lock);

  // Assumes mutex_ is held (released while joining): joins the threads that exited idle.
  void join_exited_locked(std::unique_lock<std::mutex>& lock);

  const std::size_t min_busy_threads_;
  const std::chrono::milliseconds idle_timeout_;

  mutable std::mutex mutex_;
  std::condition_variable work_available_;
  std::condition_variable monitor_wakeup_;
  std::deque<Task*> queue_;              // guarded by mutex_
  std::vector<std::thread> threads_;     // guarded by mutex_
  std::vector<std::thread> exited_;      // guarded by mutex_: idle threads that left, to join
  std::thread monitor_;                  // guarded by mutex_
  std::size_t idle_ = 0;                 // guarded by mutex_
  std::size_t spawns_in_flight_ = 0;     // guarded by mutex_
  Clock::time_point last_completion_{};  // guarded by mutex_
  bool monitor_waiting_ = false;         // guarded by mutex_
  bool shutdown_ = false;                // guarded by mutex_
  std::atomic<bool> retiring_{false};
  std::atomic<std::size_t> queued_{0};  // queue_.size(), readable without mutex_
};

}  // namespace worker::detail
