// Micro-benchmarks of the hot paths: a full attempt cycle (start -> failure -> restart) with
// logging off and with JSON logging, the executions() snapshot, and a middleware chain.
#include <benchmark/benchmark.h>
#include <prometheus/registry.h>

#include <chrono>
#include <latch>
#include <thread>
#include <worker/worker.hpp>

#include "discarding_sink.hpp"

namespace {

std::shared_ptr<spdlog::logger> bench_logger(bool json) {
  auto logger =
      worker::log::make_json_logger("bench", std::make_shared<worker::bench::DiscardingSink>());
  logger->set_level(json ? spdlog::level::info : spdlog::level::off);
  return logger;
}

// Runs a restart storm of state.max_iterations attempts; reports the time per attempt.
void attempt_cycle(benchmark::State& state, bool json, bool metrics_on) {
  prometheus::Registry registry;
  auto metrics = std::make_shared<worker::WorkerMetrics>();
  if (metrics_on) metrics->register_in(registry);
  for (auto _ : state) {
    const int attempts = 10000;
    worker::WorkerPool pool({worker::with_logger(bench_logger(json)), worker::with_metrics(metrics),
                             worker::with_global_max_executions_attempts(attempts)});
    std::latch done(1);
    pool.add(worker::make_worker("cycle", [&done, attempts](worker::Context& ctx) {
      if (ctx.attempt() == attempts) done.count_down();
      return worker::error("again");
    }));
    pool.start();
    done.wait();
    pool.stop();
    state.SetItemsProcessed(state.items_processed() + attempts);
  }
}

void BM_AttemptCycleLogOff(benchmark::State& state) { attempt_cycle(state, false, false); }
void BM_AttemptCycleJsonLog(benchmark::State& state) { attempt_cycle(state, true, false); }
void BM_AttemptCycleJsonLogMetrics(benchmark::State& state) { attempt_cycle(state, true, true); }
BENCHMARK(BM_AttemptCycleLogOff)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AttemptCycleJsonLog)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AttemptCycleJsonLogMetrics)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ExecutionsSnapshot1000(benchmark::State& state) {
  worker::WorkerPool pool({worker::with_logger(bench_logger(false))});
  for (int i = 0; i < 1000; ++i) {
    pool.add(worker::make_worker("w" + std::to_string(i), [](worker::Context&) {}));
  }
  pool.start();
  pool.stop();
  for (auto _ : state) benchmark::DoNotOptimize(pool.executions());
}
BENCHMARK(BM_ExecutionsSnapshot1000)->Unit(benchmark::kMicrosecond);

void BM_MiddlewareChain3(benchmark::State& state) {
  auto pass = worker::make_middleware("pass", [](worker::HandlerFunc next) {
    return worker::HandlerFunc([next](worker::Context& ctx) { return next(ctx); });
  });
  worker::HandlerFunc handler = [](worker::Context&) { return worker::ok(); };
  for (int i = 0; i < 3; ++i) handler = pass->handle()(handler);
  // The chain is called with a context from a real run, captured once.
  worker::WorkerPool pool({worker::with_logger(bench_logger(false))});
  std::latch done(1);
  pool.add(worker::make_worker("chain", [&](worker::Context& ctx) {
    for (auto _ : state) benchmark::DoNotOptimize(handler(ctx));
    done.count_down();
  }));
  pool.start();
  done.wait();
  pool.stop();
}
BENCHMARK(BM_MiddlewareChain3);

}  // namespace

BENCHMARK_MAIN();
