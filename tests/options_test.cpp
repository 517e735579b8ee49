// Bad input is rejected at create/add/start with the option and the value in the message.
#include "worker/options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

#include "test_support.hpp"

namespace worker {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<Worker> noop(std::string name = "w") {
  return make_worker(std::move(name), [](Context&) {});
}

template <typename F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no std::invalid_argument thrown";
}

TEST(OptionsTest, DefaultsAreThoseOfTheGoModule) {
  WorkerPool pool;
  EXPECT_EQ(pool.options().global_max_executions_attempts, 1);
  EXPECT_EQ(pool.options().global_deferred_start_threshold.count(), 0.0);
  EXPECT_EQ(pool.options().event_history_limit, 1000u);
  EXPECT_EQ(pool.metrics().metric_name(), "worker_executions_total");
}

TEST(OptionsTest, ExecutionOptionsOverrideGlobalOnes) {
  WorkerPool pool({with_logger(testing::JsonCapture{}.logger),
                   with_global_max_executions_attempts(5),
                   with_global_deferred_start_threshold(std::chrono::duration<double>(0.01))});
  pool.add(noop("global"));
  pool.add(noop("own"), {with_max_executions_attempts(2),
                         with_deferred_start_threshold(std::chrono::duration<double>(0))});
  pool.start();
  pool.stop();
  EXPECT_EQ(pool.execution("global")->max_executions_attempts(), 5);
  EXPECT_DOUBLE_EQ(pool.execution("global")->deferred_start_threshold().count(), 0.01);
  EXPECT_EQ(pool.execution("own")->max_executions_attempts(), 2);
  EXPECT_EQ(pool.execution("own")->deferred_start_threshold().count(), 0.0);
}

TEST(OptionsTest, BadPoolOptions) {
  EXPECT_THAT(message_of([] { WorkerPool({with_global_max_executions_attempts(0)}); }),
              HasSubstr("with_global_max_executions_attempts: the maximum of execution attempts "
                        "must be >= 1, got 0"));
  EXPECT_THAT(
      message_of([] {
        WorkerPool({with_global_deferred_start_threshold(std::chrono::duration<double>(-1))});
      }),
      HasSubstr("with_global_deferred_start_threshold: the deferred start threshold must be a "
                "finite number of seconds >= 0, got -1"));
  EXPECT_THAT(message_of([] {
                WorkerPool({with_global_deferred_start_threshold(
                    std::chrono::duration<double>(std::numeric_limits<double>::quiet_NaN()))});
              }),
              HasSubstr("got nan"));
  EXPECT_THAT(message_of([] {
                WorkerPool({with_global_deferred_start_threshold(
                    std::chrono::duration<double>(std::numeric_limits<double>::infinity()))});
              }),
              HasSubstr("got inf"));
  EXPECT_THAT(message_of([] { WorkerPool({with_generator(nullptr)}); }),
              HasSubstr("with_generator: the id generator must not be null"));
  EXPECT_THAT(message_of([] { WorkerPool({with_logger(nullptr)}); }),
              HasSubstr("with_logger: the logger must not be null"));
  EXPECT_THAT(message_of([] { WorkerPool({with_metrics(nullptr)}); }),
              HasSubstr("with_metrics: the metrics must not be null"));
  EXPECT_THAT(message_of([] { WorkerPool({with_tracer_provider(nullptr)}); }),
              HasSubstr("with_tracer_provider: the tracer provider must not be null"));
}

TEST(OptionsTest, BadWorkers) {
  EXPECT_THAT(message_of([] { WorkerPool({with_worker(nullptr)}); }),
              HasSubstr("with_worker: the worker must not be null"));
  EXPECT_THAT(message_of([] { WorkerPool().add(nullptr); }),
              HasSubstr("with_worker: the worker must not be null"));
  EXPECT_THAT(message_of([] { WorkerPool().add(noop("")); }),
              HasSubstr("with_worker: the worker name must not be empty"));
  EXPECT_THAT(message_of([] { WorkerPool().add(noop("x"), {with_max_executions_attempts(-3)}); }),
              HasSubstr("with_max_executions_attempts (worker x): the maximum of execution "
                        "attempts must be >= 1, got -3"));
  EXPECT_THAT(message_of([] {
                WorkerPool().add(
                    noop("x"),
                    {with_deferred_start_threshold(std::chrono::duration<double>(-0.5))});
              }),
              HasSubstr("with_deferred_start_threshold (worker x): the deferred start threshold "
                        "must be a finite number of seconds >= 0, got -0.5"));
  EXPECT_THAT(message_of([] {
                WorkerPool().add(noop("x"), {with_middlewares(std::shared_ptr<Middleware>{})});
              }),
              HasSubstr("with_middlewares (worker x): a middleware is null"));
  EXPECT_THAT(message_of([] { make_worker("x", std::function<Result(Context&)>{}); }),
              HasSubstr("make_worker: the function of worker x is empty"));
}

TEST(OptionsTest, MiddlewareReturningEmptyHandlerFailsStartAndLeavesPoolUnstarted) {
  auto broken = make_middleware("broken", [](HandlerFunc) { return HandlerFunc{}; });
  WorkerPool pool({with_logger(testing::JsonCapture{}.logger)});
  pool.add(noop("x"), {with_middlewares(broken)});
  EXPECT_THAT(
      message_of([&] { pool.start(); }),
      HasSubstr("with_middlewares (worker x): middleware broken returned an empty handler"));
  EXPECT_FALSE(pool.started());
  EXPECT_TRUE(pool.executions().empty());
}

TEST(OptionsTest, AddAfterStartIsALogicError) {
  WorkerPool pool({with_logger(testing::JsonCapture{}.logger)});
  pool.start();
  EXPECT_THROW(pool.add(noop("late")), std::logic_error);
}

TEST(OptionsTest, FactoryCreatesConfiguredPools) {
  DefaultWorkerPoolFactory factory;
  auto pool = factory.create(with_worker(noop("a")), with_global_max_executions_attempts(4));
  EXPECT_EQ(pool->registrations(), std::vector<std::string>{"a"});
  EXPECT_EQ(pool->options().global_max_executions_attempts, 4);
  WorkerPoolFactory& base = factory;
  auto other = base.create(std::vector<PoolOption>{with_worker(noop("b"))});
  EXPECT_EQ(other->registrations(), std::vector<std::string>{"b"});
}

}  // namespace
}  // namespace worker
