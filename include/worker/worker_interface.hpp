// Worker: the interface of a supervised background job, and make_worker() for lambdas.
//
//   class Mailer final : public worker::Worker {
//    public:
//     std::string name() const override { return "mailer"; }
//     worker::Result run(worker::Context& ctx) override { ...; return worker::ok(); }
//   };
//   auto ticker = worker::make_worker("ticker", [](worker::Context& ctx) {
//     while (ctx.sleep_for(std::chrono::seconds(1))) ctx.logger().info("tick");
//   });
#pragma once

#include <concepts>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "worker/context.hpp"
#include "worker/result.hpp"

namespace worker {

// run() is called by one pool thread at a time; name() may be called from any thread and
// must keep returning the same value.
class Worker {
 public:
  virtual ~Worker() = default;
  virtual std::string name() const = 0;
  // A thrown exception is a "panic": the pool recovers it and records it as a failure.
  virtual Result run(Context& ctx) = 0;
};

// A worker whose run is `fn`.
std::shared_ptr<Worker> make_worker(std::string name, std::function<Result(Context&)> fn);

// A worker whose run is `fn` returning nothing: each run that returns is a success.
template <typename F>
requires std::invocable<F&, Context&> && std::is_void_v<std::invoke_result_t<F&, Context&>>
    std::shared_ptr<Worker> make_worker(std::string name, F fn) {
  return make_worker(std::move(name),
                     std::function<Result(Context&)>([fn = std::move(fn)](Context& ctx) mutable {
                       fn(ctx);
                       return Result{};
                     }));
}

}  // namespace worker
