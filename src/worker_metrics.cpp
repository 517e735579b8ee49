#include "worker/worker_metrics.hpp"

#include <fmt/format.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <tuple>

namespace worker {

std::string_view to_string(ExecutionCounter counter) noexcept {
  switch (counter) {
    case ExecutionCounter::Started:
      return "started";
    case ExecutionCounter::Restarted:
      return "restarted";
    case ExecutionCounter::Success:
      return "success";
    case ExecutionCounter::Error:
      return "error";
  }
  return "unknown";
}

std::string sanitize(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == ' ' || c == '-') {
      out.push_back('_');
    } else {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

std::string to_prometheus_text(const prometheus::Registry& registry) {
  auto families = registry.Collect();
  for (auto& family : families) {
    std::stable_sort(family.metric.begin(), family.metric.end(),
                     [](const prometheus::ClientMetric& a, const prometheus::ClientMetric& b) {
                       return std::lexicographical_compare(
                           a.label.begin(), a.label.end(), b.label.begin(), b.label.end(),
                           [](const auto& x, const auto& y) {
                             return std::tie(x.name, x.value) < std::tie(y.name, y.value);
                           });
                     });
  }
  return prometheus::TextSerializer().Serialize(families);
}

WorkerMetrics::WorkerMetrics(std::string metrics_namespace, std::string subsystem) {
  if (!metrics_namespace.empty()) metric_name_ += sanitize(metrics_namespace) + "_";
  if (!subsystem.empty()) metric_name_ += sanitize(subsystem) + "_";
  metric_name_ += "worker_executions_total";
}

void WorkerMetrics::register_in(prometheus::Registry& registry) {
  if (registered()) {
    throw std::logic_error(
        fmt::format("WorkerMetrics::register_in: {} is already registered", metric_name_));
  }
  try {
    auto& family = prometheus::BuildCounter()
                       .Name(metric_name_)
                       .Help("Total number of workers executions")
                       .Register(registry);
    prometheus::Family<prometheus::Counter>* expected = nullptr;
    if (!family_.compare_exchange_strong(expected, &family, std::memory_order_acq_rel)) {
      throw std::logic_error(
          fmt::format("WorkerMetrics::register_in: {} is already registered", metric_name_));
    }
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(fmt::format("WorkerMetrics::register_in: registry rejected {}: {}",
                                            metric_name_, e.what()));
  }
}

prometheus::Counter* WorkerMetrics::series(const std::string& worker_label,
                                           ExecutionCounter counter) {
  auto* family = family_.load(std::memory_order_acquire);
  if (family == nullptr) return nullptr;
  // Family::Add is thread-safe and returns the existing series for the same labels.
  return &family->Add({{"worker", worker_label}, {"status", std::string{to_string(counter)}}});
}

void WorkerMetrics::increment(std::string_view worker_name, ExecutionCounter counter) {
  if (auto* s = series(sanitize(worker_name), counter)) s->Increment();
}

}  // namespace worker
