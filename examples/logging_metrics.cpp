// Logging and metrics: JSON records with the worker fields, and the Prometheus counter.
#include <prometheus/registry.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <chrono>
#include <cstdio>
#include <thread>
#include <worker/worker.hpp>

int main() {
  // Records are one JSON object per line; every record of a worker carries the fields
  // "worker" and "workerExecutionID".
  auto logger =
      worker::log::make_json_logger("app", std::make_shared<spdlog::sinks::stdout_sink_mt>());

  // The counter app_jobs_worker_executions_total{worker,status} counts once registered.
  prometheus::Registry registry;
  auto metrics = std::make_shared<worker::WorkerMetrics>("app", "jobs");
  metrics->register_in(registry);

  worker::WorkerPool pool({worker::with_logger(logger), worker::with_metrics(metrics),
                           worker::with_global_max_executions_attempts(2)});
  pool.add(worker::make_worker("importer", [](worker::Context& ctx) -> worker::Result {
    // Extra fields for this record only, or for the rest of the attempt with add_field().
    ctx.logger().with("batch", 42).info("importing");
    return ctx.attempt() == 1 ? worker::error("database busy") : worker::ok();
  }));
  pool.start();
  while (!pool.execution("importer")->has_event("stopping execution attempt 2/2 with success")) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  pool.stop();

  std::fputs(worker::to_prometheus_text(registry).c_str(), stdout);
  return 0;
}
