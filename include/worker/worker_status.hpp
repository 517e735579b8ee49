// WorkerStatus: where a worker's execution stands (unknown, deferred, running, success, error).
//
//   if (pool.execution("mailer")->status() == worker::WorkerStatus::Error) { ... }
//   fmt::print("{}\n", worker::to_string(status));   // "error"
#pragma once

#include <string_view>

namespace worker {

enum class WorkerStatus { Unknown, Deferred, Running, Success, Error };

// "unknown", "deferred", "running", "success", "error".
std::string_view to_string(WorkerStatus status) noexcept;

}  // namespace worker
