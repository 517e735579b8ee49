// DiscardingSink: formats every record as a real sink would, then drops it — the cost of
// formatting without the I/O, as the benchmarks of BENCHMARKS.md measure logging.
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <atomic>
#include <cstddef>
#include <mutex>

namespace worker::bench {

// Thread-safe, as spdlog sinks are.
class DiscardingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  // Bytes formatted so far (keeps the formatting from being optimised away).
  std::size_t bytes() const noexcept { return bytes_.load(std::memory_order_relaxed); }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    bytes_.fetch_add(formatted.size(), std::memory_order_relaxed);
  }
  void flush_() override {}

 private:
  std::atomic<std::size_t> bytes_{0};
};

}  // namespace worker::bench
