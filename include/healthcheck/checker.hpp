// Checker: runs the probes registered for a kind of check, concurrently, each with a deadline,
// and aggregates their results.
//
//   auto checker = healthcheck::DefaultCheckerFactory().create(
//       healthcheck::with_probe(std::make_shared<worker::WorkerProbe>(pool),
//                               healthcheck::ProbeKind::Readiness),
//       healthcheck::with_probe_timeout(std::chrono::seconds(2)));
//   healthcheck::CheckerResult result = checker->check(healthcheck::ProbeKind::Readiness);
#pragma once

#include <chrono>
#include <concepts>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "healthcheck/probe.hpp"

namespace healthcheck {

struct CheckerResult {
  bool success = true;
  std::map<std::string, ProbeResult> probes;  // by probe name
};

// Thread-safe: any method may be called from any thread.
class Checker {
 public:
  // A probe that has not answered by `probe_timeout` is reported failed ("timeout after N ms")
  // and its stop token is signalled. Throws std::invalid_argument for a timeout <= 0.
  explicit Checker(std::chrono::milliseconds probe_timeout = std::chrono::seconds(5));

  // Registers `probe` for `kinds` ({} = every kind). Registering a name again replaces the
  // probe and its kinds, as in the Go module. Throws std::invalid_argument for a null probe
  // or an empty name.
  Checker& register_probe(std::shared_ptr<Probe> probe, std::vector<ProbeKind> kinds = {});

  // The probes registered for any of `kinds` ({} = all), ordered by name.
  std::vector<std::shared_ptr<Probe>> probes(std::vector<ProbeKind> kinds = {}) const;

  // Runs every probe of `kind` concurrently; success when all succeed (true with no probe).
  // A probe that throws is reported failed with the exception's text.
  CheckerResult check(ProbeKind kind) const;

  std::chrono::milliseconds probe_timeout() const noexcept { return probe_timeout_; }

 private:
  struct Registration {
    std::shared_ptr<Probe> probe;
    std::vector<ProbeKind> kinds;
  };

  const std::chrono::milliseconds probe_timeout_;
  mutable std::mutex mutex_;
  std::map<std::string, Registration> registrations_;  // guarded by mutex_
};

struct CheckerOptions {
  std::chrono::milliseconds probe_timeout{std::chrono::seconds(5)};
  std::vector<std::pair<std::shared_ptr<Probe>, std::vector<ProbeKind>>> probes;
};
using CheckerOption = std::function<void(CheckerOptions&)>;

CheckerOption with_probe(std::shared_ptr<Probe> probe, std::vector<ProbeKind> kinds);
template <std::same_as<ProbeKind>... K>
CheckerOption with_probe(std::shared_ptr<Probe> probe, K... kinds) {
  return with_probe(std::move(probe), std::vector<ProbeKind>{kinds...});
}
CheckerOption with_probe_timeout(std::chrono::milliseconds timeout);

class DefaultCheckerFactory {
 public:
  // Throws std::invalid_argument for a bad option (null probe, empty name, timeout <= 0).
  std::unique_ptr<Checker> create(std::vector<CheckerOption> options) const;
  template <std::same_as<CheckerOption>... O>
  std::unique_ptr<Checker> create(O... options) const {
    return create(std::vector<CheckerOption>{std::move(options)...});
  }
};

}  // namespace healthcheck
