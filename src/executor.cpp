#include "executor.hpp"

#include <algorithm>
#include <iterator>

namespace worker::detail {
namespace {
thread_local const Executor* current_executor = nullptr;
}

Executor::Executor(std::chrono::milliseconds idle_timeout)
    : min_busy_threads_(std::max<std::size_t>(1, std::thread::hardware_concurrency())),
      idle_timeout_(idle_timeout) {}

void Executor::join_exited_locked(std::unique_lock<std::mutex>& lock) {
  if (exited_.empty()) return;
  std::vector<std::thread> exited;
  exited.swap(exited_);
  lock.unlock();
  for (auto& thread : exited) thread.join();
  lock.lock();
}

bool Executor::needs_thread_locked(Clock::time_point now) const noexcept {
  if (shutdown_ || queue_.size() <= idle_ || spawns_in_flight_ >= kMaxSpawnsInFlight) return false;
  const std::size_t busy = threads_.size() + spawns_in_flight_ - idle_;
  return busy < min_busy_threads_ || now - last_completion_ >= kStallWindow;
}

void Executor::submit(std::span<Task* const> tasks) {
  std::unique_lock lock(mutex_);
  queue_.insert(queue_.end(), tasks.begin(), tasks.end());
  queued_.store(queue_.size(), std::memory_order_release);
  const std::size_t wake = std::min(idle_, tasks.size());
  for (std::size_t i = 0; i < wake; ++i) work_available_.notify_one();
  if (!monitor_.joinable() && !shutdown_) {
    monitor_ = std::thread([this] { monitor_main(); });
  } else if (monitor_waiting_) {
    monitor_wakeup_.notify_one();
  }
}

void Executor::spawn_locked(std::unique_lock<std::mutex>& lock) {
  ++spawns_in_flight_;
  join_exited_locked(lock);
  lock.unlock();
  std::thread thread;
  try {
    thread = std::thread([this] { thread_main(); });
  } catch (...) {
    // Out of threads: the queued work waits for a thread to come free.
    lock.lock();
    --spawns_in_flight_;
    return;
  }
  lock.lock();
  threads_.push_back(std::move(thread));
  --spawns_in_flight_;
}

void Executor::monitor_main() noexcept {
  std::unique_lock lock(mutex_);
  while (!shutdown_) {
    const auto now = Clock::now();
    if (needs_thread_locked(now)) {
      spawn_locked(lock);
      continue;
    }
    monitor_waiting_ = true;
    if (queue_.size() > idle_) {
      // Work waits but threads are completing tasks: look again once the window has passed.
      monitor_wakeup_.wait_until(
          lock, std::max(now, last_completion_ + kStallWindow) + std::chrono::microseconds(1));
    } else {
      monitor_wakeup_.wait(lock);
    }
    monitor_waiting_ = false;
  }
}

void Executor::thread_main() noexcept {
  current_executor = this;
  std::unique_lock lock(mutex_);
  for (;;) {
    while (queue_.empty() && !shutdown_ && !retiring_.load(std::memory_order_acquire)) {
      ++idle_;
      const bool timed_out =
          work_available_.wait_for(lock, idle_timeout_) == std::cv_status::timeout;
      --idle_;
      if (timed_out && queue_.empty() && !shutdown_ && threads_.size() > min_busy_threads_) {
        // Idle for long, and more threads than cores: leave; a later spawn or shutdown joins.
        const auto self = std::find_if(threads_.begin(), threads_.end(), [](const std::thread& t) {
          return t.get_id() == std::this_thread::get_id();
        });
        if (self != threads_.end()) {
          exited_.push_back(std::move(*self));
          threads_.erase(self);
          return;
        }
      }
    }
    if (queue_.empty()) return;  // shutdown or retiring
    Task* task = queue_.front();
    queue_.pop_front();
    queued_.store(queue_.size(), std::memory_order_release);
    if (queue_.size() > idle_) {
      if (needs_thread_locked(Clock::now())) {
        spawn_locked(lock);
      } else if (monitor_waiting_) {
        monitor_wakeup_.notify_one();
      }
    }
    lock.unlock();
    task->run();
    // A retiring executor's threads leave without touching the shared lock once no work waits.
    if (retiring_.load(std::memory_order_acquire) && queued_.load(std::memory_order_acquire) == 0) {
      return;
    }
    lock.lock();
    last_completion_ = Clock::now();
  }
}

void Executor::retire() noexcept {
  {
    std::lock_guard lock(mutex_);
    retiring_.store(true, std::memory_order_release);
  }
  work_available_.notify_all();
}

void Executor::shutdown() {
  std::thread monitor;
  {
    std::lock_guard lock(mutex_);
    shutdown_ = true;
    monitor.swap(monitor_);
  }
  monitor_wakeup_.notify_all();
  if (monitor.joinable()) monitor.join();
  // Loops because a thread being created while shutdown starts is listed only once created.
  for (;;) {
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mutex_);
      if (threads_.empty() && exited_.empty() && spawns_in_flight_ == 0) return;
      threads.swap(threads_);
      threads.insert(threads.end(), std::make_move_iterator(exited_.begin()),
                     std::make_move_iterator(exited_.end()));
      exited_.clear();
    }
    work_available_.notify_all();
    for (auto& thread : threads) thread.join();
    if (threads.empty()) std::this_thread::yield();
  }
}

bool Executor::owns_current_thread() const noexcept { return current_executor == this; }

std::size_t Executor::thread_count() const {
  std::lock_guard lock(mutex_);
  return threads_.size();
}

}  // namespace worker::detail
