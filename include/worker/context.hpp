// Context: what a worker's run receives — who it is, which attempt this is, how to notice a
// stop, and its contextual logger and tracer.
//
//   worker::Result run(worker::Context& ctx) override {
//     while (ctx.sleep_for(std::chrono::seconds(5))) {   // false once the pool stops
//       ctx.logger().info("tick {}", ctx.attempt());
//     }
//     return worker::ok();
//   }
#pragma once

#include <chrono>
#include <stop_token>
#include <string>

#include "worker/logger.hpp"
#include "worker/tracer.hpp"

namespace worker {

namespace detail {
class StopSignal;
}

// Valid during the run it is handed to. Its methods may be called from any thread during
// that run (the logger and tracer are thread-safe); it is not copyable.
class Context {
 public:
  Context(const std::string& worker_name, const std::string& execution_id, int attempt,
          int max_attempts, std::stop_token stop_token, const detail::StopSignal& stop_signal,
          Logger& logger, Tracer& tracer) noexcept
      : worker_name_(worker_name),
        execution_id_(execution_id),
        attempt_(attempt),
        max_attempts_(max_attempts),
        stop_token_(std::move(stop_token)),
        stop_signal_(stop_signal),
        logger_(logger),
        tracer_(tracer) {}
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const std::string& worker_name() const noexcept { return worker_name_; }
  const std::string& execution_id() const noexcept { return execution_id_; }
  int attempt() const noexcept { return attempt_; }  // 1-based
  int max_attempts() const noexcept { return max_attempts_; }

  // Stop is requested when the pool stops.
  std::stop_token stop_token() const noexcept { return stop_token_; }
  bool stop_requested() const noexcept { return stop_token_.stop_requested(); }

  // Sleeps for `d`; returns false at once when the pool stops (or had stopped), true when
  // the whole duration elapsed.
  bool sleep_for(std::chrono::nanoseconds d) const;

  // Contextual logger: its records carry the fields `worker` and `workerExecutionID`.
  // Fields added to it (add_field) stay for the rest of this attempt.
  Logger& logger() const noexcept { return logger_; }
  // Contextual tracer: its spans carry the attributes `Worker` and `WorkerExecutionID`.
  Tracer& tracer() const noexcept { return tracer_; }

 private:
  const std::string& worker_name_;
  const std::string& execution_id_;
  int attempt_;
  int max_attempts_;
  std::stop_token stop_token_;
  const detail::StopSignal& stop_signal_;
  Logger& logger_;
  Tracer& tracer_;
};

}  // namespace worker
