// WorkerProbe: a health-check probe over a WorkerPool — healthy when no execution is in status
// unknown or error. Its message lists `name: status` for every execution, sorted by name.
//
//   checker.register_probe(std::make_shared<worker::WorkerProbe>(pool),
//                          {healthcheck::ProbeKind::Liveness, healthcheck::ProbeKind::Readiness});
#pragma once

#include <healthcheck/probe.hpp>
#include <mutex>
#include <string>

#include "worker/worker_pool.hpp"

namespace worker {

// Thread-safe: any method may be called from any thread. The pool must outlive the probe.
class WorkerProbe final : public healthcheck::Probe {
 public:
  static constexpr const char* kDefaultName = "worker";

  explicit WorkerProbe(const WorkerPool& pool) : pool_(pool) {}

  std::string name() const override;
  WorkerProbe& set_name(std::string name);
  healthcheck::ProbeResult check(std::stop_token stop) override;

 private:
  const WorkerPool& pool_;
  mutable std::mutex mutex_;
  std::string name_ = kDefaultName;  // guarded by mutex_
};

}  // namespace worker
