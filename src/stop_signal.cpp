#include "stop_signal.hpp"

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <ctime>
#endif

namespace worker::detail {

#if defined(__linux__)
namespace {
// std::atomic<uint32_t> is a plain 32-bit word on Linux targets, as the futex call needs.
static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t));

std::uint32_t* futex_word(std::atomic<std::uint32_t>& word) noexcept {
  return reinterpret_cast<std::uint32_t*>(&word);
}
}  // namespace

void StopSignal::request() noexcept {
  if (word_.exchange(1, std::memory_order_acq_rel) == 0) {
    syscall(SYS_futex, futex_word(word_), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
  }
}

bool StopSignal::wait_until(std::chrono::steady_clock::time_point deadline) const noexcept {
  using namespace std::chrono;
  // steady_clock is CLOCK_MONOTONIC in libstdc++, the clock FUTEX_WAIT_BITSET measures in.
  const auto since_epoch = deadline.time_since_epoch();
  const auto secs = duration_cast<seconds>(since_epoch);
  timespec absolute{};
  absolute.tv_sec = static_cast<time_t>(secs.count());
  absolute.tv_nsec = static_cast<long>(duration_cast<nanoseconds>(since_epoch - secs).count());
  while (!requested()) {
    if (steady_clock::now() >= deadline) return true;
    const long rc = syscall(SYS_futex, futex_word(word_), FUTEX_WAIT_BITSET_PRIVATE, 0, &absolute,
                            nullptr, FUTEX_BITSET_MATCH_ANY);
    if (rc == -1 && errno == ETIMEDOUT) return !requested();
  }
  return false;
}
#else
void StopSignal::request() noexcept {
  {
    std::lock_guard lock(mutex_);
    word_.store(1, std::memory_order_release);
  }
  cv_.notify_all();
}

bool StopSignal::wait_until(std::chrono::steady_clock::time_point deadline) const noexcept {
  std::unique_lock lock(mutex_);
  return !cv_.wait_until(lock, deadline, [this] { return requested(); });
}
#endif

}  // namespace worker::detail
