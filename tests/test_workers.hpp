// The sample workers of the scenarios (as in the Go module's test data).
#pragma once

#include <stdexcept>

#include "worker/worker.hpp"

namespace worker::testing {

class OneShotWorker final : public Worker {
 public:
  std::string name() const override { return "OneShotWorker"; }
  Result run(Context& ctx) override {
    ctx.logger().info("running worker {} [id {}]", ctx.worker_name(), ctx.execution_id());
    auto span = ctx.tracer().start_span("one shot span");
    ctx.logger().info("stopped");
    return ok();
  }
};

class LoopWorker final : public Worker {
 public:
  std::string name() const override { return "LoopWorker"; }
  Result run(Context& ctx) override {
    ctx.logger().info("running");
    while (ctx.sleep_for(std::chrono::milliseconds(5))) {
    }
    ctx.logger().info("stopping");
    ctx.logger().info("stopped");
    return ok();
  }
};

class ErrorWorker final : public Worker {
 public:
  std::string name() const override { return "ErrorWorker"; }
  Result run(Context& ctx) override {
    ctx.logger().info("running");
    return error("custom error");
  }
};

class PanicWorker final : public Worker {
 public:
  std::string name() const override { return "PanicWorker"; }
  Result run(Context& ctx) override {
    ctx.logger().info("running");
    throw std::runtime_error("custom panic");
  }
};

}  // namespace worker::testing
