// Health checks and the admin server: the WorkerProbe behind /livez and /readyz, metrics on
// /metrics, the execution reports on /executions.
#include <prometheus/registry.h>

#include <chrono>
#include <cstdio>
#include <healthcheck/healthcheck.hpp>
#include <thread>
#include <worker/http/admin_server.hpp>
#include <worker/probe.hpp>
#include <worker/worker.hpp>

int main() {
  auto registry = std::make_shared<prometheus::Registry>();
  worker::WorkerPool pool;
  pool.metrics().register_in(*registry);
  pool.add(worker::make_worker("ticker", [](worker::Context& ctx) {
    while (ctx.sleep_for(std::chrono::milliseconds(100))) {
    }
  }));

  auto checker = healthcheck::DefaultCheckerFactory().create(
      healthcheck::with_probe(std::make_shared<worker::WorkerProbe>(pool),
                              healthcheck::ProbeKind::Liveness, healthcheck::ProbeKind::Readiness),
      healthcheck::with_probe_timeout(std::chrono::seconds(2)));

  worker::http::AdminServer admin(
      {.port = 0, .checker = std::move(checker), .registry = registry, .pool = &pool});
  admin.start();
  pool.start();
  std::printf("admin server on http://127.0.0.1:%d (/readyz /livez /metrics /executions)\n",
              admin.port());

  // A service would now wait for SIGTERM; the example checks itself once and stops.
  healthcheck::Checker own_check;
  own_check.register_probe(std::make_shared<worker::WorkerProbe>(pool));
  while (!own_check.check(healthcheck::ProbeKind::Readiness).success) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::printf(
      "ready: %s\n",
      own_check.check(healthcheck::ProbeKind::Readiness).probes.at("worker").message.c_str());
  pool.stop();
  admin.stop();
  return 0;
}
