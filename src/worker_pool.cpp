#include "worker/worker_pool.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "execution_engine.hpp"
#include "executor.hpp"

namespace worker {
namespace {

void check_threshold(std::string_view option, std::chrono::duration<double> threshold) {
  const double seconds = threshold.count();
  if (!std::isfinite(seconds) || seconds < 0.0) {
    throw std::invalid_argument(fmt::format(
        "{}: the deferred start threshold must be a finite number of seconds >= 0, got {}", option,
        seconds));
  }
}

void check_attempts(std::string_view option, int attempts) {
  if (attempts < 1) {
    throw std::invalid_argument(fmt::format(
        "{}: the maximum of execution attempts must be >= 1, got {}", option, attempts));
  }
}

struct ResolvedRegistration {
  std::shared_ptr<Worker> worker;
  std::string name;
  ExecutionOptions options;
};

}  // namespace

struct WorkerPool::Impl {
  PoolOptions options;
  detail::PoolRuntime runtime;

  mutable std::mutex mutex;
  std::vector<ResolvedRegistration> registrations;                     // guarded by mutex
  std::map<std::string, std::size_t, std::less<>> registration_index;  // guarded by mutex
  std::map<std::string, std::shared_ptr<const WorkerExecution>, std::less<>>
      executions;                                                 // guarded by mutex
  std::vector<std::unique_ptr<detail::ExecutionEngine>> engines;  // guarded by mutex
  bool started = false;                                           // guarded by mutex
  bool joined = false;                                            // guarded by mutex

  // Created at start(), shut down once every engine finished.
  detail::Executor executor;

  ResolvedRegistration resolve(std::shared_ptr<Worker> worker,
                               const std::vector<ExecutionOption>& execution_options) const {
    if (!worker) throw std::invalid_argument("with_worker: the worker must not be null");
    std::string name = worker->name();
    if (name.empty()) throw std::invalid_argument("with_worker: the worker name must not be empty");
    ExecutionOptions resolved;
    for (const auto& option : execution_options) {
      if (!option) continue;
      option(resolved);
    }
    if (resolved.deferred_start_threshold) {
      check_threshold(fmt::format("with_deferred_start_threshold (worker {})", name),
                      *resolved.deferred_start_threshold);
    }
    if (resolved.max_executions_attempts) {
      check_attempts(fmt::format("with_max_executions_attempts (worker {})", name),
                     *resolved.max_executions_attempts);
    }
    for (const auto& middleware : resolved.middlewares) {
      if (!middleware) {
        throw std::invalid_argument(
            fmt::format("with_middlewares (worker {}): a middleware is null", name));
      }
    }
    return {std::move(worker), std::move(name), std::move(resolved)};
  }

  // Assumes mutex is held.
  void add_locked(ResolvedRegistration registration) {
    const auto [it, inserted] =
        registration_index.try_emplace(registration.name, registrations.size());
    if (!inserted) {
      throw std::invalid_argument(fmt::format(
          "with_worker: a worker named \"{}\" is already registered", registration.name));
    }
    registrations.push_back(std::move(registration));
  }

  HandlerFunc build_handler(const ResolvedRegistration& registration) const {
    Worker* worker = registration.worker.get();
    HandlerFunc handler = [worker](Context& ctx) { return worker->run(ctx); };
    const auto& middlewares = registration.options.middlewares;
    for (auto it = middlewares.rbegin(); it != middlewares.rend(); ++it) {
      MiddlewareFunc wrap = (*it)->handle();
      if (!wrap) {
        throw std::invalid_argument(
            fmt::format("with_middlewares (worker {}): middleware {} has no handler",
                        registration.name, (*it)->name()));
      }
      handler = wrap(std::move(handler));
      if (!handler) {
        throw std::invalid_argument(
            fmt::format("with_middlewares (worker {}): middleware {} returned an empty handler",
                        registration.name, (*it)->name()));
      }
    }
    return handler;
  }

  // Requests the stop of a started, not yet joined pool; false when there is nothing to stop.
  bool request_stop() {
    {
      std::lock_guard lock(mutex);
      if (!started || joined) return false;
    }
    runtime.request_stop();
    executor.retire();  // threads leave as their workers return
    return true;
  }
};

WorkerPool::WorkerPool(std::vector<PoolOption> options) : impl_(std::make_unique<Impl>()) {
  PoolOptions& resolved = impl_->options;
  for (const auto& option : options) {
    if (option) option(resolved);
  }
  check_threshold("with_global_deferred_start_threshold", resolved.global_deferred_start_threshold);
  check_attempts("with_global_max_executions_attempts", resolved.global_max_executions_attempts);
  if (!resolved.metrics) throw std::invalid_argument("with_metrics: the metrics must not be null");
  if (!resolved.generator) {
    throw std::invalid_argument("with_generator: the id generator must not be null");
  }
  if (!resolved.tracer_provider) {
    throw std::invalid_argument("with_tracer_provider: the tracer provider must not be null");
  }
  if (resolved.logger_set && !resolved.logger) {
    throw std::invalid_argument("with_logger: the logger must not be null");
  }
  if (!resolved.logger) resolved.logger = spdlog::default_logger();

  auto& runtime = impl_->runtime;
  runtime.generator = resolved.generator;
  runtime.metrics = resolved.metrics;
  runtime.logger = Logger(resolved.logger);
  runtime.tracer_provider = resolved.tracer_provider;
  runtime.tracer = &resolved.tracer_provider->tracer("worker");
  runtime.execution_spans = resolved.execution_spans;

  std::vector<WorkerRegistration> registrations = std::move(resolved.registrations);
  resolved.registrations.clear();
  std::lock_guard lock(impl_->mutex);
  for (auto& registration : registrations) {
    impl_->add_locked(impl_->resolve(std::move(registration.worker), registration.options));
  }
}

WorkerPool::~WorkerPool() { stop(); }

WorkerPool& WorkerPool::add(std::shared_ptr<Worker> worker, std::vector<ExecutionOption> options) {
  auto registration = impl_->resolve(std::move(worker), options);
  std::lock_guard lock(impl_->mutex);
  if (impl_->started) {
    throw std::logic_error(fmt::format(
        "WorkerPool::add: cannot add worker \"{}\" once the pool has started", registration.name));
  }
  impl_->add_locked(std::move(registration));
  return *this;
}

void WorkerPool::start() {
  std::vector<detail::Task*> tasks;
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->started) throw std::logic_error("WorkerPool::start: the pool was already started");
    const auto& options = impl_->options;
    auto& runtime = impl_->runtime;
    // Build everything first, so that a throwing middleware leaves the pool unstarted.
    std::vector<std::unique_ptr<detail::ExecutionEngine>> engines;
    engines.reserve(impl_->registrations.size());
    for (const auto& registration : impl_->registrations) {
      HandlerFunc handler = impl_->build_handler(registration);
      auto execution =
          std::make_shared<WorkerExecution>(runtime.generator->generate(), registration.name,
                                            registration.options.max_executions_attempts.value_or(
                                                options.global_max_executions_attempts),
                                            registration.options.deferred_start_threshold.value_or(
                                                options.global_deferred_start_threshold),
                                            options.event_history_limit);
      engines.push_back(std::make_unique<detail::ExecutionEngine>(
          registration.worker, registration.name, std::move(handler), std::move(execution),
          runtime));
    }
    impl_->started = true;
    tasks.reserve(engines.size());
    for (auto& engine : engines) {
      impl_->executions.emplace(engine->name(), engine->execution());
      tasks.push_back(engine.get());
    }
    impl_->engines = std::move(engines);
    std::lock_guard running_lock(runtime.mutex);
    runtime.running = tasks.size();
  }
  impl_->executor.submit(tasks);
}

void WorkerPool::stop() {
  if (!impl_->request_stop()) return;
  if (impl_->executor.owns_current_thread()) return;  // a worker cannot wait for itself
  {
    std::unique_lock lock(impl_->runtime.mutex);
    impl_->runtime.all_finished.wait(lock, [&] { return impl_->runtime.running == 0; });
  }
  impl_->executor.shutdown();
  std::lock_guard lock(impl_->mutex);
  impl_->joined = true;
}

std::vector<std::string> WorkerPool::stop(std::chrono::milliseconds timeout) {
  if (!impl_->request_stop()) return {};
  bool all_finished;
  {
    std::unique_lock lock(impl_->runtime.mutex);
    all_finished = impl_->runtime.all_finished.wait_for(
        lock, timeout, [&] { return impl_->runtime.running == 0; });
  }
  if (all_finished && !impl_->executor.owns_current_thread()) {
    stop();
    return {};
  }
  std::vector<std::string> still_running;
  std::lock_guard lock(impl_->mutex);
  for (const auto& engine : impl_->engines) {
    if (!engine->finished()) still_running.push_back(engine->name());
  }
  std::sort(still_running.begin(), still_running.end());
  return still_running;
}

bool WorkerPool::started() const noexcept {
  std::lock_guard lock(impl_->mutex);
  return impl_->started;
}

bool WorkerPool::stop_requested() const noexcept { return impl_->runtime.stopping(); }

WorkerMetrics& WorkerPool::metrics() { return *impl_->options.metrics; }

const PoolOptions& WorkerPool::options() const noexcept { return impl_->options; }

std::map<std::string, std::shared_ptr<const WorkerExecution>> WorkerPool::executions() const {
  std::lock_guard lock(impl_->mutex);
  return {impl_->executions.begin(), impl_->executions.end()};
}

std::shared_ptr<const WorkerExecution> WorkerPool::execution(std::string_view name) const {
  std::lock_guard lock(impl_->mutex);
  const auto it = impl_->executions.find(name);
  if (it == impl_->executions.end()) {
    throw NotFoundError(fmt::format("execution for worker {} was not found", name));
  }
  return it->second;
}

std::vector<std::string> WorkerPool::registrations() const {
  std::vector<std::string> names;
  std::lock_guard lock(impl_->mutex);
  names.reserve(impl_->registration_index.size());
  for (const auto& [name, index] : impl_->registration_index) names.push_back(name);  // sorted
  return names;
}

std::shared_ptr<Worker> WorkerPool::registration(std::string_view name) const {
  std::lock_guard lock(impl_->mutex);
  const auto it = impl_->registration_index.find(name);
  if (it != impl_->registration_index.end()) return impl_->registrations[it->second].worker;
  throw NotFoundError(fmt::format("registration for worker {} was not found", name));
}

}  // namespace worker
