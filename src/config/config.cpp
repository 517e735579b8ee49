#include "worker/config.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace worker::config {

struct Document::Impl {
  std::string source;
  YAML::Node root;
};

namespace {

std::vector<std::string> split_key(std::string_view dotted_key) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  while (begin <= dotted_key.size()) {
    const std::size_t end = std::min(dotted_key.find('.', begin), dotted_key.size());
    parts.emplace_back(dotted_key.substr(begin, end - begin));
    begin = end + 1;
  }
  return parts;
}

// Replaces ${VAR} and ${VAR:-default}; an unset VAR without default is an error.
std::string substitute(const std::string& value, const std::string& source, int line) {
  std::string out;
  std::size_t position = 0;
  for (;;) {
    const std::size_t open = value.find("${", position);
    if (open == std::string::npos) break;
    const std::size_t close = value.find('}', open + 2);
    if (close == std::string::npos) {
      throw ConfigError(
          fmt::format("{}:{}: unterminated ${{ in value \"{}\"", source, line, value));
    }
    out.append(value, position, open - position);
    const std::string expression = value.substr(open + 2, close - open - 2);
    const std::size_t dash = expression.find(":-");
    const std::string name = expression.substr(0, dash);
    if (name.empty()) {
      throw ConfigError(fmt::format("{}:{}: empty variable name in \"{}\"", source, line, value));
    }
    const char* env = std::getenv(name.c_str());
    if (env != nullptr && (dash == std::string::npos || *env != '\0')) {
      out += env;
    } else if (dash != std::string::npos) {
      out += expression.substr(dash + 2);
    } else {
      throw ConfigError(fmt::format(
          "{}:{}: environment variable {} is not set (use ${{{}:-default}} for a default)", source,
          line, name, name));
    }
    position = close + 1;
  }
  out.append(value, position);
  return out;
}

void substitute_all(YAML::Node node, const std::string& source) {
  if (node.IsScalar()) {
    const std::string value = node.Scalar();
    if (value.find("${") != std::string::npos) {
      node = substitute(value, source, node.Mark().line + 1);
    }
  } else if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) substitute_all(it->second, source);
  } else if (node.IsSequence()) {
    for (auto child : node) substitute_all(child, source);
  }
}

}  // namespace

Document::Document(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Document::~Document() = default;
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;

Document Document::from_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw ConfigError(fmt::format("{}: cannot open the configuration file", path));
  std::stringstream content;
  content << file.rdbuf();
  return from_string(content.str(), path);
}

Document Document::from_string(std::string_view yaml, std::string source) {
  auto impl = std::make_unique<Impl>();
  impl->source = std::move(source);
  try {
    impl->root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    throw ConfigError(fmt::format("{}:{}: invalid YAML: {}", impl->source, e.mark.line + 1, e.msg));
  }
  if (!impl->root.IsNull() && !impl->root.IsMap()) {
    throw ConfigError(fmt::format("{}: expected a mapping at the top level", impl->source));
  }
  substitute_all(impl->root, impl->source);
  return Document(std::move(impl));
}

const std::string& Document::source() const noexcept { return impl_->source; }

namespace {

// The node at `dotted_key`, or an undefined node.
YAML::Node find(const YAML::Node& root, std::string_view dotted_key) {
  // reset() re-points the handle: assigning would write into the document.
  YAML::Node node;
  node.reset(root);
  for (const auto& part : split_key(dotted_key)) {
    if (!node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
    const YAML::Node child = static_cast<const YAML::Node&>(node)[part];
    if (!child.IsDefined()) return YAML::Node(YAML::NodeType::Undefined);
    node.reset(child);
  }
  return node;
}

template <typename T>
std::optional<T> get_as(const Document& document, const YAML::Node& root,
                        std::string_view dotted_key, const char* expected) {
  const YAML::Node node = find(root, dotted_key);
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  if (node.IsScalar()) {
    try {
      return node.as<T>();
    } catch (const YAML::Exception&) {
    }
  }
  throw ConfigError(fmt::format("{}:{}: {} must be {}, got \"{}\"", document.source(),
                                node.Mark().line + 1, dotted_key, expected,
                                node.IsScalar() ? node.Scalar() : std::string("a non-scalar")));
}

}  // namespace

bool Document::has(std::string_view dotted_key) const {
  return find(impl_->root, dotted_key).IsDefined();
}

std::optional<std::string> Document::get_string(std::string_view key) const {
  return get_as<std::string>(*this, impl_->root, key, "a string");
}
std::optional<long long> Document::get_int(std::string_view key) const {
  return get_as<long long>(*this, impl_->root, key, "an integer");
}
std::optional<double> Document::get_double(std::string_view key) const {
  return get_as<double>(*this, impl_->root, key, "a number");
}
std::optional<bool> Document::get_bool(std::string_view key) const {
  return get_as<bool>(*this, impl_->root, key, "a boolean (true or false)");
}

std::vector<std::string> Document::keys(std::string_view dotted_key) const {
  const YAML::Node node = find(impl_->root, dotted_key);
  std::vector<std::string> names;
  if (!node.IsDefined() || node.IsNull()) return names;
  if (!node.IsMap()) {
    throw ConfigError(
        fmt::format("{}:{}: {} must be a mapping", source(), node.Mark().line + 1, dotted_key));
  }
  for (auto it = node.begin(); it != node.end(); ++it) names.push_back(it->first.as<std::string>());
  return names;
}

int Document::line(std::string_view dotted_key) const {
  const YAML::Node node = find(impl_->root, dotted_key);
  return node.IsDefined() ? node.Mark().line + 1 : 0;
}

namespace {

double read_defer(const Document& document, const std::string& key, double fallback) {
  const auto value = document.get_double(key);
  if (!value) return fallback;
  if (!std::isfinite(*value) || *value < 0) {
    throw ConfigError(fmt::format("{}:{}: {} must be a number of seconds >= 0, got {}",
                                  document.source(), document.line(key), key, *value));
  }
  return *value;
}

int read_attempts(const Document& document, const std::string& key, int fallback) {
  const auto value = document.get_int(key);
  if (!value) return fallback;
  if (*value < 1 || *value > 1'000'000'000) {
    throw ConfigError(fmt::format("{}:{}: {} must be an integer >= 1, got {}", document.source(),
                                  document.line(key), key, *value));
  }
  return static_cast<int>(*value);
}

}  // namespace

WorkerSettings WorkerSettings::from(const Document& document) {
  WorkerSettings settings;
  settings.source = document.source();
  settings.defer = read_defer(document, "modules.worker.defer", settings.defer);
  settings.attempts = read_attempts(document, "modules.worker.attempts", settings.attempts);
  settings.metrics_enabled =
      document.get_bool("modules.worker.metrics.collect.enabled").value_or(false);
  settings.metrics_namespace =
      document.get_string("modules.worker.metrics.collect.namespace").value_or("");
  settings.metrics_subsystem =
      document.get_string("modules.worker.metrics.collect.subsystem").value_or("");
  for (const auto& name : document.keys("modules.worker.workers")) {
    const std::string prefix = "modules.worker.workers." + name;
    if (name.find('.') != std::string::npos) {
      throw ConfigError(fmt::format("{}:{}: worker names in {} cannot hold a '.': \"{}\"",
                                    document.source(), document.line(prefix),
                                    "modules.worker.workers", name));
    }
    WorkerOverride override_settings;
    override_settings.line = document.line(prefix);
    for (const auto& key : document.keys(prefix)) {
      if (key != "defer" && key != "attempts") {
        throw ConfigError(fmt::format("{}:{}: unknown key {}.{} (expected defer or attempts)",
                                      document.source(), document.line(prefix + "." + key), prefix,
                                      key));
      }
    }
    if (document.has(prefix + ".defer")) {
      override_settings.defer = read_defer(document, prefix + ".defer", 0.0);
    }
    if (document.has(prefix + ".attempts")) {
      override_settings.attempts = read_attempts(document, prefix + ".attempts", 1);
    }
    settings.workers.emplace(name, override_settings);
  }
  return settings;
}

std::vector<PoolOption> WorkerSettings::pool_options(std::shared_ptr<WorkerMetrics> metrics) const {
  std::vector<PoolOption> options{
      with_global_deferred_start_threshold(std::chrono::duration<double>(defer)),
      with_global_max_executions_attempts(attempts)};
  if (metrics) options.push_back(with_metrics(std::move(metrics)));
  return options;
}

std::vector<ExecutionOption> WorkerSettings::execution_options(std::string_view worker_name) const {
  std::vector<ExecutionOption> options;
  const auto it = workers.find(std::string(worker_name));
  if (it == workers.end()) return options;
  if (it->second.defer) {
    options.push_back(
        with_deferred_start_threshold(std::chrono::duration<double>(*it->second.defer)));
  }
  if (it->second.attempts) options.push_back(with_max_executions_attempts(*it->second.attempts));
  return options;
}

void WorkerSettings::check_workers(const std::vector<std::string>& names) const {
  for (const auto& [name, override_settings] : workers) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      throw ConfigError(fmt::format(
          "{}:{}: modules.worker.workers.{} names no registered worker (registered: {})", source,
          override_settings.line, name, fmt::join(names, ", ")));
    }
  }
}

std::shared_ptr<WorkerMetrics> WorkerSettings::make_metrics() const {
  if (!metrics_enabled) return nullptr;
  return std::make_shared<WorkerMetrics>(metrics_namespace, metrics_subsystem);
}

}  // namespace worker::config
