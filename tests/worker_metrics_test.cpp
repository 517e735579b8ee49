#include "worker/worker_metrics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

namespace worker {
namespace {

std::string exposition(prometheus::Registry& registry) { return to_prometheus_text(registry); }

TEST(SanitizeTest, SpacesAndDashesBecomeUnderscoresLowerCase) {
  EXPECT_EQ(sanitize("My-Worker Name"), "my_worker_name");
  EXPECT_EQ(sanitize("already_ok"), "already_ok");
  EXPECT_EQ(sanitize(""), "");
  EXPECT_EQ(sanitize("A B-C"), "a_b_c");
}

TEST(WorkerMetricsTest, NamePrefixedBySanitizedNamespaceAndSubsystem) {
  EXPECT_EQ(WorkerMetrics().metric_name(), "worker_executions_total");
  EXPECT_EQ(WorkerMetrics("My-App").metric_name(), "my_app_worker_executions_total");
  EXPECT_EQ(WorkerMetrics("", "Sub System").metric_name(), "sub_system_worker_executions_total");
  EXPECT_EQ(WorkerMetrics("ns", "sub").metric_name(), "ns_sub_worker_executions_total");
}

TEST(WorkerMetricsTest, CountsOnlyOnceRegisteredWithTheGoExposition) {
  prometheus::Registry registry;
  WorkerMetrics metrics("app", "jobs");
  metrics.increment("My Worker", ExecutionCounter::Started);  // before registration: dropped
  EXPECT_FALSE(metrics.registered());
  metrics.register_in(registry);
  EXPECT_TRUE(metrics.registered());
  metrics.increment("My Worker", ExecutionCounter::Started);
  metrics.increment("My Worker", ExecutionCounter::Error);
  metrics.increment("My Worker", ExecutionCounter::Restarted);
  metrics.increment("My Worker", ExecutionCounter::Started);
  metrics.increment("My Worker", ExecutionCounter::Success);
  EXPECT_EQ(exposition(registry),
            "# HELP app_jobs_worker_executions_total Total number of workers executions\n"
            "# TYPE app_jobs_worker_executions_total counter\n"
            "app_jobs_worker_executions_total{status=\"error\",worker=\"my_worker\"} 1\n"
            "app_jobs_worker_executions_total{status=\"restarted\",worker=\"my_worker\"} 1\n"
            "app_jobs_worker_executions_total{status=\"started\",worker=\"my_worker\"} 2\n"
            "app_jobs_worker_executions_total{status=\"success\",worker=\"my_worker\"} 1\n");
}

TEST(WorkerMetricsTest, SecondRegistrationThrows) {
  prometheus::Registry registry;
  prometheus::Registry other;
  WorkerMetrics metrics;
  metrics.register_in(registry);
  try {
    metrics.register_in(other);
    FAIL() << "expected std::logic_error";
  } catch (const std::logic_error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("worker_executions_total is already registered"));
  }
}

TEST(WorkerMetricsTest, RegistryRejectingTheNameIsReported) {
  prometheus::Registry registry;
  prometheus::BuildGauge().Name("worker_executions_total").Help("x").Register(registry);
  WorkerMetrics metrics;
  EXPECT_THROW(metrics.register_in(registry), std::invalid_argument);
  EXPECT_FALSE(metrics.registered());
}

TEST(WorkerMetricsTest, CachedCountersCountFromRegistrationOnAndAcrossThreads) {
  prometheus::Registry registry;
  WorkerMetrics metrics;
  WorkerMetrics::WorkerCounters early(metrics, "w");
  early.increment(ExecutionCounter::Started);  // not registered yet: dropped
  metrics.register_in(registry);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      WorkerMetrics::WorkerCounters counters(metrics, "w");
      for (int i = 0; i < 1000; ++i) counters.increment(ExecutionCounter::Started);
    });
  }
  for (auto& thread : threads) thread.join();
  early.increment(ExecutionCounter::Started);
  EXPECT_THAT(
      exposition(registry),
      ::testing::HasSubstr("worker_executions_total{status=\"started\",worker=\"w\"} 4001\n"));
}

}  // namespace
}  // namespace worker
