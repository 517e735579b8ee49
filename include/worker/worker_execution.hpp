// WorkerExecution: the live report of one registered worker — current attempt id, status,
// attempt counter and timestamped events.
//
//   auto execution = pool.execution("mailer");
//   if (execution->status() == worker::WorkerStatus::Error)
//     for (const auto& event : execution->events()) fmt::print("{}\n", event.message);
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "worker/worker_status.hpp"

namespace worker {

struct ExecutionEvent {
  std::string execution_id;
  std::string message;
  std::chrono::system_clock::time_point timestamp;
};

namespace detail {
class ExecutionEngine;
}

// Thread-safe: any method may be called from any thread while the worker runs.
class WorkerExecution {
 public:
  // `event_history_limit` keeps the newest N events (0 keeps all).
  WorkerExecution(std::string id, std::string name, int max_executions_attempts,
                  std::chrono::duration<double> deferred_start_threshold,
                  std::size_t event_history_limit = 1000);
  WorkerExecution(const WorkerExecution&) = delete;
  WorkerExecution& operator=(const WorkerExecution&) = delete;

  std::string id() const;  // id of the current (or last) attempt
  const std::string& name() const noexcept { return name_; }
  WorkerStatus status() const noexcept { return status_.load(std::memory_order_acquire); }
  int current_execution_attempt() const noexcept {
    return attempt_.load(std::memory_order_acquire);
  }
  int max_executions_attempts() const noexcept { return max_attempts_; }
  std::chrono::duration<double> deferred_start_threshold() const noexcept { return threshold_; }
  std::size_t event_history_limit() const noexcept { return history_limit_; }

  std::vector<ExecutionEvent> events() const;  // a copy, oldest first
  bool has_event(std::string_view message) const;
  // Events recorded since the start, including those the history limit dropped.
  std::size_t total_events() const;

 private:
  friend class detail::ExecutionEngine;

  void set_id(std::string_view id);
  void set_status(WorkerStatus status) noexcept {
    status_.store(status, std::memory_order_release);
  }
  void set_attempt(int attempt) noexcept { attempt_.store(attempt, std::memory_order_release); }
  // Records `message` under the current id; `status`, when given, is set in the same step so
  // that readers never see the event without its status.
  void add_event(std::string_view message, const WorkerStatus* status = nullptr,
                 std::chrono::system_clock::time_point time = std::chrono::system_clock::now());

  const std::string name_;
  const int max_attempts_;
  const std::chrono::duration<double> threshold_;
  const std::size_t history_limit_;
  std::atomic<WorkerStatus> status_{WorkerStatus::Unknown};
  std::atomic<int> attempt_{0};

  mutable std::mutex mutex_;
  std::string id_;                      // guarded by mutex_
  std::vector<ExecutionEvent> events_;  // guarded by mutex_; a ring once history_limit_ is hit
  std::size_t oldest_ = 0;              // guarded by mutex_; index of the oldest event in the ring
  std::size_t total_events_ = 0;        // guarded by mutex_
};

}  // namespace worker
