// Probe: one health check (a database ping, a queue's lag, the worker pool), run by a Checker
// for the startup, liveness and readiness checks Kubernetes asks for.
//
//   class DatabaseProbe final : public healthcheck::Probe {
//     std::string name() const override { return "database"; }
//     healthcheck::ProbeResult check(std::stop_token stop) override {
//       return {db.ping(stop), "ping"};
//     }
//   };
#pragma once

#include <stop_token>
#include <string>
#include <string_view>

namespace healthcheck {

enum class ProbeKind { Startup, Liveness, Readiness };
// "startup", "liveness", "readiness".
std::string_view to_string(ProbeKind kind) noexcept;

struct ProbeResult {
  bool success = false;
  std::string message;
};

// check() may be called from several threads at once (concurrent HTTP requests): implementations
// must be thread-safe. It should return soon after `stop` is requested (the checker's deadline).
class Probe {
 public:
  virtual ~Probe() = default;
  virtual std::string name() const = 0;
  virtual ProbeResult check(std::stop_token stop) = 0;
};

}  // namespace healthcheck
