// Runs one worker through an installed worker package, with a configuration, a checker and the
// admin server, and checks the execution report and the readiness answer.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <healthcheck/healthcheck.hpp>
#include <thread>
#include <worker/config.hpp>
#include <worker/http/admin_server.hpp>
#include <worker/probe.hpp>
#include <worker/worker.hpp>

int main() {
  const auto settings = worker::config::WorkerSettings::from(
      worker::config::Document::from_string("modules: {worker: {attempts: 2}}"));
  worker::WorkerPool pool(settings.pool_options());
  std::atomic<int> runs{0};
  pool.add(worker::make_worker("consumer", [&](worker::Context& ctx) {
    ++runs;
    return ctx.attempt() == 1 ? worker::error("first attempt fails") : worker::ok();
  }));
  auto checker = std::make_shared<healthcheck::Checker>();
  checker->register_probe(std::make_shared<worker::WorkerProbe>(pool));
  worker::http::AdminServer admin({.port = 0, .checker = checker, .pool = &pool});
  admin.start();
  pool.start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (pool.execution("consumer")->status() != worker::WorkerStatus::Success &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const bool ready = checker->check(healthcheck::ProbeKind::Readiness).success;
  pool.stop();
  admin.stop();
  const auto status = pool.execution("consumer")->status();
  std::printf("consumer: runs=%d status=%s ready=%d admin port=%d\n", runs.load(),
              std::string(worker::to_string(status)).c_str(), ready, admin.port());
  return runs == 2 && status == worker::WorkerStatus::Success && ready && admin.port() > 0 ? 0 : 1;
}
