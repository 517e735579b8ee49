// ExecutionEngine: what runs a worker's attempts and decides the next step — deferral, events,
// statuses, logs, metrics, restarts — independent of what carries it. A thread carrier calls
// run(); another carrier (a coroutine on an executor) drives the same steps one by one.
#pragma once

#include <fmt/format.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

#include "executor.hpp"
#include "stop_signal.hpp"
#include "worker/context.hpp"
#include "worker/id_generator.hpp"
#include "worker/logger.hpp"
#include "worker/middleware.hpp"
#include "worker/tracer.hpp"
#include "worker/worker_execution.hpp"
#include "worker/worker_interface.hpp"
#include "worker/worker_metrics.hpp"

namespace worker::detail {

// What every engine of a pool shares. Thread-safe.
struct PoolRuntime {
  std::shared_ptr<IdGenerator> generator;
  std::shared_ptr<WorkerMetrics> metrics;
  Logger logger;  // the pool's logger, without fields
  std::shared_ptr<TracerProvider> tracer_provider;
  Tracer* tracer = nullptr;  // tracer_provider->tracer("worker")
  bool execution_spans = false;
  std::stop_source stop_source;
  StopSignal stop_signal;

  // The stop token first, then the wake-up: whoever is woken sees stop_requested() true.
  void request_stop() noexcept {
    stop_source.request_stop();
    stop_signal.request();
  }
  bool stopping() const noexcept { return stop_source.stop_requested(); }

  // Counts executions still running, for stop(); all_finished is notified under mutex when
  // running drops to 0.
  std::mutex mutex;
  std::condition_variable all_finished;
  std::atomic<std::size_t> running{0};
};

// The contextual tracer of one engine: adds Worker and WorkerExecutionID to every span.
class ContextTracer final : public Tracer {
 public:
  ContextTracer(Tracer& inner, const std::string& worker_name, const std::string& execution_id)
      : inner_(inner), worker_name_(worker_name), execution_id_(execution_id) {}
  trace::Span start_span(std::string_view name, trace::SpanOptions options) override;

 private:
  Tracer& inner_;
  const std::string& worker_name_;
  const std::string& execution_id_;
};

// How one attempt ended.
struct AttemptOutcome {
  enum class Kind { Success, Error, Panic } kind = Kind::Success;
  std::string message;         // error message or exception text
  std::string exception_type;  // for a panic: the exception's type
};

// Sets what trace::current_execution() returns on this thread (nullptr, nullptr: none).
void set_current_execution(const std::string* worker_name,
                           const std::string* execution_id) noexcept;

// One per registered worker. Not thread-safe: driven by one carrier at a time.
class ExecutionEngine final : public Task {
 public:
  ExecutionEngine(std::shared_ptr<Worker> worker, std::string name, HandlerFunc handler,
                  std::shared_ptr<WorkerExecution> execution, PoolRuntime& runtime);

  const std::shared_ptr<WorkerExecution>& execution() const noexcept { return execution_; }
  const std::string& name() const noexcept { return name_; }
  bool finished() const noexcept { return finished_.load(std::memory_order_acquire); }

  // The steps, in order: prepare, [begin_deferral -> (wait) -> cancel or continue], then per
  // attempt begin_attempt -> invoke -> end_attempt until it returns false, then finish.
  void prepare();
  bool needs_deferral() const noexcept;
  void begin_deferral();
  void cancel_before_start();
  Context& begin_attempt();
  AttemptOutcome invoke(Context& ctx) noexcept;
  // Records the outcome; returns true when another attempt follows (a restart).
  bool end_attempt(const AttemptOutcome& outcome);
  void finish() noexcept;

  // The thread carrier: every step, on the calling thread.
  void run() noexcept override;

 private:
  // Records an event with its log record, both stamped `now`.
  void record(std::string_view message, const WorkerStatus* status, spdlog::level::level_enum level,
              std::string_view error = {},
              std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
  void record_formatted(
      const WorkerStatus* status, spdlog::level::level_enum level, std::string_view error,
      std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
  void set_execution_id(std::string id);

  const std::shared_ptr<Worker> worker_;
  const std::string name_;
  const HandlerFunc handler_;
  const std::shared_ptr<WorkerExecution> execution_;
  PoolRuntime& runtime_;
  const int max_attempts_;

  std::optional<WorkerMetrics::WorkerCounters> counters_;  // from prepare()
  std::string execution_id_;                               // of the current attempt
  Logger logger_;                       // the pool's logger with worker and workerExecutionID
  std::size_t worker_fields_size_ = 0;  // length of the rendered `worker` field in logger_
  ContextTracer tracer_;
  int attempt_ = 0;
  std::optional<Context> context_;
  trace::Span execution_span_;        // with execution spans: the current attempt's
  trace::SpanContext previous_span_;  // the previous attempt's, linked from the next
  fmt::memory_buffer message_;        // reused to format event messages
  std::atomic<bool> finished_{false};
};

}  // namespace worker::detail
