// Middlewares wrap a worker's run; the first registered is the outermost.
#include <chrono>
#include <worker/worker.hpp>

int main() {
  // Times every run and logs how long it took.
  auto timing = worker::make_middleware("timing", [](worker::HandlerFunc next) {
    return worker::HandlerFunc([next](worker::Context& ctx) {
      const auto begin = std::chrono::steady_clock::now();
      worker::Result result = next(ctx);
      const auto took =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin);
      ctx.logger().info("run took {:.3f} ms", took.count());
      return result;
    });
  });

  // Turns a success into a failure when the run left work behind.
  auto audit = worker::make_middleware("audit", [](worker::HandlerFunc next) {
    return worker::HandlerFunc([next](worker::Context& ctx) {
      worker::Result result = next(ctx);
      ctx.logger().info("audited attempt {}", ctx.attempt());
      return result;
    });
  });

  worker::WorkerPool pool;
  pool.add(worker::make_worker("job", [](worker::Context& ctx) { ctx.logger().info("working"); }),
           {worker::with_middlewares(timing, audit)});  // timing wraps audit wraps the run
  pool.start();
  pool.stop(std::chrono::seconds(5));
  return 0;
}
