// Runs one worker through an installed worker package and checks its execution report.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <worker/worker.hpp>

int main() {
  worker::WorkerPool pool({worker::with_global_max_executions_attempts(2)});
  std::atomic<int> runs{0};
  pool.add(worker::make_worker("consumer", [&](worker::Context& ctx) {
    ++runs;
    return ctx.attempt() == 1 ? worker::error("first attempt fails") : worker::ok();
  }));
  pool.start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (pool.execution("consumer")->status() != worker::WorkerStatus::Success &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  pool.stop();
  const auto status = pool.execution("consumer")->status();
  std::printf("consumer: runs=%d status=%s\n", runs.load(),
              std::string(worker::to_string(status)).c_str());
  return runs == 2 && status == worker::WorkerStatus::Success ? 0 : 1;
}
