// worker-bench: the peer scenarios of BENCHMARKS.md, one per process, one JSON line out.
//
//   worker-bench SCENARIO [N] [--log=off|json] [--metrics=off|on]
//
// S1 fan-out: N one-shot workers; S2 restart storm: one failing worker with N attempts; S3 idle
// fleet: N workers blocked until stop; S4: S2 (N = 100,000 by default) for an overhead variant.
// Logging defaults to JSON records formatted into a discarding sink; metrics to registered.
#include <prometheus/registry.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <latch>
#include <string>
#include <string_view>
#include <thread>
#include <worker/worker.hpp>

#include "discarding_sink.hpp"

namespace {

using Clock = std::chrono::steady_clock;

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

long current_rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  long size = 0;
  long resident = 0;
  statm >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

double ms_since(Clock::time_point begin) {
  return std::chrono::duration<double, std::milli>(Clock::now() - begin).count();
}

[[noreturn]] void usage(const char* message) {
  std::fprintf(stderr,
               "%s\nusage: worker-bench S1|S2|S3|S4 [N] [--log=off|json] [--metrics=off|on]\n",
               message);
  std::exit(2);
}

struct Settings {
  std::string scenario;
  long n = 0;
  bool log = true;
  bool metrics = true;
};

Settings parse(int argc, char** argv) {
  if (argc < 2) usage("missing scenario");
  Settings settings;
  settings.scenario = argv[1];
  if (settings.scenario != "S1" && settings.scenario != "S2" && settings.scenario != "S3" &&
      settings.scenario != "S4") {
    usage("unknown scenario");
  }
  for (int i = 2; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--log=off") {
      settings.log = false;
    } else if (arg == "--log=json") {
      settings.log = true;
    } else if (arg == "--metrics=off") {
      settings.metrics = false;
    } else if (arg == "--metrics=on") {
      settings.metrics = true;
    } else {
      long value = 0;
      const auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), value);
      if (ec != std::errc{} || end != arg.data() + arg.size() || value < 1) usage("bad argument");
      settings.n = value;
    }
  }
  if (settings.n == 0)
    settings.n = (settings.scenario == "S1" || settings.scenario == "S3") ? 10000 : 100000;
  return settings;
}

long thread_count() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stol(line.substr(8));
  }
  return 0;
}

struct Figures {
  long threads = 0;
  double wall_ms = 0;
  double stop_ms = 0;
  long per_worker_bytes = 0;
};

std::vector<worker::PoolOption> pool_options(
    const std::shared_ptr<spdlog::logger>& logger,
    const std::shared_ptr<worker::WorkerMetrics>& metrics) {
  return {worker::with_logger(logger), worker::with_metrics(metrics)};
}

// The timed sections end on a latch the workers count down, then a short poll for the
// statuses the pool sets right after: polling all along would steal the workers' cores.
void wait_for_statuses(const worker::WorkerPool& pool, worker::WorkerStatus status) {
  for (const auto& [name, execution] : pool.executions()) {
    while (execution->status() != status) std::this_thread::yield();
  }
}

Figures fan_out(const Settings& settings, std::vector<worker::PoolOption> options) {
  worker::WorkerPool pool(std::move(options));
  std::latch ran(settings.n);
  for (long i = 0; i < settings.n; ++i) {
    pool.add(worker::make_worker("worker-" + std::to_string(i),
                                 [&ran](worker::Context&) { ran.count_down(); }));
  }
  const auto begin = Clock::now();
  pool.start();
  ran.wait();
  wait_for_statuses(pool, worker::WorkerStatus::Success);
  Figures figures;
  figures.wall_ms = ms_since(begin);
  figures.threads = thread_count();
  pool.stop();
  return figures;
}

Figures restart_storm(const Settings& settings, std::vector<worker::PoolOption> options) {
  options.push_back(worker::with_global_max_executions_attempts(static_cast<int>(settings.n)));
  worker::WorkerPool pool(std::move(options));
  std::latch last_attempt(1);
  const int attempts = static_cast<int>(settings.n);
  pool.add(worker::make_worker("storm", [&last_attempt, attempts](worker::Context& ctx) {
    if (ctx.attempt() == attempts) last_attempt.count_down();
    return worker::error("failure");
  }));
  const auto begin = Clock::now();
  pool.start();
  last_attempt.wait();
  const auto execution = pool.execution("storm");
  while (!execution->has_event("max execution attempts reached")) std::this_thread::yield();
  Figures figures;
  figures.wall_ms = ms_since(begin);
  pool.stop();
  return figures;
}

Figures idle_fleet(const Settings& settings, std::vector<worker::PoolOption> options) {
  worker::WorkerPool pool(std::move(options));
  std::latch running(settings.n);
  for (long i = 0; i < settings.n; ++i) {
    pool.add(worker::make_worker("idle-" + std::to_string(i), [&running](worker::Context& ctx) {
      running.count_down();  // its status is `running` from before the run
      ctx.sleep_for(std::chrono::hours(24));
    }));
  }
  const long rss_before = current_rss_bytes();
  const auto begin = Clock::now();
  pool.start();
  running.wait();
  Figures figures;
  figures.wall_ms = ms_since(begin);
  figures.per_worker_bytes = (current_rss_bytes() - rss_before) / settings.n;
  const auto stop_begin = Clock::now();
  pool.stop();
  figures.stop_ms = ms_since(stop_begin);
  return figures;
}

}  // namespace

int main(int argc, char** argv) {
  const Settings settings = parse(argc, argv);

  auto sink = std::make_shared<worker::bench::DiscardingSink>();
  auto logger = worker::log::make_json_logger("bench", sink);
  logger->set_level(settings.log ? spdlog::level::info : spdlog::level::off);
  prometheus::Registry registry;
  auto metrics = std::make_shared<worker::WorkerMetrics>();
  if (settings.metrics) metrics->register_in(registry);

  auto options = pool_options(logger, metrics);
  Figures figures;
  if (settings.scenario == "S1") {
    figures = fan_out(settings, std::move(options));
  } else if (settings.scenario == "S3") {
    figures = idle_fleet(settings, std::move(options));
  } else {
    figures = restart_storm(settings, std::move(options));
  }
  std::printf(
      "{\"peer\":\"cpp-worker\",\"scenario\":\"%s\",\"n\":%ld,\"wall_ms\":%.3f,\"rss_kb\":%ld,"
      "\"per_worker_bytes\":%ld,\"stop_ms\":%.3f,\"log\":\"%s\",\"metrics\":\"%s\",\"threads\":%ld}"
      "\n",
      settings.scenario.c_str(), settings.n, figures.wall_ms, peak_rss_kb(),
      figures.per_worker_bytes, figures.stop_ms, settings.log ? "json" : "off",
      settings.metrics ? "on" : "off", figures.threads);
  return 0;
}
