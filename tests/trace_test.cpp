// Tracing: the SDK (contexts, nesting, processors, exporters) and its integration with the pool.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <latch>
#include <nlohmann/json.hpp>
#include <sstream>

#include "test_support.hpp"
#include "test_workers.hpp"
#include "worker/trace_sdk.hpp"

namespace worker::trace {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;

std::string string_attribute(const Attributes& attributes, std::string_view key) {
  for (const auto& [name, value] : attributes) {
    if (name == key && std::holds_alternative<std::string>(value))
      return std::get<std::string>(value);
  }
  return "<absent>";
}

std::string string_attribute(const SpanData& span, std::string_view key) {
  return string_attribute(span.attributes, key);
}

struct Tracing {
  std::shared_ptr<InMemorySpanExporter> exporter = std::make_shared<InMemorySpanExporter>();
  std::shared_ptr<SdkTracerProvider> provider =
      make_tracer_provider({.service_name = "test-service",
                            .processors = {std::make_shared<SimpleSpanProcessor>(exporter)}});
};

TEST(SpanContextTest, HexAndTraceparentRoundTrip) {
  Tracing tracing;
  SpanContext context;
  {
    auto span = tracing.provider->tracer("t").start_span("s");
    context = span.context();
  }
  ASSERT_TRUE(context.valid());
  EXPECT_THAT(context.trace_id_hex(), ::testing::MatchesRegex("^[0-9a-f]{32}$"));
  EXPECT_THAT(context.span_id_hex(), ::testing::MatchesRegex("^[0-9a-f]{16}$"));
  const std::string header = context.traceparent();
  EXPECT_EQ(header, "00-" + context.trace_id_hex() + "-" + context.span_id_hex() + "-01");
  EXPECT_EQ(SpanContext::from_traceparent(header), context);
  EXPECT_FALSE(SpanContext::from_traceparent("00-abc-def-01"));
  EXPECT_FALSE(SpanContext::from_traceparent(
      "00-00000000000000000000000000000000-0000000000000000-01"));  // all-zero ids are invalid
  EXPECT_FALSE(SpanContext::from_traceparent(
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01"));  // upper case is invalid
  const auto parsed =
      SpanContext::from_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->trace_id_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_FALSE(parsed->sampled);
  EXPECT_FALSE(SpanContext{}.valid());
}

TEST(SdkTracerTest, SpansOfAThreadNestAndExplicitParentWins) {
  Tracing tracing;
  auto& tracer = tracing.provider->tracer("t");
  SpanContext outer_context;
  SpanContext explicit_parent;
  {
    auto other = tracer.start_span("other");
    explicit_parent = other.context();
  }
  {
    auto outer = tracer.start_span("outer");
    outer_context = outer.context();
    {
      auto inner = tracer.start_span("inner");
      auto adopted = tracer.start_span("adopted", {.parent = explicit_parent});
    }
  }
  auto root = tracer.start_span("root-again");
  root.end();

  const auto inner = tracing.exporter->spans("inner").at(0);
  EXPECT_EQ(inner.context.trace_id, outer_context.trace_id);
  EXPECT_EQ(inner.parent_span_id, outer_context.span_id);
  const auto adopted = tracing.exporter->spans("adopted").at(0);
  EXPECT_EQ(adopted.context.trace_id, explicit_parent.trace_id);
  EXPECT_EQ(adopted.parent_span_id, explicit_parent.span_id);
  EXPECT_FALSE(tracing.exporter->spans("outer").at(0).has_parent());
  const auto again = tracing.exporter->spans("root-again").at(0);
  EXPECT_FALSE(again.has_parent());
  EXPECT_NE(again.context.trace_id, outer_context.trace_id);
}

TEST(SdkTracerTest, EmptyAttributeKeysAreIgnoredWithADebugLog) {
  testing::JsonCapture logs;
  auto exporter = std::make_shared<InMemorySpanExporter>();
  auto provider = make_tracer_provider(
      {.processors = {std::make_shared<SimpleSpanProcessor>(exporter)}, .logger = logs.logger});
  {
    auto span =
        provider->tracer("t").start_span("keyless", {.attributes = {{"", std::int64_t{1}}}});
    span.set_attribute("", "v");
  }
  EXPECT_TRUE(exporter->spans("keyless").at(0).attributes.empty());
  EXPECT_EQ(logs.count({{"level", "debug"},
                        {"message", "span attribute with an empty key ignored"},
                        {"span", "keyless"}}),
            2u);
}

TEST(SdkTracerTest, AttributesEventsStatusAndEnd) {
  Tracing tracing;
  {
    auto span = tracing.provider->tracer("scope").start_span(
        "work", {.attributes = {{"preset", std::string("x")}}});
    span.set_attribute("string", "v");
    span.set_attribute("int", 42);
    span.set_attribute("double", 1.5);
    span.set_attribute("bool", true);
    span.set_attribute("preset", "replaced");
    span.set_attribute("", "ignored");
    span.add_event("checkpoint");
    span.record_exception("std::runtime_error", "boom");
    span.set_status(StatusCode::Error, "failed");
    span.end();
    span.set_attribute("after", "end");  // no effect
  }
  const auto spans = tracing.exporter->spans();
  ASSERT_EQ(spans.size(), 1u);
  const auto& span = spans[0];
  EXPECT_EQ(span.scope, "scope");
  EXPECT_EQ(string_attribute(span, "preset"), "replaced");
  EXPECT_EQ(std::get<std::int64_t>(*span.attribute("int")), 42);
  EXPECT_EQ(std::get<double>(*span.attribute("double")), 1.5);
  EXPECT_EQ(std::get<bool>(*span.attribute("bool")), true);
  EXPECT_EQ(span.attribute(""), nullptr);
  EXPECT_EQ(span.attribute("after"), nullptr);
  EXPECT_EQ(span.attributes.size(), 5u);
  ASSERT_EQ(span.events.size(), 2u);
  EXPECT_EQ(span.events[1].name, "exception");
  EXPECT_EQ(span.status, StatusCode::Error);
  EXPECT_EQ(span.status_description, "failed");
  EXPECT_LE(span.start, span.end);
  EXPECT_EQ(string_attribute(*span.resource, "service.name"), "test-service");
}

// The Go module's assertion: a span emitted by a worker carries Worker and WorkerExecutionID.
TEST(WorkerTracingTest, SpansDuringAnExecutionAreAnnotated) {
  Tracing tracing;
  annotate_tracer_provider(*tracing.provider);
  annotate_tracer_provider(*tracing.provider);  // idempotent
  WorkerPool pool({with_logger(testing::JsonCapture{}.logger),
                   with_generator(make_fixed_id_generator("test-execution-id")),
                   with_tracer_provider(tracing.provider)});
  pool.add(std::make_shared<testing::OneShotWorker>());
  // Library code with no Context at hand, called from a worker.
  auto library_call = [provider = tracing.provider] {
    auto span = provider->tracer("library").start_span("library span");
  };
  pool.add(make_worker("LibraryUser", [&](Context&) { library_call(); }));
  pool.start();
  ASSERT_TRUE(testing::wait_for_status(pool, "OneShotWorker", WorkerStatus::Success));
  ASSERT_TRUE(testing::wait_for_status(pool, "LibraryUser", WorkerStatus::Success));
  pool.stop();
  library_call();  // outside any execution

  const auto one_shot = tracing.exporter->spans("one shot span");
  ASSERT_EQ(one_shot.size(), 1u);
  EXPECT_EQ(string_attribute(one_shot[0], "Worker"), "OneShotWorker");
  EXPECT_EQ(string_attribute(one_shot[0], "WorkerExecutionID"), "test-execution-id");
  EXPECT_EQ(one_shot[0].scope, "worker");

  const auto library = tracing.exporter->spans("library span");
  ASSERT_EQ(library.size(), 2u);
  EXPECT_EQ(string_attribute(library[0], "Worker"), "LibraryUser");
  EXPECT_EQ(string_attribute(library[0], "WorkerExecutionID"), "test-execution-id");
  EXPECT_EQ(library[1].attribute("Worker"), nullptr);
  EXPECT_EQ(library[1].attribute("WorkerExecutionID"), nullptr);
  EXPECT_FALSE(current_execution());
}

TEST(WorkerTracingTest, ExecutionSpansWrapAttemptsAndLinkRestarts) {
  Tracing tracing;
  WorkerPool pool({with_logger(testing::JsonCapture{}.logger),
                   with_tracer_provider(tracing.provider), with_execution_spans(),
                   with_global_max_executions_attempts(3)});
  pool.add(make_worker("Failing", [](Context& ctx) -> Result {
    auto span = ctx.tracer().start_span("user span");
    if (ctx.attempt() == 2) throw std::runtime_error("custom panic");
    return error("custom error");
  }));
  pool.start();
  ASSERT_TRUE(testing::wait_for_event(pool, "Failing", "max execution attempts reached"));
  pool.stop();

  const auto executions = tracing.exporter->spans("worker.execution");
  const auto users = tracing.exporter->spans("user span");
  ASSERT_EQ(executions.size(), 3u);
  ASSERT_EQ(users.size(), 3u);
  const auto events = pool.execution("Failing")->events();
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& span = executions[i];
    EXPECT_EQ(string_attribute(span, "Worker"), "Failing");
    EXPECT_EQ(std::get<std::int64_t>(*span.attribute("worker.attempt")),
              static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(span.status, StatusCode::Error);
    ASSERT_EQ(span.events.size(), 1u);
    EXPECT_EQ(span.events[0].name, "exception");
    // The user span is a child of its attempt's span.
    EXPECT_EQ(users[i].parent_span_id, span.context.span_id);
    EXPECT_EQ(users[i].context.trace_id, span.context.trace_id);
    EXPECT_EQ(string_attribute(users[i], "WorkerExecutionID"),
              string_attribute(span, "WorkerExecutionID"));
    // Each restart links to the previous attempt's span.
    if (i == 0) {
      EXPECT_TRUE(span.links.empty());
    } else {
      EXPECT_THAT(span.links, ElementsAre(executions[i - 1].context));
    }
  }
  EXPECT_EQ(executions[0].status_description, "custom error");
  EXPECT_EQ(string_attribute(executions[0].events[0].attributes, "exception.type"),
            "worker::error");
  EXPECT_EQ(executions[1].status_description, "custom panic");
  EXPECT_EQ(string_attribute(executions[1].events[0].attributes, "exception.type"),
            "std::runtime_error");
  // Three attempts, three ids.
  EXPECT_NE(string_attribute(executions[0], "WorkerExecutionID"),
            string_attribute(executions[1], "WorkerExecutionID"));
}

// Blocks every export until released: lets the batch processor's queue fill up.
class GateExporter final : public SpanExporter {
 public:
  bool export_spans(std::span<const SpanData> spans) override {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return open_; });
    exported_ += spans.size();
    return true;
  }
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    cv_.notify_all();
  }
  std::size_t exported() {
    std::lock_guard lock(mutex_);
    return exported_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;         // guarded by mutex_
  std::size_t exported_ = 0;  // guarded by mutex_
};

TEST(BatchSpanProcessorTest, DropsAndCountsWhenTheQueueIsFullWithoutBlocking) {
  auto exporter = std::make_shared<GateExporter>();
  auto processor = std::make_shared<BatchSpanProcessor>(
      exporter, BatchSpanProcessorOptions{.max_queue_size = 10,
                                          .max_export_batch_size = 5,
                                          .schedule_delay = std::chrono::milliseconds(10)});
  auto provider = make_tracer_provider({.processors = {processor}});
  constexpr std::size_t kSpans = 1000;
  for (std::size_t i = 0; i < kSpans; ++i) provider->tracer("flood").start_span("s");
  // The exporter is blocked: at most one batch in flight plus a full queue were kept.
  EXPECT_GE(processor->dropped_spans(), kSpans - 15);
  exporter->open();
  EXPECT_TRUE(processor->force_flush(std::chrono::seconds(20)));
  EXPECT_EQ(exporter->exported() + processor->dropped_spans(), kSpans);
  provider->shutdown();
}

TEST(BatchSpanProcessorTest, ShutdownExportsWhatIsQueued) {
  auto exporter = std::make_shared<InMemorySpanExporter>();
  auto processor = std::make_shared<BatchSpanProcessor>(
      exporter, BatchSpanProcessorOptions{.schedule_delay = std::chrono::hours(1)});
  auto provider = make_tracer_provider({.processors = {processor}});
  for (int i = 0; i < 7; ++i) provider->tracer("t").start_span("queued");
  EXPECT_TRUE(exporter->spans().empty());  // the delay is an hour and the batch not full
  provider->shutdown();
  EXPECT_EQ(exporter->spans().size(), 7u);
  EXPECT_EQ(processor->dropped_spans(), 0u);
  EXPECT_FALSE(provider->tracer("t").start_span("after shutdown").recording());
}

TEST(BatchSpanProcessorTest, BadOptions) {
  auto exporter = std::make_shared<InMemorySpanExporter>();
  EXPECT_THROW(BatchSpanProcessor(nullptr), std::invalid_argument);
  EXPECT_THROW(BatchSpanProcessor(exporter, {.max_queue_size = 0}), std::invalid_argument);
  EXPECT_THROW(BatchSpanProcessor(exporter, {.schedule_delay = std::chrono::milliseconds(0)}),
               std::invalid_argument);
}

TEST(OtlpJsonTest, BodyFollowsTheOtlpJsonMapping) {
  Tracing tracing;
  {
    auto parent = tracing.provider->tracer("scope-a").start_span("parent");
    auto child = tracing.provider->tracer("scope-b").start_span(
        "child",
        {.attributes = {
             {"s", std::string("v\"q")}, {"i", std::int64_t{-7}}, {"d", 2.5}, {"b", false}}});
    child.record_exception("E", "m");
    child.set_status(StatusCode::Error, "bad");
  }
  const auto spans = tracing.exporter->spans();
  const auto body = json::parse(to_otlp_json(spans));
  const auto& resource_spans = body["resourceSpans"];
  ASSERT_EQ(resource_spans.size(), 1u);
  EXPECT_EQ(resource_spans[0]["resource"]["attributes"][0],
            json::parse(R"({"key":"service.name","value":{"stringValue":"test-service"}})"));
  const auto& scopes = resource_spans[0]["scopeSpans"];
  ASSERT_EQ(scopes.size(), 2u);
  EXPECT_EQ(scopes[0]["scope"]["name"], "scope-b");  // ended first
  const auto& child = scopes[0]["spans"][0];
  const auto& parent = scopes[1]["spans"][0];
  EXPECT_EQ(child["name"], "child");
  EXPECT_THAT(child["traceId"].get<std::string>(), ::testing::MatchesRegex("^[0-9a-f]{32}$"));
  EXPECT_THAT(child["spanId"].get<std::string>(), ::testing::MatchesRegex("^[0-9a-f]{16}$"));
  EXPECT_EQ(child["parentSpanId"], parent["spanId"]);
  EXPECT_FALSE(parent.contains("parentSpanId"));
  EXPECT_EQ(child["kind"], 1);
  EXPECT_TRUE(child["startTimeUnixNano"].is_string());
  EXPECT_LE(std::stoll(child["startTimeUnixNano"].get<std::string>()),
            std::stoll(child["endTimeUnixNano"].get<std::string>()));
  EXPECT_EQ(child["attributes"], json::parse(R"([
      {"key":"s","value":{"stringValue":"v\"q"}},
      {"key":"i","value":{"intValue":"-7"}},
      {"key":"d","value":{"doubleValue":2.5}},
      {"key":"b","value":{"boolValue":false}}])"));
  EXPECT_EQ(child["status"], json::parse(R"({"code":2,"message":"bad"})"));
  EXPECT_EQ(parent["status"], json::object());
  EXPECT_EQ(child["events"][0]["name"], "exception");
  EXPECT_TRUE(child["events"][0]["timeUnixNano"].is_string());
}

TEST(OstreamSpanExporterTest, OneJsonObjectPerLine) {
  std::ostringstream out;
  auto provider = make_tracer_provider({.service_name = "lines",
                                        .processors = {std::make_shared<SimpleSpanProcessor>(
                                            std::make_shared<OstreamSpanExporter>(out))}});
  provider->tracer("t").start_span("one");
  provider->tracer("t").start_span("two");
  std::istringstream lines(out.str());
  std::vector<json> records;
  for (std::string line; std::getline(lines, line);) records.push_back(json::parse(line));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0]["name"], "one");
  EXPECT_EQ(records[1]["name"], "two");
  EXPECT_EQ(records[0]["scope"], "t");
  EXPECT_EQ(records[0]["resource"][0]["value"]["stringValue"], "lines");
}

}  // namespace
}  // namespace worker::trace
