// Small pieces of the public API: statuses, worker and middleware adapters, options, context.
#include <spdlog/spdlog.h>

#include "stop_signal.hpp"
#include "worker/context.hpp"
#include "worker/middleware.hpp"
#include "worker/options.hpp"
#include "worker/worker_interface.hpp"
#include "worker/worker_status.hpp"

namespace worker {

std::string_view to_string(WorkerStatus status) noexcept {
  switch (status) {
    case WorkerStatus::Unknown:
      return "unknown";
    case WorkerStatus::Deferred:
      return "deferred";
    case WorkerStatus::Running:
      return "running";
    case WorkerStatus::Success:
      return "success";
    case WorkerStatus::Error:
      return "error";
  }
  return "unknown";
}

bool Context::sleep_for(std::chrono::nanoseconds d) const { return stop_signal_.wait_for(d); }

namespace {

class FunctionWorker final : public Worker {
 public:
  FunctionWorker(std::string name, std::function<Result(Context&)> fn)
      : name_(std::move(name)), fn_(std::move(fn)) {}
  std::string name() const override { return name_; }
  Result run(Context& ctx) override { return fn_(ctx); }

 private:
  const std::string name_;
  std::function<Result(Context&)> fn_;
};

class FunctionMiddleware final : public Middleware {
 public:
  FunctionMiddleware(std::string name, MiddlewareFunc fn)
      : name_(std::move(name)), fn_(std::move(fn)) {}
  std::string name() const override { return name_; }
  MiddlewareFunc handle() const override { return fn_; }

 private:
  const std::string name_;
  const MiddlewareFunc fn_;
};

}  // namespace

std::shared_ptr<Worker> make_worker(std::string name, std::function<Result(Context&)> fn) {
  if (!fn) throw std::invalid_argument("make_worker: the function of worker " + name + " is empty");
  return std::make_shared<FunctionWorker>(std::move(name), std::move(fn));
}

std::shared_ptr<Middleware> make_middleware(std::string name, MiddlewareFunc fn) {
  if (!fn) {
    throw std::invalid_argument("make_middleware: the function of middleware " + name +
                                " is empty");
  }
  return std::make_shared<FunctionMiddleware>(std::move(name), std::move(fn));
}

PoolOption with_global_deferred_start_threshold(std::chrono::duration<double> seconds) {
  return [seconds](PoolOptions& options) { options.global_deferred_start_threshold = seconds; };
}

PoolOption with_global_max_executions_attempts(int attempts) {
  return [attempts](PoolOptions& options) { options.global_max_executions_attempts = attempts; };
}

PoolOption with_metrics(std::shared_ptr<WorkerMetrics> metrics) {
  return [metrics = std::move(metrics)](PoolOptions& options) { options.metrics = metrics; };
}

PoolOption with_generator(std::shared_ptr<IdGenerator> generator) {
  return
      [generator = std::move(generator)](PoolOptions& options) { options.generator = generator; };
}

PoolOption with_logger(std::shared_ptr<spdlog::logger> logger) {
  return [logger = std::move(logger)](PoolOptions& options) {
    options.logger = logger;
    options.logger_set = true;
  };
}

PoolOption with_tracer_provider(std::shared_ptr<TracerProvider> provider) {
  return [provider = std::move(provider)](PoolOptions& options) {
    options.tracer_provider = provider;
  };
}

PoolOption with_event_history_limit(std::size_t events) {
  return [events](PoolOptions& options) { options.event_history_limit = events; };
}

PoolOption with_worker(std::shared_ptr<Worker> worker, std::vector<ExecutionOption> options) {
  return [worker = std::move(worker), execution_options = std::move(options)](PoolOptions& pool) {
    pool.registrations.push_back(WorkerRegistration{worker, execution_options});
  };
}

ExecutionOption with_deferred_start_threshold(std::chrono::duration<double> seconds) {
  return [seconds](ExecutionOptions& options) { options.deferred_start_threshold = seconds; };
}

ExecutionOption with_max_executions_attempts(int attempts) {
  return [attempts](ExecutionOptions& options) { options.max_executions_attempts = attempts; };
}

ExecutionOption with_middlewares(std::vector<std::shared_ptr<Middleware>> middlewares) {
  return [middlewares = std::move(middlewares)](ExecutionOptions& options) {
    options.middlewares.insert(options.middlewares.end(), middlewares.begin(), middlewares.end());
  };
}

PoolOption with_execution_spans(bool enabled) {
  return [enabled](PoolOptions& options) { options.execution_spans = enabled; };
}

namespace detail {
namespace {
thread_local const std::string* current_worker_name = nullptr;
thread_local const std::string* current_execution_id = nullptr;
}  // namespace

void set_current_execution(const std::string* worker_name,
                           const std::string* execution_id) noexcept {
  current_worker_name = worker_name;
  current_execution_id = execution_id;
}
}  // namespace detail

namespace trace {

std::optional<ExecutionInfo> current_execution() noexcept {
  if (detail::current_worker_name == nullptr) return std::nullopt;
  return ExecutionInfo{*detail::current_worker_name, *detail::current_execution_id};
}

namespace {

class NoopTracer final : public Tracer {
 public:
  Span start_span(std::string_view, SpanOptions) override { return Span{}; }
};

class NoopTracerProvider final : public TracerProvider {
 public:
  Tracer& tracer(std::string_view) override { return tracer_; }

 private:
  NoopTracer tracer_;
};

}  // namespace

std::shared_ptr<TracerProvider> make_noop_tracer_provider() {
  return std::make_shared<NoopTracerProvider>();
}

}  // namespace trace
}  // namespace worker
