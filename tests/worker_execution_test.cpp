#include "worker/worker_execution.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "worker/worker_status.hpp"

namespace worker {
namespace {

TEST(WorkerStatusTest, Names) {
  EXPECT_EQ(to_string(WorkerStatus::Unknown), "unknown");
  EXPECT_EQ(to_string(WorkerStatus::Deferred), "deferred");
  EXPECT_EQ(to_string(WorkerStatus::Running), "running");
  EXPECT_EQ(to_string(WorkerStatus::Success), "success");
  EXPECT_EQ(to_string(WorkerStatus::Error), "error");
}

TEST(WorkerExecutionTest, StartsUnknownWithItsSettings) {
  WorkerExecution execution("id", "name", 3, std::chrono::duration<double>(1.5));
  EXPECT_EQ(execution.id(), "id");
  EXPECT_EQ(execution.name(), "name");
  EXPECT_EQ(execution.status(), WorkerStatus::Unknown);
  EXPECT_EQ(execution.current_execution_attempt(), 0);
  EXPECT_EQ(execution.max_executions_attempts(), 3);
  EXPECT_DOUBLE_EQ(execution.deferred_start_threshold().count(), 1.5);
  EXPECT_EQ(execution.event_history_limit(), 1000u);
  EXPECT_TRUE(execution.events().empty());
  EXPECT_FALSE(execution.has_event("anything"));
  EXPECT_EQ(execution.total_events(), 0u);
}

TEST(WorkerExecutionTest, HistoryLimitKeepsTheNewestEventsInOrder) {
  WorkerPool pool({with_logger(testing::JsonCapture{}.logger), with_event_history_limit(4),
                   with_global_max_executions_attempts(5)});
  pool.add(make_worker("failing", [](Context&) { return error("no"); }));
  pool.start();
  ASSERT_TRUE(testing::wait_for_event(pool, "failing", "max execution attempts reached"));
  pool.stop();
  const auto execution = pool.execution("failing");
  EXPECT_EQ(execution->event_history_limit(), 4u);
  EXPECT_EQ(execution->total_events(), 15u);
  std::vector<std::string> messages;
  for (const auto& event : execution->events()) messages.push_back(event.message);
  EXPECT_EQ(messages,
            (std::vector<std::string>{"restarting after error", "starting execution attempt 5/5",
                                      "stopping execution attempt 5/5 with error: no",
                                      "max execution attempts reached"}));
  EXPECT_FALSE(execution->has_event("starting execution attempt 4/5"));
}

TEST(WorkerExecutionTest, HistoryLimitZeroKeepsEverything) {
  WorkerPool pool({with_logger(testing::JsonCapture{}.logger), with_event_history_limit(0),
                   with_global_max_executions_attempts(1500)});
  pool.add(make_worker("failing", [](Context&) { return error("no"); }));
  pool.start();
  ASSERT_TRUE(testing::wait_for_event(pool, "failing", "max execution attempts reached"));
  pool.stop();
  EXPECT_EQ(pool.execution("failing")->events().size(), 4500u);
}

TEST(WorkerExecutionTest, EventsCarryTheIdOfTheirAttemptAndOrderedTimestamps) {
  const auto before = std::chrono::system_clock::now();
  WorkerPool pool(
      {with_logger(testing::JsonCapture{}.logger), with_global_max_executions_attempts(2)});
  pool.add(make_worker("failing", [](Context&) { return error("no"); }));
  pool.start();
  ASSERT_TRUE(testing::wait_for_event(pool, "failing", "max execution attempts reached"));
  pool.stop();
  const auto execution = pool.execution("failing");
  const auto events = execution->events();
  ASSERT_EQ(events.size(), 6u);
  // Attempt 1's events (start, stop, restarting) carry the first id, attempt 2's the second.
  EXPECT_EQ(events[0].execution_id, events[2].execution_id);
  EXPECT_NE(events[2].execution_id, events[3].execution_id);
  EXPECT_EQ(events[3].execution_id, execution->id());
  EXPECT_EQ(events[5].execution_id, execution->id());
  EXPECT_GE(events.front().timestamp, before);
  for (std::size_t i = 1; i < events.size(); ++i) {
    EXPECT_LE(events[i - 1].timestamp, events[i].timestamp);
  }
}

}  // namespace
}  // namespace worker
