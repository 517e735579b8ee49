// StopSignal: a one-shot "stop requested" flag that any number of threads can wait on with a
// deadline, all woken by a single call (one futex wake on Linux, no per-waiter callback).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#if !defined(__linux__)
#include <condition_variable>
#include <mutex>
#endif

namespace worker::detail {

// Thread-safe: any method may be called from any thread.
class StopSignal {
 public:
  // Sets the flag and wakes every waiter. Idempotent.
  void request() noexcept;
  bool requested() const noexcept { return word_.load(std::memory_order_acquire) != 0; }

  // Blocks until `deadline` or a stop; returns true when the deadline passed with no stop.
  bool wait_until(std::chrono::steady_clock::time_point deadline) const noexcept;
  bool wait_for(std::chrono::nanoseconds duration) const noexcept {
    return wait_until(std::chrono::steady_clock::now() + duration);
  }

 private:
  mutable std::atomic<std::uint32_t> word_{0};
#if !defined(__linux__)
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
#endif
};

}  // namespace worker::detail
