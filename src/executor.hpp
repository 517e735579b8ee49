// Executor: the elastic set of threads that carry worker executions.
//
// A task runs on an idle thread when there is one; otherwise a new thread is created. A thread
// whose task finishes takes the next queued task, so one-shot workers reuse threads and a
// worker that blocks keeps its thread. Threads are created by the threads themselves as they
// pick up work (at most kMaxSpawnsInFlight at a time), so creation spreads over the cores and
// start() returns at once.
#pragma once

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
  Executor() = default;
  ~Executor() { shutdown(); }
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Queues the tasks; they must outlive their run.
  void submit(std::span<Task* const> tasks);
  // Lets idle threads exit once the queue is empty, and joins every thread.
  void shutdown();
  // True when the calling thread is one of this executor's.
  bool owns_current_thread() const noexcept;

  std::size_t thread_count() const;

 private:
  static constexpr std::size_t kMaxSpawnsInFlight = 2;

  void thread_main() noexcept;
  // Creates one thread when work waits with no idle thread to take it.
  void maybe_spawn(std::unique_lock<std::mutex>& lock);

  mutable std::mutex mutex_;
  std::condition_variable work_available_;
  std::deque<Task*> queue_;           // guarded by mutex_
  std::vector<std::thread> threads_;  // guarded by mutex_
  std::size_t idle_ = 0;              // guarded by mutex_
  std::size_t spawns_in_flight_ = 0;  // guarded by mutex_
  bool shutdown_ = false;             // guarded by mutex_
};

}  // namespace worker::detail
