// Quickstart: a pool with a one-shot worker, a cancellable loop and a flaky worker that is
// restarted; prints every execution report, then stops.
#include <spdlog/sinks/stdout_sinks.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <worker/worker.hpp>

// A worker is a class with a name and a run...
class CacheWarmer final : public worker::Worker {
 public:
  std::string name() const override { return "cache-warmer"; }
  worker::Result run(worker::Context& ctx) override {
    ctx.logger().info("warming the cache (attempt {}/{})", ctx.attempt(), ctx.max_attempts());
    return worker::ok();
  }
};

int main() {
  auto logger = worker::log::make_json_logger("quickstart",
                                              std::make_shared<spdlog::sinks::stdout_sink_mt>());

  worker::WorkerPool pool({
      worker::with_logger(logger),
      worker::with_global_max_executions_attempts(3),  // a failing worker gets 3 attempts
  });

  pool.add(std::make_shared<CacheWarmer>());

  // ...or a lambda: returning void means success.
  pool.add(worker::make_worker("ticker",
                               [](worker::Context& ctx) {
                                 // sleep_for returns false as soon as the pool stops.
                                 while (ctx.sleep_for(std::chrono::milliseconds(20))) {
                                   ctx.logger().debug("tick");
                                 }
                                 ctx.logger().info("ticker stopping");
                               }),
           {worker::with_deferred_start_threshold(std::chrono::milliseconds(50))});

  std::atomic<int> calls{0};
  pool.add(worker::make_worker("flaky", [&](worker::Context& ctx) -> worker::Result {
    if (++calls < 3) return worker::error("upstream unavailable");
    ctx.logger().info("succeeded on attempt {}", ctx.attempt());
    return worker::ok();
  }));

  pool.start();

  // Wait until the flaky worker succeeded on its third attempt.
  while (pool.execution("flaky")->status() != worker::WorkerStatus::Success) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  pool.stop();  // requests stop and waits for every worker

  for (const auto& [name, execution] : pool.executions()) {
    std::printf("%s: %s after %d attempt(s)\n", name.c_str(),
                std::string(worker::to_string(execution->status())).c_str(),
                execution->current_execution_attempt());
    for (const auto& event : execution->events()) std::printf("  - %s\n", event.message.c_str());
  }
  return 0;
}
