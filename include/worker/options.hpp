// Functional options of a WorkerPool and of each worker's execution, as in the Go module.
//
//   worker::WorkerPool pool({
//       worker::with_global_max_executions_attempts(3),
//       worker::with_worker(mailer,
//       worker::with_deferred_start_threshold(std::chrono::milliseconds(500))),
//   });
//
// Options only record values; the pool validates them when it is created (or at add()) and
// throws std::invalid_argument naming the option and the value.
#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <concepts>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "worker/id_generator.hpp"
#include "worker/middleware.hpp"
#include "worker/tracer.hpp"
#include "worker/worker_interface.hpp"
#include "worker/worker_metrics.hpp"

namespace worker {

// Per-worker settings; unset values fall back to the pool's global ones.
struct ExecutionOptions {
  std::optional<std::chrono::duration<double>> deferred_start_threshold{};
  std::optional<int> max_executions_attempts{};
  std::vector<std::shared_ptr<Middleware>> middlewares{};  // first = outermost
};
using ExecutionOption = std::function<void(ExecutionOptions&)>;

struct WorkerRegistration {
  std::shared_ptr<Worker> worker{};
  std::vector<ExecutionOption> options{};
};

struct PoolOptions {
  std::chrono::duration<double> global_deferred_start_threshold{0.0};
  int global_max_executions_attempts = 1;
  std::shared_ptr<WorkerMetrics> metrics = std::make_shared<WorkerMetrics>();
  std::shared_ptr<IdGenerator> generator = make_uuid_generator();
  std::shared_ptr<spdlog::logger> logger;  // null until the pool fills in spdlog's default
  bool logger_set = false;
  std::shared_ptr<TracerProvider> tracer_provider = trace::make_noop_tracer_provider();
  std::size_t event_history_limit = 1000;
  bool execution_spans = false;
  std::vector<WorkerRegistration> registrations;
};
using PoolOption = std::function<void(PoolOptions&)>;

// Delay before each worker's first attempt, in (fractional) seconds; default 0.
PoolOption with_global_deferred_start_threshold(std::chrono::duration<double> seconds);
// How many attempts a failing worker gets; default 1 (no restart).
PoolOption with_global_max_executions_attempts(int attempts);
PoolOption with_metrics(std::shared_ptr<WorkerMetrics> metrics);
PoolOption with_generator(std::shared_ptr<IdGenerator> generator);
// Default: spdlog's default logger at the pool's creation.
PoolOption with_logger(std::shared_ptr<spdlog::logger> logger);
// Default: a no-op provider.
PoolOption with_tracer_provider(std::shared_ptr<TracerProvider> provider);
// Keep the newest `events` events per worker (default 1000; 0 keeps all).
PoolOption with_event_history_limit(std::size_t events);
// Wraps each attempt in a span `worker.execution` (attributes Worker, WorkerExecutionID,
// worker.attempt; status error and an exception event on failure; a link to the previous
// attempt's span on restart); spans the run starts are its children. Default: off.
PoolOption with_execution_spans(bool enabled = true);

ExecutionOption with_deferred_start_threshold(std::chrono::duration<double> seconds);
ExecutionOption with_max_executions_attempts(int attempts);
ExecutionOption with_middlewares(std::vector<std::shared_ptr<Middleware>> middlewares);

template <typename... M>
requires(std::convertible_to<M, std::shared_ptr<Middleware>>&&...) ExecutionOption
    with_middlewares(M... middlewares) {
  return with_middlewares(std::vector<std::shared_ptr<Middleware>>{
      std::shared_ptr<Middleware>(std::move(middlewares))...});
}

PoolOption with_worker(std::shared_ptr<Worker> worker, std::vector<ExecutionOption> options);

template <std::same_as<ExecutionOption>... O>
PoolOption with_worker(std::shared_ptr<Worker> worker, O... options) {
  return with_worker(std::move(worker), std::vector<ExecutionOption>{std::move(options)...});
}

}  // namespace worker
