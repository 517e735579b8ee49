// The worker library: supervised long-running background workers.
//
//   #include <worker/worker.hpp>
//
//   worker::WorkerPool pool({worker::with_global_max_executions_attempts(3)});
//   pool.add(worker::make_worker("ticker", [](worker::Context& ctx) {
//     while (ctx.sleep_for(std::chrono::seconds(1))) ctx.logger().info("tick");
//   }));
//   pool.start();
//   ...
//   pool.stop();
#pragma once

#include "worker/context.hpp"
#include "worker/id_generator.hpp"
#include "worker/logger.hpp"
#include "worker/middleware.hpp"
#include "worker/options.hpp"
#include "worker/result.hpp"
#include "worker/trace_sdk.hpp"
#include "worker/tracer.hpp"
#include "worker/worker_execution.hpp"
#include "worker/worker_interface.hpp"
#include "worker/worker_metrics.hpp"
#include "worker/worker_pool.hpp"
#include "worker/worker_status.hpp"
