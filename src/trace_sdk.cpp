#include "worker/trace_sdk.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "random.hpp"
#include "worker/logger.hpp"

namespace worker::trace {
namespace {

constexpr char kHex[] = "0123456789abcdef";

template <std::size_t N>
std::string to_hex(const std::array<std::uint8_t, N>& bytes) {
  std::string out(2 * N, '0');
  for (std::size_t i = 0; i < N; ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 0xF];
  }
  return out;
}

template <std::size_t N>
bool from_hex(std::string_view text, std::array<std::uint8_t, N>& bytes) {
  if (text.size() != 2 * N) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < N; ++i) {
    const int high = nibble(text[2 * i]);
    const int low = nibble(text[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    bytes[i] = static_cast<std::uint8_t>(high << 4 | low);
  }
  return true;
}

template <std::size_t N>
bool all_zero(const std::array<std::uint8_t, N>& bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

template <std::size_t N>
void random_bytes(std::array<std::uint8_t, N>& bytes) {
  thread_local detail::Xoshiro256 random;
  do {
    for (std::size_t i = 0; i < N; i += 8) {
      std::uint64_t word = random.next();
      for (std::size_t j = i; j < std::min(N, i + 8); ++j, word >>= 8) {
        bytes[j] = static_cast<std::uint8_t>(word);
      }
    }
  } while (all_zero(bytes));
}

void set_or_replace(Attributes& attributes, std::string_view key, AttributeValue value) {
  for (auto& [existing, existing_value] : attributes) {
    if (existing == key) {
      existing_value = std::move(value);
      return;
    }
  }
  attributes.emplace_back(std::string(key), std::move(value));
}

// The span active on this thread (innermost), for parenting.
thread_local const SpanContext* active_span = nullptr;

}  // namespace

bool SpanContext::valid() const noexcept { return !all_zero(trace_id) && !all_zero(span_id); }
std::string SpanContext::trace_id_hex() const { return to_hex(trace_id); }
std::string SpanContext::span_id_hex() const { return to_hex(span_id); }

std::string SpanContext::traceparent() const {
  return fmt::format("00-{}-{}-{}", trace_id_hex(), span_id_hex(), sampled ? "01" : "00");
}

std::optional<SpanContext> SpanContext::from_traceparent(std::string_view header) {
  // version(2) - trace id(32) - span id(16) - flags(2)
  if (header.size() != 55 || header[2] != '-' || header[35] != '-' || header[52] != '-') {
    return std::nullopt;
  }
  if (header.substr(0, 2) != "00") return std::nullopt;
  SpanContext context;
  std::array<std::uint8_t, 1> flags{};
  if (!from_hex(header.substr(3, 32), context.trace_id) ||
      !from_hex(header.substr(36, 16), context.span_id) || !from_hex(header.substr(53, 2), flags) ||
      !context.valid()) {
    return std::nullopt;
  }
  context.sampled = (flags[0] & 1) != 0;
  return context;
}

bool SpanData::has_parent() const noexcept { return !all_zero(parent_span_id); }

const AttributeValue* SpanData::attribute(std::string_view key) const noexcept {
  for (const auto& [attribute_key, value] : attributes) {
    if (attribute_key == key) return &value;
  }
  return nullptr;
}

// ---- processors and exporters ----

SimpleSpanProcessor::SimpleSpanProcessor(std::shared_ptr<SpanExporter> exporter)
    : exporter_(std::move(exporter)) {
  if (!exporter_) throw std::invalid_argument("SimpleSpanProcessor: the exporter must not be null");
}

void SimpleSpanProcessor::on_end(const SpanData& span) {
  std::lock_guard lock(mutex_);
  exporter_->export_spans(std::span<const SpanData>(&span, 1));
}

void SimpleSpanProcessor::shutdown() {
  std::lock_guard lock(mutex_);
  exporter_->shutdown();
}

BatchSpanProcessor::BatchSpanProcessor(std::shared_ptr<SpanExporter> exporter,
                                       BatchSpanProcessorOptions options)
    : exporter_(std::move(exporter)), options_(options) {
  if (!exporter_) throw std::invalid_argument("BatchSpanProcessor: the exporter must not be null");
  if (options_.max_queue_size == 0 || options_.max_export_batch_size == 0) {
    throw std::invalid_argument(fmt::format(
        "BatchSpanProcessor: max_queue_size and max_export_batch_size must be >= 1, got {} and {}",
        options_.max_queue_size, options_.max_export_batch_size));
  }
  if (options_.schedule_delay.count() <= 0) {
    throw std::invalid_argument(
        fmt::format("BatchSpanProcessor: schedule_delay must be > 0 ms, got {} ms",
                    options_.schedule_delay.count()));
  }
  queue_.reserve(std::min<std::size_t>(options_.max_queue_size, 4096));
  thread_ = std::thread([this] { run(); });
}

BatchSpanProcessor::~BatchSpanProcessor() { shutdown(); }

void BatchSpanProcessor::on_end(const SpanData& span) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= options_.max_queue_size) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    queue_.push_back(span);
    ++enqueued_;
    wake = queue_.size() >= options_.max_export_batch_size;
  }
  if (wake) wake_.notify_one();
}

void BatchSpanProcessor::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait_for(lock, options_.schedule_delay, [this] {
      return stopping_ || flush_requested_ || queue_.size() >= options_.max_export_batch_size;
    });
    while (!queue_.empty()) {
      std::vector<SpanData> batch;
      batch.reserve(options_.max_export_batch_size);
      const std::size_t count = std::min(queue_.size(), options_.max_export_batch_size);
      std::move(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count),
                std::back_inserter(batch));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
      lock.unlock();
      try {
        exporter_->export_spans(batch);
      } catch (...) {
        // An exporter must not throw; if it does, the batch is lost, the processor goes on.
      }
      lock.lock();
      handled_ += count;
    }
    flush_requested_ = false;
    flushed_.notify_all();
    if (stopping_) return;
  }
}

bool BatchSpanProcessor::force_flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!thread_.joinable()) return queue_.empty();
  const std::uint64_t target = enqueued_;
  flush_requested_ = true;
  wake_.notify_one();
  return flushed_.wait_for(lock, timeout, [&] { return handled_ >= target; });
}

void BatchSpanProcessor::shutdown() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  exporter_->shutdown();
}

bool InMemorySpanExporter::export_spans(std::span<const SpanData> spans) {
  std::lock_guard lock(mutex_);
  spans_.insert(spans_.end(), spans.begin(), spans.end());
  return true;
}

std::vector<SpanData> InMemorySpanExporter::spans() const {
  std::lock_guard lock(mutex_);
  return spans_;
}

std::vector<SpanData> InMemorySpanExporter::spans(std::string_view name) const {
  std::vector<SpanData> matching;
  std::lock_guard lock(mutex_);
  for (const auto& span : spans_) {
    if (span.name == name) matching.push_back(span);
  }
  return matching;
}

void InMemorySpanExporter::clear() {
  std::lock_guard lock(mutex_);
  spans_.clear();
}

// ---- OTLP JSON ----

namespace {

std::string nanos(std::chrono::system_clock::time_point time) {
  return std::to_string(
      std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count());
}

void append_string(std::string& out, std::string_view text) {
  out += '"';
  log::append_json_escaped(out, text);
  out += '"';
}

void append_attributes(std::string& out, const Attributes& attributes) {
  out += '[';
  bool first = true;
  for (const auto& [key, value] : attributes) {
    if (!first) out += ',';
    first = false;
    out += R"({"key":)";
    append_string(out, key);
    out += R"(,"value":{)";
    std::visit(
        [&out](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::string>) {
            out += R"("stringValue":)";
            append_string(out, v);
          } else if constexpr (std::is_same_v<T, bool>) {
            out += R"("boolValue":)";
            out += v ? "true" : "false";
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            out += R"("intValue":")";  // int64 is a JSON string in the protobuf JSON mapping
            out += std::to_string(v);
            out += '"';
          } else {
            out += R"("doubleValue":)";
            out += std::isfinite(v) ? fmt::format("{}", v) : std::string("0");
          }
        },
        value);
    out += "}}";
  }
  out += ']';
}

void append_span(std::string& out, const SpanData& span) {
  out += R"({"traceId":")";
  out += span.context.trace_id_hex();
  out += R"(","spanId":")";
  out += span.context.span_id_hex();
  out += '"';
  if (span.has_parent()) {
    out += R"(,"parentSpanId":")";
    out += to_hex(span.parent_span_id);
    out += '"';
  }
  out += R"(,"name":)";
  append_string(out, span.name);
  out += R"(,"kind":1,"startTimeUnixNano":")";
  out += nanos(span.start);
  out += R"(","endTimeUnixNano":")";
  out += nanos(span.end);
  out += R"(","attributes":)";
  append_attributes(out, span.attributes);
  out += R"(,"events":[)";
  for (std::size_t i = 0; i < span.events.size(); ++i) {
    if (i > 0) out += ',';
    out += R"({"timeUnixNano":")";
    out += nanos(span.events[i].time);
    out += R"(","name":)";
    append_string(out, span.events[i].name);
    out += R"(,"attributes":)";
    append_attributes(out, span.events[i].attributes);
    out += '}';
  }
  out += R"(],"links":[)";
  for (std::size_t i = 0; i < span.links.size(); ++i) {
    if (i > 0) out += ',';
    out += R"({"traceId":")";
    out += span.links[i].trace_id_hex();
    out += R"(","spanId":")";
    out += span.links[i].span_id_hex();
    out += R"("})";
  }
  out += R"(],"status":{)";
  if (span.status != StatusCode::Unset) {
    out += R"("code":)";
    out += span.status == StatusCode::Ok ? '1' : '2';
    if (!span.status_description.empty()) {
      out += R"(,"message":)";
      append_string(out, span.status_description);
    }
  }
  out += "}}";
}

}  // namespace

std::string to_otlp_json(const SpanData& span) {
  std::string out;
  append_span(out, span);
  return out;
}

std::string to_otlp_json(std::span<const SpanData> spans) {
  // Group by resource, then by scope, keeping the order spans came in.
  std::vector<const Attributes*> resources;
  for (const auto& span : spans) {
    const Attributes* resource = span.resource.get();
    if (std::find(resources.begin(), resources.end(), resource) == resources.end()) {
      resources.push_back(resource);
    }
  }
  std::string out = R"({"resourceSpans":[)";
  for (std::size_t r = 0; r < resources.size(); ++r) {
    if (r > 0) out += ',';
    out += R"({"resource":{"attributes":)";
    append_attributes(out, resources[r] ? *resources[r] : Attributes{});
    out += R"(},"scopeSpans":[)";
    std::vector<std::string_view> scopes;
    for (const auto& span : spans) {
      if (span.resource.get() == resources[r] &&
          std::find(scopes.begin(), scopes.end(), span.scope) == scopes.end()) {
        scopes.push_back(span.scope);
      }
    }
    for (std::size_t s = 0; s < scopes.size(); ++s) {
      if (s > 0) out += ',';
      out += R"({"scope":{"name":)";
      append_string(out, scopes[s]);
      out += R"(},"spans":[)";
      bool first = true;
      for (const auto& span : spans) {
        if (span.resource.get() != resources[r] || span.scope != scopes[s]) continue;
        if (!first) out += ',';
        first = false;
        append_span(out, span);
      }
      out += "]}";
    }
    out += "]}";
  }
  out += "]}";
  return out;
}

bool OstreamSpanExporter::export_spans(std::span<const SpanData> spans) {
  std::lock_guard lock(mutex_);
  for (const auto& span : spans) {
    std::string line = to_otlp_json(span);
    line.pop_back();  // reopen the object to add scope and resource
    line += R"(,"scope":)";
    append_string(line, span.scope);
    line += R"(,"resource":)";
    append_attributes(line, span.resource ? *span.resource : Attributes{});
    line += "}\n";
    out_ << line;
  }
  out_.flush();
  return static_cast<bool>(out_);
}

// ---- provider ----

struct SdkTracerProvider::State {
  std::shared_ptr<const Attributes> resource;
  std::shared_ptr<spdlog::logger> logger;
  mutable std::mutex mutex;
  std::shared_ptr<const std::vector<std::shared_ptr<SpanProcessor>>>
      processors;          // guarded by mutex
  bool shut_down = false;  // guarded by mutex
  bool annotated = false;  // guarded by mutex

  std::shared_ptr<const std::vector<std::shared_ptr<SpanProcessor>>> current() const {
    std::lock_guard lock(mutex);
    return shut_down ? nullptr : processors;
  }
};

namespace {

void report_empty_key(const SdkTracerProvider::State& state, std::string_view span) {
  if (state.logger->should_log(spdlog::level::debug)) {
    Logger(state.logger).with("span", span).debug("span attribute with an empty key ignored");
  }
}

class SdkSpan final : public SpanRecorder {
 public:
  SdkSpan(std::shared_ptr<const SdkTracerProvider::State> state, SpanData data)
      : state_(std::move(state)), data_(std::move(data)), previous_active_(active_span) {
    active_span = &data_.context;
  }
  ~SdkSpan() override { SdkSpan::end(); }

  void set_attribute(std::string_view key, AttributeValue value) override {
    if (ended_) return;
    if (key.empty()) {
      report_empty_key(*state_, data_.name);
      return;
    }
    set_or_replace(data_.attributes, key, std::move(value));
  }
  void add_event(std::string_view name, Attributes attributes) override {
    if (ended_) return;
    data_.events.push_back(
        SpanEvent{std::string(name), std::chrono::system_clock::now(), std::move(attributes)});
  }
  void set_status(StatusCode code, std::string_view description) override {
    if (ended_) return;
    data_.status = code;
    data_.status_description = code == StatusCode::Error ? std::string(description) : std::string();
  }
  SpanContext context() const override { return data_.context; }
  void end() override {
    if (ended_) return;
    ended_ = true;
    if (active_span == &data_.context) active_span = previous_active_;
    data_.end = std::chrono::system_clock::now();
    if (auto processors = state_->current()) {
      for (const auto& processor : *processors) processor->on_end(data_);
    }
  }

 private:
  std::shared_ptr<const SdkTracerProvider::State> state_;
  SpanData data_;
  const SpanContext* previous_active_;
  bool ended_ = false;
};

class SdkTracer final : public Tracer {
 public:
  SdkTracer(std::shared_ptr<const SdkTracerProvider::State> state, std::string scope)
      : state_(std::move(state)), scope_(std::move(scope)) {}

  Span start_span(std::string_view name, SpanOptions options) override {
    auto processors = state_->current();
    if (!processors) return Span{};  // shut down: no-op spans
    SpanData data;
    data.name = std::string(name);
    data.scope = scope_;
    data.resource = state_->resource;
    const SpanContext* parent =
        options.parent && options.parent->valid() ? &*options.parent : active_span;
    if (parent != nullptr) {
      data.context.trace_id = parent->trace_id;
      data.parent_span_id = parent->span_id;
    } else {
      random_bytes(data.context.trace_id);
    }
    random_bytes(data.context.span_id);
    for (auto& [key, value] : options.attributes) {
      if (key.empty()) {
        report_empty_key(*state_, data.name);
      } else {
        set_or_replace(data.attributes, key, std::move(value));
      }
    }
    data.links = std::move(options.links);
    data.start = std::chrono::system_clock::now();
    for (const auto& processor : *processors) processor->on_start(data);
    return Span(std::make_unique<SdkSpan>(state_, std::move(data)));
  }

 private:
  std::shared_ptr<const SdkTracerProvider::State> state_;
  std::string scope_;
};

class WorkerAnnotationProcessor final : public SpanProcessor {
 public:
  void on_start(SpanData& span) override {
    if (const auto execution = current_execution()) {
      set_or_replace(span.attributes, kAttributeWorkerName, std::string(execution->worker_name));
      set_or_replace(span.attributes, kAttributeWorkerExecutionId,
                     std::string(execution->execution_id));
    }
  }
  void on_end(const SpanData&) override {}
};

}  // namespace

SdkTracerProvider::SdkTracerProvider(TracerProviderOptions options)
    : state_(std::make_shared<State>()) {
  Attributes resource{{"service.name", options.service_name}};
  for (auto& [key, value] : options.resource) set_or_replace(resource, key, std::move(value));
  state_->resource = std::make_shared<const Attributes>(std::move(resource));
  state_->logger = options.logger ? std::move(options.logger) : spdlog::default_logger();
  for (const auto& processor : options.processors) {
    if (!processor) throw std::invalid_argument("TracerProviderOptions: a processor is null");
  }
  state_->processors =
      std::make_shared<const std::vector<std::shared_ptr<SpanProcessor>>>(options.processors);
}

SdkTracerProvider::~SdkTracerProvider() { shutdown(); }

Tracer& SdkTracerProvider::tracer(std::string_view instrumentation_name) {
  std::lock_guard lock(mutex_);
  auto it = tracers_.find(instrumentation_name);
  if (it == tracers_.end()) {
    it = tracers_
             .emplace(std::string(instrumentation_name),
                      std::make_unique<SdkTracer>(state_, std::string(instrumentation_name)))
             .first;
  }
  return *it->second;
}

void SdkTracerProvider::add_span_processor(std::shared_ptr<SpanProcessor> processor) {
  if (!processor) throw std::invalid_argument("add_span_processor: the processor must not be null");
  std::lock_guard lock(state_->mutex);
  auto processors =
      std::make_shared<std::vector<std::shared_ptr<SpanProcessor>>>(*state_->processors);
  processors->push_back(std::move(processor));
  state_->processors = std::move(processors);
}

bool SdkTracerProvider::force_flush(std::chrono::milliseconds timeout) {
  const auto processors = state_->current();
  if (!processors) return true;
  bool all = true;
  for (const auto& processor : *processors) all = processor->force_flush(timeout) && all;
  return all;
}

void SdkTracerProvider::shutdown() {
  std::shared_ptr<const std::vector<std::shared_ptr<SpanProcessor>>> processors;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->shut_down) return;
    state_->shut_down = true;
    processors = state_->processors;
  }
  for (const auto& processor : *processors) processor->shutdown();
}

std::shared_ptr<SdkTracerProvider> make_tracer_provider(TracerProviderOptions options) {
  return std::make_shared<SdkTracerProvider>(std::move(options));
}

void annotate_tracer_provider(SdkTracerProvider& provider) {
  auto& state = *provider.state_;
  std::lock_guard lock(state.mutex);
  if (state.annotated) return;
  state.annotated = true;
  // First in line, so that the other processors' on_start see the attributes.
  auto processors = std::make_shared<std::vector<std::shared_ptr<SpanProcessor>>>();
  processors->push_back(std::make_shared<WorkerAnnotationProcessor>());
  processors->insert(processors->end(), state.processors->begin(), state.processors->end());
  state.processors = std::move(processors);
}

}  // namespace worker::trace
