#include "worker/http/admin_server.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <prometheus/registry.h>

#include <atomic>
#include <ctime>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "worker/worker_metrics.hpp"

namespace worker::http {
namespace {

constexpr const char* kJson = "application/json";

std::string rfc3339(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto secs = time_point_cast<seconds>(time);
  const std::time_t t = system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  const std::size_t size = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:06d}Z", std::string_view(buffer, size),
                     duration_cast<microseconds>(time - secs).count());
}

void health_endpoint(httplib::Server& server, const std::string& path, healthcheck::ProbeKind kind,
                     const std::shared_ptr<const healthcheck::Checker>& checker) {
  server.Get(path, [kind, checker](const httplib::Request&, httplib::Response& response) {
    healthcheck::CheckerResult result;
    if (checker) result = checker->check(kind);
    response.status = result.success ? 200 : 500;
    response.set_content(checker_result_json(result), kJson);
  });
}

}  // namespace

std::string checker_result_json(const healthcheck::CheckerResult& result) {
  nlohmann::json body;
  body["success"] = result.success;
  body["probes"] = nlohmann::json::object();
  for (const auto& [name, probe] : result.probes) {
    body["probes"][name] = {{"success", probe.success}, {"message", probe.message}};
  }
  return body.dump();
}

std::string executions_json(const WorkerPool& pool) {
  nlohmann::json body = nlohmann::json::array();
  for (const auto& [name, execution] : pool.executions()) {
    nlohmann::json events = nlohmann::json::array();
    for (const auto& event : execution->events()) {
      events.push_back({{"execution_id", event.execution_id},
                        {"message", event.message},
                        {"timestamp", rfc3339(event.timestamp)}});
    }
    body.push_back({{"name", name},
                    {"id", execution->id()},
                    {"status", std::string(to_string(execution->status()))},
                    {"attempt", execution->current_execution_attempt()},
                    {"max_attempts", execution->max_executions_attempts()},
                    {"deferred_start_threshold", execution->deferred_start_threshold().count()},
                    {"events", std::move(events)}});
  }
  return body.dump();
}

struct AdminServer::Impl {
  AdminServerOptions options;
  httplib::Server server;
  std::thread listener;
  std::mutex mutex;
  bool started = false;  // guarded by mutex
  std::atomic<int> port{0};
};

AdminServer::AdminServer(AdminServerOptions options) : impl_(std::make_unique<Impl>()) {
  if (options.host.empty()) throw std::invalid_argument("AdminServer: host must not be empty");
  if (options.port < 0 || options.port > 65535) {
    throw std::invalid_argument(
        fmt::format("AdminServer: port must be within [0, 65535], got {}", options.port));
  }
  if (options.threads == 0) throw std::invalid_argument("AdminServer: threads must be >= 1, got 0");
  impl_->options = std::move(options);

  auto& server = impl_->server;
  const auto& opts = impl_->options;
  const std::size_t threads = opts.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // httplib's default also sets SO_REUSEPORT, which would let a second server share the port.
  // TCP_NODELAY (inherited by accepted sockets): httplib writes headers and body separately,
  // and Nagle's algorithm with delayed ACKs would hold each response ~40 ms.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  });
  // A keep-alive connection holds one of the threads until it closes or idles out: keep the
  // idle time short so that other clients (probes, scrapers) are not kept waiting.
  server.set_keep_alive_timeout(1);

  health_endpoint(server, "/healthz", healthcheck::ProbeKind::Startup, opts.checker);
  health_endpoint(server, "/livez", healthcheck::ProbeKind::Liveness, opts.checker);
  health_endpoint(server, "/readyz", healthcheck::ProbeKind::Readiness, opts.checker);
  server.Get("/metrics",
             [registry = opts.registry](const httplib::Request&, httplib::Response& response) {
               response.set_content(registry ? to_prometheus_text(*registry) : std::string{},
                                    "text/plain; version=0.0.4");
             });
  server.Get("/executions",
             [pool = opts.pool](const httplib::Request&, httplib::Response& response) {
               response.set_content(pool ? executions_json(*pool) : std::string("[]"), kJson);
             });

  const auto not_allowed = [](const httplib::Request& request, httplib::Response& response) {
    response.status = 405;
    response.set_header("Allow", "GET, HEAD");
    response.set_content(
        nlohmann::json{{"error", fmt::format("method {} not allowed", request.method)}}.dump(),
        kJson);
  };
  for (const char* path : {"/healthz", "/livez", "/readyz", "/metrics", "/executions"}) {
    server.Post(path, not_allowed);
    server.Put(path, not_allowed);
    server.Delete(path, not_allowed);
    server.Patch(path, not_allowed);
    server.Options(path, not_allowed);
  }
  server.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    if (response.status == 404) {
      response.set_content(
          nlohmann::json{{"error", fmt::format("no endpoint {}", request.path)}}.dump(), kJson);
    }
  });
}

AdminServer::~AdminServer() { stop(); }

void AdminServer::start() {
  std::lock_guard lock(impl_->mutex);
  if (impl_->started) throw std::logic_error("AdminServer::start: already started");
  auto& server = impl_->server;
  const auto& opts = impl_->options;
  int bound = 0;
  if (opts.port == 0) {
    bound = server.bind_to_any_port(opts.host);
    if (bound <= 0) {
      throw std::runtime_error(fmt::format("AdminServer: cannot bind {}:0", opts.host));
    }
  } else {
    if (!server.bind_to_port(opts.host, opts.port)) {
      throw std::runtime_error(
          fmt::format("AdminServer: cannot bind {}:{} (in use, or not an "
                      "address of this machine)",
                      opts.host, opts.port));
    }
    bound = opts.port;
  }
  impl_->port = bound;
  auto listening_ended = std::make_shared<std::atomic<bool>>(false);
  impl_->listener = std::thread([&server, listening_ended] {
    server.listen_after_bind();
    *listening_ended = true;
  });
  // httplib's stop() is lost if it comes before the listening loop runs; a loop that fails to
  // start ends the wait too.
  while (!server.is_running() && !*listening_ended) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!server.is_running()) {
    impl_->listener.join();
    throw std::runtime_error(fmt::format("AdminServer: cannot listen on {}:{}", opts.host, bound));
  }
  impl_->started = true;
}

void AdminServer::stop() {
  std::lock_guard lock(impl_->mutex);
  if (!impl_->started) return;
  impl_->server.stop();
  if (impl_->listener.joinable()) impl_->listener.join();
  impl_->started = false;
}

int AdminServer::port() const noexcept { return impl_->port.load(); }

const std::string& AdminServer::host() const noexcept { return impl_->options.host; }

}  // namespace worker::http
