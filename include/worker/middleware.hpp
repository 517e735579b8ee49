// Middlewares wrap a worker's run: the first registered is the outermost.
//
//   auto timing = worker::make_middleware("timing", [](worker::HandlerFunc next) {
//     return worker::HandlerFunc([next](worker::Context& ctx) {
//       auto begin = std::chrono::steady_clock::now();
//       worker::Result result = next(ctx);
//       ctx.logger().info("run took {}", std::chrono::steady_clock::now() - begin);
//       return result;
//     });
//   });
//   pool.add(worker, {worker::with_middlewares(timing)});
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "worker/context.hpp"
#include "worker/result.hpp"

namespace worker {

using HandlerFunc = std::function<Result(Context&)>;
using MiddlewareFunc = std::function<HandlerFunc(HandlerFunc next)>;

// handle() is called once per worker when the pool starts, from the pool's thread; the
// handler it returns is called by one worker thread at a time.
class Middleware {
 public:
  virtual ~Middleware() = default;
  virtual std::string name() const = 0;
  virtual MiddlewareFunc handle() const = 0;
};

std::shared_ptr<Middleware> make_middleware(std::string name, MiddlewareFunc fn);

}  // namespace worker
