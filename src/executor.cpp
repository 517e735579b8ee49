#include "executor.hpp"

namespace worker::detail {
namespace {
thread_local const Executor* current_executor = nullptr;
}

void Executor::submit(std::span<Task* const> tasks) {
  std::unique_lock lock(mutex_);
  queue_.insert(queue_.end(), tasks.begin(), tasks.end());
  const std::size_t wake = std::min(idle_, tasks.size());
  for (std::size_t i = 0; i < wake; ++i) work_available_.notify_one();
  maybe_spawn(lock);
}

void Executor::maybe_spawn(std::unique_lock<std::mutex>& lock) {
  // Idle threads already notified will take up to idle_ tasks.
  if (shutdown_ || queue_.size() <= idle_ || spawns_in_flight_ >= kMaxSpawnsInFlight) return;
  ++spawns_in_flight_;
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

void Executor::thread_main() noexcept {
  current_executor = this;
  std::unique_lock lock(mutex_);
  for (;;) {
    while (queue_.empty() && !shutdown_) {
      ++idle_;
      work_available_.wait(lock);
      --idle_;
    }
    if (queue_.empty()) return;  // shutdown
    Task* task = queue_.front();
    queue_.pop_front();
    maybe_spawn(lock);
    lock.unlock();
    task->run();
    lock.lock();
  }
}

void Executor::shutdown() {
  // Loops because a thread being created while shutdown starts is listed only once created.
  for (;;) {
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mutex_);
      shutdown_ = true;
      if (threads_.empty() && spawns_in_flight_ == 0) return;
      threads.swap(threads_);
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
