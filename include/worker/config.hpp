// Configuration: pool options from a YAML file (or string) and the environment, with the Go
// module's keys.
//
//   modules:
//     worker:
//       defer: 0.5                   # seconds before each worker's first attempt
//       attempts: 3                  # max execution attempts
//       metrics:
//         collect:
//           enabled: true
//           namespace: ${APP_NAME:-app}   # ${VAR} and ${VAR:-default} are substituted
//           subsystem: jobs
//       workers:                     # per-worker overrides
//         mailer: {defer: 0, attempts: 10}
//
//   auto document = worker::config::Document::from_file("config.yaml");
//   auto settings = worker::config::WorkerSettings::from(document);
//   worker::WorkerPool pool(settings.pool_options());
//   pool.add(mailer, settings.execution_options("mailer"));
//   settings.check_workers(pool.registrations());   // overrides must name registered workers
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "worker/options.hpp"
#include "worker/worker_metrics.hpp"

namespace worker::config {

// Every configuration error: the message names the source (file), the key, the line and what
// was expected.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A parsed YAML document whose scalar values have had ${VAR} / ${VAR:-default} substituted
// from the environment. Immutable once loaded: thread-safe to read.
class Document {
 public:
  // Throws ConfigError for a missing/unreadable file, invalid YAML or an unset variable.
  static Document from_file(const std::string& path);
  static Document from_string(std::string_view yaml, std::string source = "<string>");
  ~Document();
  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;

  const std::string& source() const noexcept;
  bool has(std::string_view dotted_key) const;
  // The value at `dotted_key` ("modules.worker.attempts"), or nullopt when absent. Throws
  // ConfigError when present with another type.
  std::optional<std::string> get_string(std::string_view dotted_key) const;
  std::optional<long long> get_int(std::string_view dotted_key) const;
  std::optional<double> get_double(std::string_view dotted_key) const;
  std::optional<bool> get_bool(std::string_view dotted_key) const;
  // The keys of the mapping at `dotted_key` (empty when absent); ConfigError if not a mapping.
  std::vector<std::string> keys(std::string_view dotted_key) const;
  // 1-based line of the value at `dotted_key`, 0 when absent.
  int line(std::string_view dotted_key) const;

 private:
  struct Impl;
  explicit Document(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct WorkerOverride {
  std::optional<double> defer;  // seconds
  std::optional<int> attempts;
  int line = 0;
};

// The modules.worker section.
struct WorkerSettings {
  double defer = 0.0;
  int attempts = 1;
  bool metrics_enabled = false;
  std::string metrics_namespace;
  std::string metrics_subsystem;
  std::map<std::string, WorkerOverride> workers;
  std::string source;

  // Reads modules.worker.* (absent keys keep the defaults above). Throws ConfigError for a
  // wrong type, a negative or non-finite defer, attempts < 1.
  static WorkerSettings from(const Document& document);

  // Pool options for defer and attempts, plus `metrics` when given.
  std::vector<PoolOption> pool_options(std::shared_ptr<WorkerMetrics> metrics = nullptr) const;
  // The override of one worker, as execution options (empty when it has none).
  std::vector<ExecutionOption> execution_options(std::string_view worker_name) const;
  // Throws ConfigError naming the key and line of an override for a worker not in `names`.
  void check_workers(const std::vector<std::string>& names) const;
  // Metrics as configured (namespace, subsystem), or nullptr when collection is disabled.
  std::shared_ptr<WorkerMetrics> make_metrics() const;
};

}  // namespace worker::config
