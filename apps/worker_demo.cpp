// worker-demo: an example service running a pool of sample workers under supervision, with
// JSON logs on stdout and the admin HTTP server (health checks, metrics, executions).
//
//   worker-demo                      # embedded default configuration, port 8080
//   worker-demo --config app.yaml --port 9090
//
// SIGINT or SIGTERM stops it gracefully: exit status 0 once every worker has returned, 1 when
// some did not within the stop timeout, 2 on bad flags or configuration.
#include <prometheus/registry.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <healthcheck/healthcheck.hpp>
#include <iostream>
#include <optional>
#include <string>
#include <worker/config.hpp>
#include <worker/http/admin_server.hpp>
#include <worker/http/otlp_exporter.hpp>
#include <worker/probe.hpp>
#include <worker/worker.hpp>

namespace {

constexpr const char* kDefaultConfig = R"(# worker-demo's embedded default configuration
app:
  name: worker-demo
modules:
  http:
    host: 127.0.0.1
    port: ${WORKER_DEMO_PORT:-8080}
  trace:
    exporter: ${WORKER_DEMO_TRACE_EXPORTER:-none}   # none, stderr (JSON lines) or otlp
    endpoint: http://127.0.0.1:4318/v1/traces      # for otlp
  worker:
    defer: 0.1
    attempts: 3
    stop_timeout: 10
    metrics:
      collect:
        enabled: true
        namespace: ${WORKER_DEMO_METRICS_NAMESPACE:-}
        subsystem: ""
    workers:
      bootstrap:
        defer: 0
        attempts: 1
      flaky:
        attempts: 5
)";

constexpr const char* kUsage = R"(usage: worker-demo [--config FILE] [--port N] [--help]

Runs sample workers under supervision with an admin HTTP server on 127.0.0.1.

  --config FILE   YAML configuration (default: the embedded one, printed by --print-config)
  --port N        admin server port, 0 for an ephemeral one (overrides modules.http.port)
  --print-config  print the embedded configuration and exit
  --help          this text

Endpoints: /healthz /livez /readyz /metrics /executions. SIGINT/SIGTERM stop it gracefully.
)";

struct Flags {
  std::optional<std::string> config;
  std::optional<int> port;
};

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "worker-demo: %s\n", message.c_str());
  std::exit(2);
}

Flags parse_flags(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const std::string& flag) -> std::string {
      if (i + 1 >= argc) fail(flag + " needs a value (see --help)");
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else if (arg == "--print-config") {
      std::fputs(kDefaultConfig, stdout);
      std::exit(0);
    } else if (arg == "--config") {
      flags.config = value(arg);
    } else if (arg == "--port") {
      const std::string text = value(arg);
      std::size_t used = 0;
      int port = -1;
      try {
        port = std::stoi(text, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != text.size() || port < 0 || port > 65535) {
        fail("--port must be an integer within [0, 65535], got \"" + text + "\"");
      }
      flags.port = port;
    } else {
      fail("unknown argument \"" + arg + "\" (see --help)");
    }
  }
  return flags;
}

// Runs once and succeeds: a start-up task (cache warm-up, migrations check).
worker::Result bootstrap(worker::Context& ctx) {
  ctx.logger().info("bootstrapping");
  auto span = ctx.tracer().start_span("bootstrap");
  ctx.sleep_for(std::chrono::milliseconds(50));
  ctx.logger().info("bootstrapped");
  return worker::ok();
}

// A cancellable loop: ticks until the pool stops.
worker::Result ticker(worker::Context& ctx) {
  long ticks = 0;
  while (ctx.sleep_for(std::chrono::seconds(1))) {
    ctx.logger().with("ticks", ++ticks).debug("tick");
  }
  ctx.logger().info("ticker stopping after {} ticks", ticks);
  return worker::ok();
}

// Fails on its first two attempts (its upstream is "not ready"), then runs as a healthy loop:
// shows restarts, new execution ids and the error counter.
worker::Result flaky(worker::Context& ctx) {
  if (ctx.attempt() < 3) {
    ctx.sleep_for(std::chrono::milliseconds(300));
    return worker::error("upstream not ready yet");
  }
  while (ctx.sleep_for(std::chrono::seconds(2))) ctx.logger().info("upstream healthy");
  return worker::ok();
}

// Emits a span per batch, annotated with the worker and execution id.
worker::Result spanner(worker::Context& ctx) {
  long batch = 0;
  while (ctx.sleep_for(std::chrono::milliseconds(500))) {
    auto span = ctx.tracer().start_span("process batch");
    span.set_attribute("batch", static_cast<std::int64_t>(++batch));
  }
  return worker::ok();
}

// The tracer provider of modules.trace: spans are annotated with the worker and execution id,
// each attempt gets its own span.
std::shared_ptr<worker::trace::SdkTracerProvider> make_tracing(
    const worker::config::Document& document, const std::string& service_name,
    const std::shared_ptr<spdlog::logger>& logger) {
  const std::string exporter_name = document.get_string("modules.trace.exporter").value_or("none");
  std::shared_ptr<worker::trace::SpanExporter> exporter;
  if (exporter_name == "stderr") {
    exporter = std::make_shared<worker::trace::OstreamSpanExporter>(std::cerr);
  } else if (exporter_name == "otlp") {
    exporter =
        std::make_shared<worker::http::OtlpHttpExporter>(worker::http::OtlpHttpExporterOptions{
            .endpoint = document.get_string("modules.trace.endpoint")
                            .value_or("http://127.0.0.1:4318/v1/traces"),
            .logger = logger});
  } else if (exporter_name != "none") {
    throw worker::config::ConfigError(
        document.source() + ":" + std::to_string(document.line("modules.trace.exporter")) +
        ": modules.trace.exporter must be none, stderr or otlp, got \"" + exporter_name + "\"");
  }
  worker::trace::TracerProviderOptions options{.service_name = service_name};
  if (exporter) {
    options.processors.push_back(std::make_shared<worker::trace::BatchSpanProcessor>(exporter));
  }
  auto provider = worker::trace::make_tracer_provider(std::move(options));
  worker::trace::annotate_tracer_provider(*provider);
  return provider;
}

int wait_for_signal(const sigset_t& signals) {
  int signal = 0;
  sigwait(&signals, &signal);
  return signal;
}

}  // namespace

int main(int argc, char** argv) {
  const Flags flags = parse_flags(argc, argv);

  // Signals are taken by sigwait in main: block them before any thread exists.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto logger = worker::log::make_json_logger("worker-demo",
                                              std::make_shared<spdlog::sinks::stdout_sink_mt>());
  logger->flush_on(spdlog::level::info);
  worker::Logger log(logger);

  std::optional<worker::config::Document> document;
  worker::config::WorkerSettings settings;
  std::string host;
  int port = 0;
  std::chrono::milliseconds stop_timeout{0};
  std::shared_ptr<worker::trace::SdkTracerProvider> tracing;
  try {
    document = flags.config ? worker::config::Document::from_file(*flags.config)
                            : worker::config::Document::from_string(kDefaultConfig, "<embedded>");
    settings = worker::config::WorkerSettings::from(*document);
    host = document->get_string("modules.http.host").value_or("127.0.0.1");
    const long long configured_port = document->get_int("modules.http.port").value_or(8080);
    if (configured_port < 0 || configured_port > 65535) {
      throw worker::config::ConfigError(
          document->source() + ":" + std::to_string(document->line("modules.http.port")) +
          ": modules.http.port must be within [0, 65535], got " + std::to_string(configured_port));
    }
    port = flags.port.value_or(static_cast<int>(configured_port));
    const double seconds = document->get_double("modules.worker.stop_timeout").value_or(10.0);
    if (!(seconds > 0)) {
      throw worker::config::ConfigError(document->source() +
                                        ": modules.worker.stop_timeout must be > 0 seconds");
    }
    stop_timeout = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
    tracing =
        make_tracing(*document, document->get_string("app.name").value_or("worker-demo"), logger);
  } catch (const std::invalid_argument& e) {
    fail(std::string("configuration: ") + e.what());
  } catch (const worker::config::ConfigError& e) {
    fail(std::string("configuration: ") + e.what());
  }

  auto registry = std::make_shared<prometheus::Registry>();
  auto metrics = settings.make_metrics();
  if (metrics) metrics->register_in(*registry);

  auto options = settings.pool_options(metrics);
  options.push_back(worker::with_logger(logger));
  options.push_back(worker::with_tracer_provider(tracing));
  options.push_back(worker::with_execution_spans());
  worker::WorkerPool pool(std::move(options));
  try {
    for (const auto& [name, fn] : std::initializer_list<
             std::pair<const char*, std::function<worker::Result(worker::Context&)>>>{
             {"bootstrap", bootstrap},
             {"ticker", ticker},
             {"flaky", flaky},
             {"spanner", spanner}}) {
      pool.add(worker::make_worker(name, fn), settings.execution_options(name));
    }
    settings.check_workers(pool.registrations());
  } catch (const std::exception& e) {
    fail(std::string("configuration: ") + e.what());
  }

  auto checker = healthcheck::DefaultCheckerFactory().create(
      healthcheck::with_probe(std::make_shared<worker::WorkerProbe>(pool),
                              healthcheck::ProbeKind::Liveness, healthcheck::ProbeKind::Readiness),
      healthcheck::with_probe_timeout(std::chrono::seconds(2)));

  worker::http::AdminServer admin({.host = host,
                                   .port = port,
                                   .threads = 2,
                                   .checker = std::move(checker),
                                   .registry = registry,
                                   .pool = &pool});
  try {
    admin.start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "worker-demo: admin server: %s\n", e.what());
    return 2;
  }
  log.with("host", host).with("port", admin.port()).info("admin server listening");

  pool.start();
  log.with("workers", pool.registrations().size()).info("worker pool started");

  const int signal = wait_for_signal(signals);
  log.with("signal", signal == SIGINT ? "SIGINT" : "SIGTERM").info("stopping");
  const auto still_running = pool.stop(stop_timeout);
  admin.stop();
  if (!still_running.empty()) {
    log.with("workers", fmt::format("{}", fmt::join(still_running, ",")))
        .error("workers did not stop in time");
    logger->flush();
    std::_Exit(1);  // the pool's destructor would wait for them
  }
  tracing->shutdown();  // exports the spans still queued
  log.info("stopped");
  logger->flush();
  return 0;
}
