// The Go module's WorkerProbe scenarios.
#include <gtest/gtest.h>

#include <latch>

#include "test_support.hpp"
#include "test_workers.hpp"
#include "worker/probe.hpp"

namespace worker {
namespace {

TEST(WorkerProbeTest, CustomName) {
  WorkerPool pool;
  WorkerProbe probe(pool);
  EXPECT_EQ(probe.name(), "worker");
  probe.set_name("custom");
  EXPECT_EQ(probe.name(), "custom");
  EXPECT_THROW(probe.set_name(""), std::invalid_argument);
}

TEST(WorkerProbeTest, PoolNotStartedIsHealthyWithEmptyMessage) {
  WorkerPool pool({with_worker(std::make_shared<testing::OneShotWorker>())});
  WorkerProbe probe(pool);
  const auto result = probe.check({});
  EXPECT_TRUE(result.success);
  EXPECT_EQ(result.message, "");
}

TEST(WorkerProbeTest, SuccessPool) {
  std::latch release(1);
  WorkerPool pool({with_logger(testing::JsonCapture{}.logger)});
  pool.add(std::make_shared<testing::OneShotWorker>());
  pool.add(make_worker("Blocked", [&](Context&) { release.wait(); }));
  pool.start();
  ASSERT_TRUE(testing::wait_for_status(pool, "OneShotWorker", WorkerStatus::Success));
  ASSERT_TRUE(testing::wait_for_status(pool, "Blocked", WorkerStatus::Running));
  WorkerProbe probe(pool);
  const auto result = probe.check({});
  EXPECT_TRUE(result.success);
  EXPECT_EQ(result.message, "Blocked: running, OneShotWorker: success");
  release.count_down();
}

TEST(WorkerProbeTest, ErrorPool) {
  WorkerPool pool({with_logger(testing::JsonCapture{}.logger)});
  pool.add(std::make_shared<testing::ErrorWorker>());
  pool.add(std::make_shared<testing::OneShotWorker>());
  pool.start();
  ASSERT_TRUE(testing::wait_for_event(pool, "ErrorWorker", "max execution attempts reached"));
  ASSERT_TRUE(testing::wait_for_status(pool, "OneShotWorker", WorkerStatus::Success));
  WorkerProbe probe(pool);
  const auto result = probe.check({});
  EXPECT_FALSE(result.success);
  EXPECT_EQ(result.message, "ErrorWorker: error, OneShotWorker: success");
}

}  // namespace
}  // namespace worker
