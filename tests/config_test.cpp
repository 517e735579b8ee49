// Configuration: every key, overrides, environment substitution and every bad input.
#include "worker/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "test_support.hpp"

namespace worker::config {
namespace {

using ::testing::HasSubstr;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no ConfigError thrown";
}

TEST(ConfigTest, EveryKeyOfTheGoModule) {
  const auto document = Document::from_string(R"(
modules:
  worker:
    defer: 0.25
    attempts: 4
    metrics:
      collect:
        enabled: true
        namespace: My-App
        subsystem: jobs
)");
  const auto settings = WorkerSettings::from(document);
  EXPECT_DOUBLE_EQ(settings.defer, 0.25);
  EXPECT_EQ(settings.attempts, 4);
  EXPECT_TRUE(settings.metrics_enabled);
  EXPECT_EQ(settings.metrics_namespace, "My-App");
  EXPECT_EQ(settings.metrics_subsystem, "jobs");
  auto metrics = settings.make_metrics();
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->metric_name(), "my_app_jobs_worker_executions_total");

  WorkerPool pool(settings.pool_options(metrics));
  EXPECT_DOUBLE_EQ(pool.options().global_deferred_start_threshold.count(), 0.25);
  EXPECT_EQ(pool.options().global_max_executions_attempts, 4);
  EXPECT_EQ(&pool.metrics(), metrics.get());
}

TEST(ConfigTest, DefaultsWhenAbsent) {
  const auto settings = WorkerSettings::from(Document::from_string("app: {name: x}"));
  EXPECT_EQ(settings.defer, 0.0);
  EXPECT_EQ(settings.attempts, 1);
  EXPECT_FALSE(settings.metrics_enabled);
  EXPECT_EQ(settings.make_metrics(), nullptr);
  EXPECT_TRUE(settings.workers.empty());
  EXPECT_TRUE(WorkerSettings::from(Document::from_string("")).workers.empty());
}

TEST(ConfigTest, PerWorkerOverrides) {
  const auto settings = WorkerSettings::from(Document::from_string(R"(
modules:
  worker:
    defer: 1
    attempts: 2
    workers:
      mailer:
        defer: 0
        attempts: 7
      importer:
        attempts: 3
)"));
  WorkerPool pool(settings.pool_options());
  pool.add(make_worker("mailer", [](Context&) {}), settings.execution_options("mailer"));
  pool.add(make_worker("importer", [](Context&) {}), settings.execution_options("importer"));
  pool.add(make_worker("other", [](Context&) {}), settings.execution_options("other"));
  EXPECT_NO_THROW(settings.check_workers(pool.registrations()));
  pool.start();
  EXPECT_EQ(pool.execution("mailer")->max_executions_attempts(), 7);
  EXPECT_EQ(pool.execution("mailer")->deferred_start_threshold().count(), 0.0);
  EXPECT_EQ(pool.execution("importer")->max_executions_attempts(), 3);
  EXPECT_EQ(pool.execution("importer")->deferred_start_threshold().count(), 1.0);
  EXPECT_EQ(pool.execution("other")->max_executions_attempts(), 2);
  pool.stop();
}

TEST(ConfigTest, EnvironmentSubstitution) {
  setenv("WORKER_TEST_ATTEMPTS", "6", 1);
  setenv("WORKER_TEST_EMPTY", "", 1);
  unsetenv("WORKER_TEST_UNSET");
  const auto document = Document::from_string(R"(
modules:
  worker:
    attempts: ${WORKER_TEST_ATTEMPTS}
    defer: ${WORKER_TEST_UNSET:-0.5}
    metrics:
      collect:
        namespace: pre-${WORKER_TEST_EMPTY:-fallback}-post
        subsystem: ${WORKER_TEST_EMPTY}
)");
  const auto settings = WorkerSettings::from(document);
  EXPECT_EQ(settings.attempts, 6);
  EXPECT_DOUBLE_EQ(settings.defer, 0.5);
  EXPECT_EQ(settings.metrics_namespace, "pre-fallback-post");
  EXPECT_EQ(settings.metrics_subsystem, "");

  EXPECT_THAT(
      error_of([] { Document::from_string("a:\n  b: ${WORKER_TEST_UNSET}\n", "app.yaml"); }),
      HasSubstr("app.yaml:2: environment variable WORKER_TEST_UNSET is not set"));
  EXPECT_THAT(error_of([] { Document::from_string("a: ${OPEN", "app.yaml"); }),
              HasSubstr("app.yaml:1: unterminated ${"));
}

TEST(ConfigTest, FromFile) {
  const std::string path = ::testing::TempDir() + "/worker_config_test.yaml";
  {
    std::ofstream file(path);
    file << "modules:\n  worker:\n    attempts: 9\n";
  }
  const auto document = Document::from_file(path);
  EXPECT_EQ(document.source(), path);
  EXPECT_EQ(WorkerSettings::from(document).attempts, 9);
  EXPECT_EQ(document.line("modules.worker.attempts"), 3);
  std::remove(path.c_str());
}

TEST(ConfigTest, BadInputsNameFileKeyLineAndExpectation) {
  EXPECT_THAT(error_of([] { Document::from_file("/nonexistent/app.yaml"); }),
              HasSubstr("/nonexistent/app.yaml: cannot open the configuration file"));
  EXPECT_THAT(error_of([] { Document::from_string("modules: [unclosed", "bad.yaml"); }),
              HasSubstr("bad.yaml:1: invalid YAML"));
  EXPECT_THAT(error_of([] { Document::from_string("- a\n- b\n", "list.yaml"); }),
              HasSubstr("list.yaml: expected a mapping at the top level"));
  const auto wrong = [](const std::string& yaml) {
    return error_of([&] { WorkerSettings::from(Document::from_string(yaml, "app.yaml")); });
  };
  EXPECT_THAT(wrong("modules:\n  worker:\n    attempts: many\n"),
              HasSubstr("app.yaml:3: modules.worker.attempts must be an integer, got \"many\""));
  EXPECT_THAT(wrong("modules:\n  worker:\n    attempts: 0\n"),
              HasSubstr("app.yaml:3: modules.worker.attempts must be an integer >= 1, got 0"));
  EXPECT_THAT(
      wrong("modules:\n  worker:\n    defer: -1\n"),
      HasSubstr("app.yaml:3: modules.worker.defer must be a number of seconds >= 0, got -1"));
  EXPECT_THAT(wrong("modules:\n  worker:\n    defer: soon\n"),
              HasSubstr("modules.worker.defer must be a number, got \"soon\""));
  EXPECT_THAT(
      wrong("modules:\n  worker:\n    metrics:\n      collect:\n        enabled: perhaps\n"),
      HasSubstr("app.yaml:5: modules.worker.metrics.collect.enabled must be a boolean"));
  EXPECT_THAT(wrong("modules:\n  worker:\n    workers:\n      w:\n        retries: 2\n"),
              HasSubstr("app.yaml:5: unknown key modules.worker.workers.w.retries"));
  EXPECT_THAT(wrong("modules:\n  worker:\n    workers:\n      w:\n        attempts: -2\n"),
              HasSubstr("modules.worker.workers.w.attempts must be an integer >= 1, got -2"));
  EXPECT_THAT(wrong("modules:\n  worker:\n    workers: [a, b]\n"),
              HasSubstr("app.yaml:3: modules.worker.workers must be a mapping"));

  const auto settings = WorkerSettings::from(Document::from_string(
      "modules:\n  worker:\n    workers:\n      ghost:\n        attempts: 2\n", "app.yaml"));
  EXPECT_THAT(error_of([&] {
                settings.check_workers({"mailer", "importer"});
              }),
              HasSubstr("app.yaml:5: modules.worker.workers.ghost names no registered worker "
                        "(registered: mailer, importer)"));
}

}  // namespace
}  // namespace worker::config
