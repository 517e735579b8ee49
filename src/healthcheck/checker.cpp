#include "healthcheck/checker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <stdexcept>
#include <thread>

namespace healthcheck {

std::string_view to_string(ProbeKind kind) noexcept {
  switch (kind) {
    case ProbeKind::Startup:
      return "startup";
    case ProbeKind::Liveness:
      return "liveness";
    case ProbeKind::Readiness:
      return "readiness";
  }
  return "unknown";
}

namespace {

// One probe's run, shared with the thread that runs it: the thread may outlive the check when
// the probe overruns its deadline.
struct ProbeRun {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;   // guarded by mutex
  ProbeResult result;  // guarded by mutex
  std::stop_source stop;
};

void check_timeout(std::chrono::milliseconds timeout) {
  if (timeout.count() <= 0) {
    throw std::invalid_argument(fmt::format(
        "with_probe_timeout: the probe timeout must be > 0 ms, got {} ms", timeout.count()));
  }
}

}  // namespace

Checker::Checker(std::chrono::milliseconds probe_timeout) : probe_timeout_(probe_timeout) {
  check_timeout(probe_timeout);
}

Checker& Checker::register_probe(std::shared_ptr<Probe> probe, std::vector<ProbeKind> kinds) {
  if (!probe) throw std::invalid_argument("register_probe: the probe must not be null");
  std::string name = probe->name();
  if (name.empty()) throw std::invalid_argument("register_probe: the probe name must not be empty");
  if (kinds.empty()) kinds = {ProbeKind::Startup, ProbeKind::Liveness, ProbeKind::Readiness};
  std::lock_guard lock(mutex_);
  registrations_[std::move(name)] = Registration{std::move(probe), std::move(kinds)};
  return *this;
}

std::vector<std::shared_ptr<Probe>> Checker::probes(std::vector<ProbeKind> kinds) const {
  std::vector<std::shared_ptr<Probe>> matching;
  std::lock_guard lock(mutex_);
  for (const auto& [name, registration] : registrations_) {
    const bool match = kinds.empty() || std::any_of(kinds.begin(), kinds.end(), [&](ProbeKind k) {
                         return std::find(registration.kinds.begin(), registration.kinds.end(),
                                          k) != registration.kinds.end();
                       });
    if (match) matching.push_back(registration.probe);
  }
  return matching;
}

CheckerResult Checker::check(ProbeKind kind) const {
  const auto probes_of_kind = probes({kind});
  std::vector<std::shared_ptr<ProbeRun>> runs;
  runs.reserve(probes_of_kind.size());
  for (const auto& probe : probes_of_kind) {
    auto run = std::make_shared<ProbeRun>();
    runs.push_back(run);
    auto body = [probe, run] {
      ProbeResult result;
      try {
        result = probe->check(run->stop.get_token());
      } catch (const std::exception& e) {
        result = {false, e.what()};
      } catch (...) {
        result = {false, "unknown exception"};
      }
      {
        std::lock_guard lock(run->mutex);
        run->result = std::move(result);
        run->done = true;
      }
      run->done_cv.notify_all();
    };
    try {
      std::thread(body).detach();
    } catch (const std::system_error&) {
      body();  // no thread to be had: run it here, without a deadline
    }
  }

  CheckerResult aggregate;
  const auto deadline = std::chrono::steady_clock::now() + probe_timeout_;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    auto& run = *runs[i];
    ProbeResult result;
    {
      std::unique_lock lock(run.mutex);
      if (run.done_cv.wait_until(lock, deadline, [&] { return run.done; })) {
        result = run.result;
      } else {
        result = {false, fmt::format("timeout after {} ms", probe_timeout_.count())};
      }
    }
    if (!result.success) {
      run.stop.request_stop();
      aggregate.success = false;
    }
    aggregate.probes[probes_of_kind[i]->name()] = std::move(result);
  }
  return aggregate;
}

CheckerOption with_probe(std::shared_ptr<Probe> probe, std::vector<ProbeKind> kinds) {
  return [probe = std::move(probe), kinds = std::move(kinds)](CheckerOptions& options) {
    options.probes.emplace_back(probe, kinds);
  };
}

CheckerOption with_probe_timeout(std::chrono::milliseconds timeout) {
  return [timeout](CheckerOptions& options) { options.probe_timeout = timeout; };
}

std::unique_ptr<Checker> DefaultCheckerFactory::create(std::vector<CheckerOption> options) const {
  CheckerOptions resolved;
  for (const auto& option : options) {
    if (option) option(resolved);
  }
  auto checker = std::make_unique<Checker>(resolved.probe_timeout);
  for (auto& [probe, kinds] : resolved.probes) {
    if (!probe) throw std::invalid_argument("with_probe: the probe must not be null");
    checker->register_probe(std::move(probe), std::move(kinds));
  }
  return checker;
}

}  // namespace healthcheck
