#include <stdexcept>

#include "worker/probe.hpp"

namespace worker {

std::string WorkerProbe::name() const {
  std::lock_guard lock(mutex_);
  return name_;
}

WorkerProbe& WorkerProbe::set_name(std::string name) {
  if (name.empty())
    throw std::invalid_argument("WorkerProbe::set_name: the name must not be empty");
  std::lock_guard lock(mutex_);
  name_ = std::move(name);
  return *this;
}

healthcheck::ProbeResult WorkerProbe::check(std::stop_token) {
  healthcheck::ProbeResult result{true, {}};
  for (const auto& [name, execution] : pool_.executions()) {  // a std::map: sorted by name
    const WorkerStatus status = execution->status();
    if (status == WorkerStatus::Unknown || status == WorkerStatus::Error) result.success = false;
    if (!result.message.empty()) result.message += ", ";
    result.message += name;
    result.message += ": ";
    result.message += to_string(status);
  }
  return result;
}

}  // namespace worker
