// AdminServer: the admin HTTP endpoints of a service running a WorkerPool — health checks for
// Kubernetes probes, Prometheus metrics and the execution reports.
//
//   worker::http::AdminServer admin({.port = 8080, .checker = checker, .registry = registry,
//                                    .pool = &pool});
//   admin.start();            // listens on 127.0.0.1:8080 in the background
//
//   GET /healthz  startup check    -> 200 or 500,
//   {"success":bool,"probes":{name:{success,message}}} GET /livez    liveness check   -> idem GET
//   /readyz   readiness check  -> idem GET /metrics  Prometheus text exposition (text/plain;
//   version=0.0.4) GET /executions  JSON array of every execution (name, id, status, attempts,
//   events) unknown path -> 404, another method on a known path -> 405
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "healthcheck/checker.hpp"
#include "worker/worker_pool.hpp"

namespace prometheus {
class Registry;
}

namespace worker::http {

struct AdminServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;          // 0 = an ephemeral port, readable with port() once started
  std::size_t threads = 2;  // request handling threads
  std::shared_ptr<const healthcheck::Checker> checker{};  // null: checks succeed with no probe
  std::shared_ptr<prometheus::Registry> registry{};       // null: /metrics is empty
  const WorkerPool* pool = nullptr;                       // null: /executions is []; must outlive
};

// Thread-safe: any method may be called from any thread. Not copyable, not movable.
// Requests are served by its own threads: a slow probe never blocks the worker pool.
class AdminServer {
 public:
  // Throws std::invalid_argument naming the option for an empty host, a port outside
  // [0, 65535] or 0 threads.
  explicit AdminServer(AdminServerOptions options);
  ~AdminServer();  // stops
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // Binds and starts serving in the background. Throws std::runtime_error when the address
  // cannot be bound, std::logic_error when already started.
  void start();
  // Stops serving and joins; idempotent.
  void stop();
  // The bound port (after start()).
  int port() const noexcept;
  const std::string& host() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The /executions body: a JSON array of the pool's executions, sorted by name.
std::string executions_json(const WorkerPool& pool);
// The body of a health check: {"success":bool,"probes":{...}}.
std::string checker_result_json(const healthcheck::CheckerResult& result);

}  // namespace worker::http
