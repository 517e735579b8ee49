#include "execution_engine.hpp"

#include <cxxabi.h>
#include <fmt/compile.h>

#include <cstdlib>
#include <exception>
#include <iterator>
#include <memory>
#include <typeinfo>

namespace worker::detail {

trace::Span ContextTracer::start_span(std::string_view name, trace::SpanOptions options) {
  options.attributes.emplace_back(std::string{trace::kAttributeWorkerName}, worker_name_);
  options.attributes.emplace_back(std::string{trace::kAttributeWorkerExecutionId}, execution_id_);
  return inner_.start_span(name, std::move(options));
}

namespace {

std::string demangled(const std::type_info& type) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(
      abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
  return status == 0 && name ? std::string(name.get()) : std::string(type.name());
}

}  // namespace

ExecutionEngine::ExecutionEngine(std::shared_ptr<Worker> worker, std::string name,
                                 HandlerFunc handler, std::shared_ptr<WorkerExecution> execution,
                                 PoolRuntime& runtime)
    : worker_(std::move(worker)),
      name_(std::move(name)),
      handler_(std::move(handler)),
      execution_(std::move(execution)),
      runtime_(runtime),
      max_attempts_(execution_->max_executions_attempts()),
      logger_(runtime.logger),
      tracer_(*runtime.tracer, name_, execution_id_) {}

void ExecutionEngine::prepare() {
  // Done by the carrier, not by start(), so that the pool's start spreads this over threads.
  counters_.emplace(*runtime_.metrics, name_);
  logger_.add_field("worker", name_);
  worker_fields_size_ = logger_.fields_.size();
  set_execution_id(execution_->id());
}

void ExecutionEngine::set_execution_id(std::string id) {
  execution_id_ = std::move(id);
  // The worker field stays; only the id is rendered again (and fields a run added are dropped).
  logger_.fields_.resize(worker_fields_size_);
  logger_.add_field("workerExecutionID", execution_id_);
}

void ExecutionEngine::record(std::string_view message, const WorkerStatus* status,
                             spdlog::level::level_enum level, std::string_view error,
                             std::chrono::system_clock::time_point now) {
  execution_->add_event(message, status, now);
  logger_.log_at(now, level, message, error);
}

void ExecutionEngine::record_formatted(const WorkerStatus* status, spdlog::level::level_enum level,
                                       std::string_view error,
                                       std::chrono::system_clock::time_point now) {
  record(std::string_view{message_.data(), message_.size()}, status, level, error, now);
}

bool ExecutionEngine::needs_deferral() const noexcept {
  return attempt_ == 0 && execution_->deferred_start_threshold().count() > 0.0;
}

void ExecutionEngine::begin_deferral() {
  static constexpr WorkerStatus kDeferred = WorkerStatus::Deferred;
  message_.clear();
  fmt::format_to(std::back_inserter(message_),
                 FMT_COMPILE("deferring execution attempt for {} seconds"),
                 execution_->deferred_start_threshold().count());
  record_formatted(&kDeferred, spdlog::level::info, {});
}

void ExecutionEngine::cancel_before_start() {
  logger_.info("deferral interrupted: the pool is stopping, no attempt started");
}

Context& ExecutionEngine::begin_attempt() {
  static constexpr WorkerStatus kRunning = WorkerStatus::Running;
  ++attempt_;
  execution_->set_attempt(attempt_);
  message_.clear();
  fmt::format_to(std::back_inserter(message_), FMT_COMPILE("starting execution attempt {}/{}"),
                 attempt_, max_attempts_);
  record_formatted(&kRunning, spdlog::level::info, {});
  counters_->increment(ExecutionCounter::Started);
  set_current_execution(&name_, &execution_id_);
  if (runtime_.execution_spans) {
    trace::SpanOptions options;
    options.attributes = {{std::string(trace::kAttributeWorkerName), name_},
                          {std::string(trace::kAttributeWorkerExecutionId), execution_id_},
                          {"worker.attempt", std::int64_t{attempt_}}};
    if (previous_span_.valid()) options.links.push_back(previous_span_);
    execution_span_ = runtime_.tracer->start_span("worker.execution", std::move(options));
  }
  context_.emplace(name_, execution_id_, attempt_, max_attempts_, runtime_.stop_source.get_token(),
                   runtime_.stop_signal, logger_, tracer_);
  return *context_;
}

AttemptOutcome ExecutionEngine::invoke(Context& ctx) noexcept {
  using Kind = AttemptOutcome::Kind;
  try {
    Result result = handler_(ctx);
    if (result.ok()) return {Kind::Success, {}, {}};
    return {Kind::Error, result.error(), {}};
  } catch (const std::exception& e) {
    return {Kind::Panic, e.what(), demangled(typeid(e))};
  } catch (...) {
    return {Kind::Panic, "unknown exception", "unknown"};
  }
}

bool ExecutionEngine::end_attempt(const AttemptOutcome& outcome) {
  static constexpr WorkerStatus kSuccess = WorkerStatus::Success;
  static constexpr WorkerStatus kError = WorkerStatus::Error;
  using Kind = AttemptOutcome::Kind;
  context_.reset();
  if (execution_span_.recording()) {
    if (outcome.kind == Kind::Success) {
      execution_span_.set_status(trace::StatusCode::Ok);
    } else {
      execution_span_.set_status(trace::StatusCode::Error, outcome.message);
      execution_span_.record_exception(
          outcome.kind == Kind::Panic ? outcome.exception_type : std::string("worker::error"),
          outcome.message);
    }
    previous_span_ = execution_span_.context();
    execution_span_.end();
  }
  set_current_execution(nullptr, nullptr);
  message_.clear();
  if (outcome.kind == Kind::Success) {
    fmt::format_to(std::back_inserter(message_),
                   FMT_COMPILE("stopping execution attempt {}/{} with success"), attempt_,
                   max_attempts_);
    record_formatted(&kSuccess, spdlog::level::info, {});
    counters_->increment(ExecutionCounter::Success);
    return false;
  }
  const bool panic = outcome.kind == Kind::Panic;
  fmt::format_to(std::back_inserter(message_),
                 FMT_COMPILE("stopping execution attempt {}/{} with {}: {}"), attempt_,
                 max_attempts_, panic ? "recovered panic" : "error", outcome.message);
  // The failure and what follows it happen at the same moment: one clock reading.
  const auto now = std::chrono::system_clock::now();
  record_formatted(&kError, spdlog::level::err, outcome.message, now);
  counters_->increment(ExecutionCounter::Error);

  if (attempt_ >= max_attempts_) {
    record("max execution attempts reached", nullptr, spdlog::level::info, {}, now);
    return false;
  }
  if (runtime_.stopping()) {
    logger_.info("not restarting: the pool is stopping");
    return false;
  }
  record(panic ? "restarting after panic recovery" : "restarting after error", nullptr,
         spdlog::level::info, {}, now);
  set_execution_id(runtime_.generator->generate());
  execution_->set_id(execution_id_);
  counters_->increment(ExecutionCounter::Restarted);
  return true;
}

void ExecutionEngine::finish() noexcept {
  finished_.store(true, std::memory_order_release);
  // Only the last engine takes the lock, so that thousands finishing at once do not queue on it.
  if (runtime_.running.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    std::lock_guard lock(runtime_.mutex);
    runtime_.all_finished.notify_all();
  }
}

void ExecutionEngine::run() noexcept {
  try {
    prepare();
    bool start = true;
    if (needs_deferral()) {
      begin_deferral();
      const auto threshold = std::chrono::duration_cast<std::chrono::nanoseconds>(
          execution_->deferred_start_threshold());
      start = runtime_.stop_signal.wait_for(threshold);
      if (!start) cancel_before_start();
    }
    if (start) {
      for (;;) {
        Context& ctx = begin_attempt();
        if (!end_attempt(invoke(ctx))) break;
      }
    }
  } catch (const std::exception& e) {
    // Only the pool's own collaborators (id generator, logger sinks) can get here.
    logger_.log_with_error(spdlog::level::critical, "worker supervision failed", e.what());
    static constexpr WorkerStatus kError = WorkerStatus::Error;
    execution_->set_status(kError);
  }
  set_current_execution(nullptr, nullptr);
  finish();
}

}  // namespace worker::detail
