// WorkerPool: runs every registered worker under supervision — deferred start, restarts up to
// a maximum of attempts, a unique id per attempt, exception recovery, logs and metrics — and
// reports each worker's execution at any time.
//
//   worker::WorkerPool pool({worker::with_global_max_executions_attempts(3)});
//   pool.add(std::make_shared<Mailer>());
//   pool.start();
//   ...
//   pool.stop();   // requests stop, waits for every worker (the destructor does the same)
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "worker/options.hpp"
#include "worker/worker_execution.hpp"

namespace worker {

// Thrown by WorkerPool::execution() and registration() for an unknown name.
class NotFoundError : public std::out_of_range {
 public:
  using std::out_of_range::out_of_range;
};

// Thread-safe: any method may be called from any thread. Not copyable, not movable.
// A worker may call stop() on its own pool: it then requests the stop without waiting.
class WorkerPool {
 public:
  // Throws std::invalid_argument naming the option and the value for bad options.
  explicit WorkerPool(std::vector<PoolOption> options = {});
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Registers a worker (Go: Register). Throws std::invalid_argument for a null worker, an
  // empty or duplicate name or a bad option, std::logic_error once the pool has started.
  WorkerPool& add(std::shared_ptr<Worker> worker, std::vector<ExecutionOption> options = {});

  // Starts every registered worker. Throws std::logic_error if already started.
  void start();
  // Requests stop and waits for every worker; idempotent, a no-op before start().
  void stop();
  // Requests stop and waits at most `timeout`; returns the names of the workers still running
  // then (sorted). They are joined by a later stop() or the destructor.
  std::vector<std::string> stop(std::chrono::milliseconds timeout);

  bool started() const noexcept;
  bool stop_requested() const noexcept;

  WorkerMetrics& metrics();
  const PoolOptions& options() const noexcept;

  // One execution per registered worker, from start() on (empty before).
  std::map<std::string, std::shared_ptr<const WorkerExecution>> executions() const;
  // Throws NotFoundError "execution for worker X was not found".
  std::shared_ptr<const WorkerExecution> execution(std::string_view name) const;

  std::vector<std::string> registrations() const;  // worker names, sorted
  // Throws NotFoundError "registration for worker X was not found".
  std::shared_ptr<Worker> registration(std::string_view name) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class WorkerPoolFactory {
 public:
  virtual ~WorkerPoolFactory() = default;
  virtual std::unique_ptr<WorkerPool> create(std::vector<PoolOption> options) = 0;
};

class DefaultWorkerPoolFactory final : public WorkerPoolFactory {
 public:
  std::unique_ptr<WorkerPool> create(std::vector<PoolOption> options) override {
    return std::make_unique<WorkerPool>(std::move(options));
  }
  template <std::same_as<PoolOption>... O>
  std::unique_ptr<WorkerPool> create(O... options) {
    return create(std::vector<PoolOption>{std::move(options)...});
  }
};

}  // namespace worker
