// The admin HTTP server: a real server on 127.0.0.1:0 and a real client.
#include "worker/http/admin_server.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <prometheus/registry.h>

#include <atomic>
#include <latch>
#include <nlohmann/json.hpp>
#include <thread>

#include "test_support.hpp"
#include "test_workers.hpp"
#include "worker/probe.hpp"

namespace worker::http {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class SlowProbe final : public healthcheck::Probe {
 public:
  std::string name() const override { return "slow"; }
  healthcheck::ProbeResult check(std::stop_token stop) override {
    std::mutex mutex;
    std::condition_variable_any cv;
    std::unique_lock lock(mutex);
    cv.wait(lock, stop, [] { return false; });
    return {true, "late"};
  }
};

struct Fixture {
  std::latch release{1};
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  WorkerPool pool{{with_logger(testing::JsonCapture{}.logger)}};

  Fixture() {
    pool.metrics().register_in(*registry);
    pool.add(std::make_shared<testing::OneShotWorker>());
    pool.add(make_worker("Blocked", [this](Context&) { release.wait(); }));
  }
  ~Fixture() { release.count_down(); }

  void start_and_settle() {
    pool.start();
    ASSERT_TRUE(testing::wait_for_status(pool, "OneShotWorker", WorkerStatus::Success));
    ASSERT_TRUE(testing::wait_for_status(pool, "Blocked", WorkerStatus::Running));
  }
};

std::shared_ptr<healthcheck::Checker> checker_for(const WorkerPool& pool) {
  auto checker = std::make_shared<healthcheck::Checker>(std::chrono::milliseconds(200));
  checker->register_probe(std::make_shared<WorkerProbe>(pool),
                          {healthcheck::ProbeKind::Liveness, healthcheck::ProbeKind::Readiness});
  return checker;
}

TEST(AdminServerTest, HealthEndpoints) {
  Fixture fixture;
  fixture.start_and_settle();
  AdminServer server({.port = 0, .checker = checker_for(fixture.pool), .pool = &fixture.pool});
  server.start();
  ASSERT_GT(server.port(), 0);
  httplib::Client client("127.0.0.1", server.port());

  for (const char* path : {"/livez", "/readyz"}) {
    auto response = client.Get(path);
    ASSERT_TRUE(response) << path;
    EXPECT_EQ(response->status, 200) << path;
    EXPECT_EQ(response->get_header_value("Content-Type"), "application/json");
    const auto body = json::parse(response->body);
    EXPECT_EQ(body["success"], true);
    EXPECT_EQ(body["probes"]["worker"]["success"], true);
    EXPECT_EQ(body["probes"]["worker"]["message"], "Blocked: running, OneShotWorker: success");
  }
  // The worker probe is not registered for startup: no probe, success.
  auto startup = client.Get("/healthz");
  ASSERT_TRUE(startup);
  EXPECT_EQ(startup->status, 200);
  EXPECT_EQ(json::parse(startup->body), json::parse(R"({"success":true,"probes":{}})"));
}

TEST(AdminServerTest, FailingCheckIs500AndProbeTimeoutIsReported) {
  Fixture fixture;
  fixture.start_and_settle();
  auto checker = checker_for(fixture.pool);
  checker->register_probe(std::make_shared<SlowProbe>(), {healthcheck::ProbeKind::Readiness});
  AdminServer server({.port = 0, .checker = checker});
  server.start();
  httplib::Client client("127.0.0.1", server.port());
  auto response = client.Get("/readyz");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  const auto body = json::parse(response->body);
  EXPECT_EQ(body["success"], false);
  EXPECT_EQ(body["probes"]["slow"]["success"], false);
  EXPECT_EQ(body["probes"]["slow"]["message"], "timeout after 200 ms");
  EXPECT_EQ(body["probes"]["worker"]["success"], true);
}

TEST(AdminServerTest, MetricsExposition) {
  Fixture fixture;
  fixture.start_and_settle();
  AdminServer server({.port = 0, .registry = fixture.registry});
  server.start();
  httplib::Client client("127.0.0.1", server.port());
  auto response = client.Get("/metrics");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->get_header_value("Content-Type"), "text/plain; version=0.0.4");
  EXPECT_THAT(
      response->body,
      HasSubstr("# HELP worker_executions_total Total number of workers executions\n"
                "# TYPE worker_executions_total counter\n"
                "worker_executions_total{status=\"started\",worker=\"blocked\"} 1\n"
                "worker_executions_total{status=\"started\",worker=\"oneshotworker\"} 1\n"
                "worker_executions_total{status=\"success\",worker=\"oneshotworker\"} 1\n"));
}

TEST(AdminServerTest, ExecutionsAsJson) {
  Fixture fixture;
  fixture.start_and_settle();
  AdminServer server({.port = 0, .pool = &fixture.pool});
  server.start();
  httplib::Client client("127.0.0.1", server.port());
  auto response = client.Get("/executions");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  const auto body = json::parse(response->body);
  ASSERT_TRUE(body.is_array());
  ASSERT_EQ(body.size(), 2u);
  EXPECT_EQ(body[0]["name"], "Blocked");
  EXPECT_EQ(body[0]["status"], "running");
  const auto& one_shot = body[1];
  EXPECT_EQ(one_shot["name"], "OneShotWorker");
  EXPECT_EQ(one_shot["status"], "success");
  EXPECT_EQ(one_shot["attempt"], 1);
  EXPECT_EQ(one_shot["max_attempts"], 1);
  EXPECT_EQ(one_shot["id"], fixture.pool.execution("OneShotWorker")->id());
  ASSERT_EQ(one_shot["events"].size(), 2u);
  EXPECT_EQ(one_shot["events"][0]["message"], "starting execution attempt 1/1");
  EXPECT_EQ(one_shot["events"][0]["execution_id"], one_shot["id"]);
  const std::string timestamp = one_shot["events"][1]["timestamp"];
  EXPECT_THAT(timestamp,
              ::testing::MatchesRegex(
                  R"(^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$)"));
}

TEST(AdminServerTest, UnknownPathIs404OtherMethodsAre405) {
  AdminServer server({.port = 0});
  server.start();
  httplib::Client client("127.0.0.1", server.port());
  auto missing = client.Get("/nope");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(json::parse(missing->body)["error"], "no endpoint /nope");
  auto post = client.Post("/readyz", "x", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "GET, HEAD");
  auto del = client.Delete("/metrics");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 405);
  // Without a pool, checker or registry the endpoints still answer.
  EXPECT_EQ(client.Get("/executions")->body, "[]");
  EXPECT_EQ(client.Get("/readyz")->status, 200);
}

TEST(AdminServerTest, ConcurrentRequestsWhileWorkersChurn) {
  auto registry = std::make_shared<prometheus::Registry>();
  WorkerPool pool({with_logger(testing::JsonCapture{}.logger),
                   with_global_max_executions_attempts(3000), with_event_history_limit(50)});
  pool.metrics().register_in(*registry);
  for (int i = 0; i < 3; ++i) {
    pool.add(make_worker("churn-" + std::to_string(i), [](Context&) { return error("again"); }));
  }
  AdminServer server(
      {.port = 0, .threads = 4, .checker = checker_for(pool), .registry = registry, .pool = &pool});
  server.start();
  pool.start();
  std::atomic<int> ok_responses{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", server.port());
      const char* paths[] = {"/readyz", "/metrics", "/executions", "/livez"};
      for (int i = 0; i < 25; ++i) {
        auto response = client.Get(paths[(c + i) % 4]);
        if (response && (response->status == 200 || response->status == 500)) ++ok_responses;
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(ok_responses.load(), 100);
  pool.stop();
  server.stop();
}

TEST(AdminServerTest, BadOptionsAndBindFailure) {
  EXPECT_THROW(AdminServer({.host = ""}), std::invalid_argument);
  EXPECT_THROW(AdminServer({.port = 70000}), std::invalid_argument);
  EXPECT_THROW(AdminServer({.port = 0, .threads = 0}), std::invalid_argument);
  AdminServer first({.port = 0});
  first.start();
  AdminServer second({.port = first.port()});
  EXPECT_THROW(second.start(), std::runtime_error);
  EXPECT_THROW(first.start(), std::logic_error);
  first.stop();
  first.stop();  // idempotent
}

}  // namespace
}  // namespace worker::http
