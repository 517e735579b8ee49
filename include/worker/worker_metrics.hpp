// WorkerMetrics: the Prometheus counter `[ns_][subsystem_]worker_executions_total{worker,status}`
// that every pool feeds (status: started, restarted, success, error).
//
//   prometheus::Registry registry;
//   auto metrics = std::make_shared<worker::WorkerMetrics>("app", "jobs");
//   metrics->register_in(registry);          // counts from now on
//   worker::WorkerPool pool({worker::with_metrics(metrics)});
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <array>
#include <atomic>
#include <string>
#include <string_view>

namespace worker {

enum class ExecutionCounter { Started, Restarted, Success, Error };
// "started", "restarted", "success", "error".
std::string_view to_string(ExecutionCounter counter) noexcept;

// Spaces and dashes become '_', letters lower case: "My-Worker 1" -> "my_worker_1".
std::string sanitize(std::string_view text);

// The Prometheus text exposition (format 0.0.4) of `registry`, with each family's series sorted
// by label values as the Go client writes them (prometheus-cpp's own order is unspecified).
std::string to_prometheus_text(const prometheus::Registry& registry);

// Thread-safe: any method may be called from any thread. The registry passed to register_in
// must outlive this object's use.
class WorkerMetrics {
 public:
  explicit WorkerMetrics(std::string metrics_namespace = "", std::string subsystem = "");
  WorkerMetrics(const WorkerMetrics&) = delete;
  WorkerMetrics& operator=(const WorkerMetrics&) = delete;

  // Registers the counter family; counts are recorded only from then on.
  // Throws std::logic_error on a second call, std::invalid_argument when the registry
  // rejects the family (a metric of the same name and another type).
  void register_in(prometheus::Registry& registry);
  bool registered() const noexcept { return family_.load(std::memory_order_acquire) != nullptr; }

  // The full metric name, e.g. "app_jobs_worker_executions_total".
  const std::string& metric_name() const noexcept { return metric_name_; }

  // Adds one to the series {worker=sanitize(worker_name), status=counter}; no-op before
  // register_in.
  void increment(std::string_view worker_name, ExecutionCounter counter);

  // The series for an already sanitized worker label, or nullptr before register_in.
  prometheus::Counter* series(const std::string& worker_label, ExecutionCounter counter);

  // A per-worker cache of the four series, for hot paths: one lookup per series, then a
  // plain increment. Not thread-safe: one per worker, used by one thread at a time.
  class WorkerCounters {
   public:
    WorkerCounters(WorkerMetrics& metrics, std::string_view worker_name)
        : metrics_(&metrics), label_(sanitize(worker_name)) {}
    void increment(ExecutionCounter counter) {
      auto& series = series_[static_cast<std::size_t>(counter)];
      if (series == nullptr) {
        series = metrics_->series(label_, counter);
        if (series == nullptr) return;
      }
      series->Increment();
    }

   private:
    WorkerMetrics* metrics_;
    std::string label_;
    std::array<prometheus::Counter*, 4> series_{};
  };

 private:
  std::string metric_name_;
  std::atomic<prometheus::Family<prometheus::Counter>*> family_{nullptr};
};

}  // namespace worker
