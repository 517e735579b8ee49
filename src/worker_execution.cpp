#include "worker/worker_execution.hpp"

#include <algorithm>

namespace worker {

WorkerExecution::WorkerExecution(std::string id, std::string name, int max_executions_attempts,
                                 std::chrono::duration<double> deferred_start_threshold,
                                 std::size_t event_history_limit)
    : name_(std::move(name)),
      max_attempts_(max_executions_attempts),
      threshold_(deferred_start_threshold),
      history_limit_(event_history_limit),
      id_(std::move(id)) {}

std::string WorkerExecution::id() const {
  std::lock_guard lock(mutex_);
  return id_;
}

void WorkerExecution::set_id(std::string_view id) {
  std::lock_guard lock(mutex_);
  id_.assign(id);
}

void WorkerExecution::add_event(std::string_view message, const WorkerStatus* status,
                                std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (history_limit_ == 0 || events_.size() < history_limit_) {
    events_.push_back(ExecutionEvent{id_, std::string{message}, now});
  } else {
    // Full ring: overwrite the oldest slot, reusing its strings' capacity.
    ExecutionEvent& slot = events_[oldest_];
    slot.execution_id.assign(id_);
    slot.message.assign(message);
    slot.timestamp = now;
    oldest_ = (oldest_ + 1) % history_limit_;
  }
  ++total_events_;
  if (status != nullptr) status_.store(*status, std::memory_order_release);
}

std::vector<ExecutionEvent> WorkerExecution::events() const {
  std::lock_guard lock(mutex_);
  std::vector<ExecutionEvent> copy;
  copy.reserve(events_.size());
  const auto oldest = events_.begin() + static_cast<std::ptrdiff_t>(oldest_);
  copy.insert(copy.end(), oldest, events_.end());
  copy.insert(copy.end(), events_.begin(), oldest);
  return copy;
}

bool WorkerExecution::has_event(std::string_view message) const {
  std::lock_guard lock(mutex_);
  return std::any_of(events_.begin(), events_.end(),
                     [&](const ExecutionEvent& event) { return event.message == message; });
}

std::size_t WorkerExecution::total_events() const {
  std::lock_guard lock(mutex_);
  return total_events_;
}

}  // namespace worker
