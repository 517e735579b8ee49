// Tracing API: the OpenTelemetry-shaped interfaces a worker uses to emit spans.
//
//   auto span = ctx.tracer().start_span("poll queue");
//   span.set_attribute("queue", "orders");
//   ...                                   // the span ends when `span` goes out of scope
//
// The pool's provider is set with with_tracer_provider(); the default is a no-op provider. Spans
// started through Context::tracer() carry the attributes `Worker` and `WorkerExecutionID`. The
// SDK (providers, processors, exporters) is in <worker/trace_sdk.hpp>.
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace worker::trace {

inline constexpr std::string_view kAttributeWorkerName = "Worker";
inline constexpr std::string_view kAttributeWorkerExecutionId = "WorkerExecutionID";

using AttributeValue = std::variant<std::string, std::int64_t, double, bool>;
using Attributes = std::vector<std::pair<std::string, AttributeValue>>;

enum class StatusCode { Unset, Ok, Error };

using TraceId = std::array<std::uint8_t, 16>;
using SpanId = std::array<std::uint8_t, 8>;

// Identifies a span: W3C trace context. A value type.
struct SpanContext {
  TraceId trace_id{};
  SpanId span_id{};
  bool sampled = true;

  bool valid() const noexcept;
  std::string trace_id_hex() const;  // 32 lower-case hex digits
  std::string span_id_hex() const;   // 16 lower-case hex digits
  // "00-<trace id>-<span id>-01" (W3C traceparent header).
  std::string traceparent() const;
  // Parses a traceparent header; nullopt when malformed.
  static std::optional<SpanContext> from_traceparent(std::string_view header);

  friend bool operator==(const SpanContext&, const SpanContext&) = default;
};

struct SpanOptions {
  Attributes attributes{};              // set on the span when it starts
  std::optional<SpanContext> parent{};  // default: the thread's active span, if any
  std::vector<SpanContext> links{};     // related spans (a previous attempt, say)
};

// What an SDK implements behind a Span handle. Not thread-safe: a span is used by one thread.
class SpanRecorder {
 public:
  virtual ~SpanRecorder() = default;
  // An empty key is ignored; setting a key again replaces its value.
  virtual void set_attribute(std::string_view key, AttributeValue value) = 0;
  virtual void add_event(std::string_view name, Attributes attributes) = 0;
  virtual void set_status(StatusCode code, std::string_view description) = 0;
  virtual SpanContext context() const = 0;
  virtual void end() = 0;
};

// RAII handle of a started span: ends it on destruction or end(). A default-constructed
// (or no-op) span does nothing. Movable, not copyable; used by one thread at a time.
class Span {
 public:
  Span() = default;
  explicit Span(std::unique_ptr<SpanRecorder> recorder) : recorder_(std::move(recorder)) {}
  Span(Span&&) noexcept = default;
  Span& operator=(Span&& other) noexcept {
    if (this != &other) {
      end();
      recorder_ = std::move(other.recorder_);
    }
    return *this;
  }
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;
  ~Span() { end(); }

  bool recording() const noexcept { return recorder_ != nullptr; }
  void set_attribute(std::string_view key, AttributeValue value) {
    if (recorder_) recorder_->set_attribute(key, std::move(value));
  }
  void set_attribute(std::string_view key, const char* value) {
    set_attribute(key, AttributeValue{std::string{value}});
  }
  template <std::integral T>
  requires(!std::same_as<T, bool>) void set_attribute(std::string_view key, T value) {
    set_attribute(key, AttributeValue{static_cast<std::int64_t>(value)});
  }
  void add_event(std::string_view name, Attributes attributes = {}) {
    if (recorder_) recorder_->add_event(name, std::move(attributes));
  }
  void set_status(StatusCode code, std::string_view description = {}) {
    if (recorder_) recorder_->set_status(code, description);
  }
  // An `exception` event with exception.type and exception.message, as OpenTelemetry records it.
  void record_exception(std::string_view type, std::string_view message) {
    add_event("exception",
              {{"exception.type", std::string(type)}, {"exception.message", std::string(message)}});
  }
  // The span's context; invalid for a no-op span.
  SpanContext context() const { return recorder_ ? recorder_->context() : SpanContext{}; }
  // Ends the span once; later calls do nothing.
  void end() {
    if (recorder_) {
      recorder_->end();
      recorder_.reset();
    }
  }

 private:
  std::unique_ptr<SpanRecorder> recorder_;
};

// Thread-safe: start_span may be called from any thread.
class Tracer {
 public:
  virtual ~Tracer() = default;
  virtual Span start_span(std::string_view name, SpanOptions options = {}) = 0;
};

// Thread-safe: tracer() may be called from any thread; the returned reference lives as long
// as the provider.
class TracerProvider {
 public:
  virtual ~TracerProvider() = default;
  virtual Tracer& tracer(std::string_view instrumentation_name) = 0;
};

// A provider whose spans record nothing and cost no allocation.
std::shared_ptr<TracerProvider> make_noop_tracer_provider();

// The execution running on the calling thread: set by the pool around every run (and the
// middlewares), so that library code with no Context at hand can annotate what it does.
struct ExecutionInfo {
  std::string_view worker_name;
  std::string_view execution_id;
};
std::optional<ExecutionInfo> current_execution() noexcept;

}  // namespace worker::trace

namespace worker {
using trace::Tracer;
using trace::TracerProvider;
}  // namespace worker
