// Tracing port: the OpenTelemetry-shaped interfaces a worker uses to emit spans.
//
//   auto span = ctx.tracer().start_span("poll queue");
//   span.set_attribute("queue", "orders");
//   ...                                   // the span ends when `span` goes out of scope
//
// The pool's provider is set with with_tracer_provider(); the default is a no-op provider.
// Spans started through Context::tracer() carry the attributes `Worker` and `WorkerExecutionID`.
#pragma once

#include <concepts>
#include <cstdint>
#include <memory>
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

struct SpanOptions {
  Attributes attributes;  // set on the span when it starts
};

// What an SDK implements behind a Span handle. Not thread-safe: a span is used by one thread.
class SpanRecorder {
 public:
  virtual ~SpanRecorder() = default;
  virtual void set_attribute(std::string_view key, AttributeValue value) = 0;
  virtual void add_event(std::string_view name) = 0;
  virtual void set_status(StatusCode code, std::string_view description) = 0;
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
  void add_event(std::string_view name) {
    if (recorder_) recorder_->add_event(name);
  }
  void set_status(StatusCode code, std::string_view description = {}) {
    if (recorder_) recorder_->set_status(code, description);
  }
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

}  // namespace worker::trace

namespace worker {
using trace::Tracer;
using trace::TracerProvider;
}  // namespace worker
