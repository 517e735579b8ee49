// Tracing SDK: a tracer provider that records spans and hands them to span processors, which
// export them (in memory, as JSON lines, or over OTLP/HTTP with worker::http's exporter).
// OpenTelemetry C++ is not packaged for Debian 12: this is the smallest SDK of the same shape,
// so that a provider bridging to opentelemetry-cpp can replace it without touching worker code.
//
//   auto exporter = std::make_shared<worker::trace::InMemorySpanExporter>();
//   auto provider = worker::trace::make_tracer_provider({
//       .service_name = "mailer",
//       .processors = {std::make_shared<worker::trace::BatchSpanProcessor>(exporter)}});
//   worker::trace::annotate_tracer_provider(*provider);  // Worker / WorkerExecutionID on spans
//   worker::WorkerPool pool({worker::with_tracer_provider(provider)});
#pragma once

#include <spdlog/logger.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "worker/tracer.hpp"

namespace worker::trace {

struct SpanEvent {
  std::string name{};
  std::chrono::system_clock::time_point time{};
  Attributes attributes{};
};

// A span as recorded: what processors and exporters receive.
struct SpanData {
  std::string name{};
  std::string scope{};  // the instrumentation name given to TracerProvider::tracer()
  SpanContext context{};
  SpanId parent_span_id{};  // all zero for a root span
  std::chrono::system_clock::time_point start{};
  std::chrono::system_clock::time_point end{};
  Attributes attributes{};
  std::vector<SpanEvent> events{};
  std::vector<SpanContext> links{};
  StatusCode status = StatusCode::Unset;
  std::string status_description{};
  std::shared_ptr<const Attributes> resource{};  // the provider's (service.name, ...)

  bool has_parent() const noexcept;
  // The attribute's value, or nullptr.
  const AttributeValue* attribute(std::string_view key) const noexcept;
};

// Sees every span of a provider. on_start and on_end are called on the thread of the span and
// must be thread-safe and quick: they run on worker threads.
class SpanProcessor {
 public:
  virtual ~SpanProcessor() = default;
  // May add attributes.
  virtual void on_start(SpanData& span) { (void)span; }
  virtual void on_end(const SpanData& span) = 0;
  // Exports what is pending; returns false when `timeout` passed first.
  virtual bool force_flush(std::chrono::milliseconds timeout) {
    (void)timeout;
    return true;
  }
  virtual void shutdown() {}
};

// Sends finished spans somewhere. Called by one processor thread at a time.
class SpanExporter {
 public:
  virtual ~SpanExporter() = default;
  // Returns false when the spans could not be delivered (they are dropped).
  virtual bool export_spans(std::span<const SpanData> spans) = 0;
  virtual void shutdown() {}
};

// Exports each span as it ends, on the ending thread. For tests and local tools: an exporter
// that does I/O belongs behind a BatchSpanProcessor.
class SimpleSpanProcessor final : public SpanProcessor {
 public:
  explicit SimpleSpanProcessor(std::shared_ptr<SpanExporter> exporter);
  void on_end(const SpanData& span) override;
  void shutdown() override;

 private:
  std::shared_ptr<SpanExporter> exporter_;
  std::mutex mutex_;  // serialises export_spans
};

struct BatchSpanProcessorOptions {
  std::size_t max_queue_size = 2048;  // spans beyond it are dropped (and counted)
  std::size_t max_export_batch_size = 512;
  std::chrono::milliseconds schedule_delay{1000};
};

// Queues finished spans and exports them in batches from its own thread: on_end never blocks
// on I/O. When the queue is full, spans are dropped and counted (dropped_spans()). Shutdown (or
// the destructor) exports what is queued.
class BatchSpanProcessor final : public SpanProcessor {
 public:
  explicit BatchSpanProcessor(std::shared_ptr<SpanExporter> exporter,
                              BatchSpanProcessorOptions options = {});
  ~BatchSpanProcessor() override;
  BatchSpanProcessor(const BatchSpanProcessor&) = delete;
  BatchSpanProcessor& operator=(const BatchSpanProcessor&) = delete;

  void on_end(const SpanData& span) override;
  bool force_flush(std::chrono::milliseconds timeout) override;
  void shutdown() override;

  std::size_t dropped_spans() const noexcept { return dropped_.load(std::memory_order_relaxed); }

 private:
  void run();

  const std::shared_ptr<SpanExporter> exporter_;
  const BatchSpanProcessorOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable flushed_;
  std::vector<SpanData> queue_;   // guarded by mutex_
  std::uint64_t enqueued_ = 0;    // guarded by mutex_
  std::uint64_t handled_ = 0;     // guarded by mutex_: exported or failed
  bool flush_requested_ = false;  // guarded by mutex_
  bool stopping_ = false;         // guarded by mutex_
  std::atomic<std::size_t> dropped_{0};
  std::thread thread_;
};

// Keeps every exported span in memory: for tests. Thread-safe.
class InMemorySpanExporter final : public SpanExporter {
 public:
  bool export_spans(std::span<const SpanData> spans) override;
  std::vector<SpanData> spans() const;
  // The spans named `name`.
  std::vector<SpanData> spans(std::string_view name) const;
  void clear();

 private:
  mutable std::mutex mutex_;
  std::vector<SpanData> spans_;  // guarded by mutex_
};

// Writes each span as one JSON object per line (the OTLP JSON span shape, plus `scope` and
// `resource`). The stream must outlive the exporter.
class OstreamSpanExporter final : public SpanExporter {
 public:
  explicit OstreamSpanExporter(std::ostream& out) : out_(out) {}
  bool export_spans(std::span<const SpanData> spans) override;

 private:
  std::ostream& out_;
  std::mutex mutex_;
};

// The OTLP/HTTP JSON body (ExportTraceServiceRequest) of `spans`: resourceSpans / scopeSpans /
// spans, hex ids, nanosecond strings, typed attribute values.
std::string to_otlp_json(std::span<const SpanData> spans);
// One span as an OTLP JSON span object.
std::string to_otlp_json(const SpanData& span);

struct TracerProviderOptions {
  std::string service_name = "worker";
  Attributes resource{};  // more resource attributes
  std::vector<std::shared_ptr<SpanProcessor>> processors{};
  // Where the SDK reports misuse (an attribute with an empty key, at debug level); default:
  // spdlog's default logger.
  std::shared_ptr<spdlog::logger> logger{};
};

// Records spans (always sampled) and runs them through its processors. Thread-safe. Spans of a
// thread nest: a span started while another of the same thread is active becomes its child.
class SdkTracerProvider final : public TracerProvider {
 public:
  explicit SdkTracerProvider(TracerProviderOptions options = {});
  ~SdkTracerProvider() override;  // shuts the processors down
  SdkTracerProvider(const SdkTracerProvider&) = delete;
  SdkTracerProvider& operator=(const SdkTracerProvider&) = delete;

  Tracer& tracer(std::string_view instrumentation_name) override;
  // Throws std::invalid_argument for a null processor.
  void add_span_processor(std::shared_ptr<SpanProcessor> processor);
  bool force_flush(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Flushes and shuts down every processor once; spans ended afterwards are dropped.
  void shutdown();

  // What spans read (shared with their recorders, which may outlive a tracer() call).
  struct State;

 private:
  friend void annotate_tracer_provider(SdkTracerProvider& provider);

  std::shared_ptr<State> state_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Tracer>, std::less<>> tracers_;  // guarded by mutex_
};

std::shared_ptr<SdkTracerProvider> make_tracer_provider(TracerProviderOptions options = {});

// Makes every span started on a worker's thread during a run carry `Worker` and
// `WorkerExecutionID` (from current_execution()), also spans started by library code that has
// no Context. Idempotent.
void annotate_tracer_provider(SdkTracerProvider& provider);

}  // namespace worker::trace
