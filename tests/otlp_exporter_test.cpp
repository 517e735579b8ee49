// The OTLP/HTTP exporter against a real HTTP receiver on 127.0.0.1:0.
#include "worker/http/otlp_exporter.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "test_support.hpp"

namespace worker::http {
namespace {

using nlohmann::json;

// A collector stand-in: answers the configured statuses in turn (then 200), keeps the bodies.
class Receiver {
 public:
  explicit Receiver(std::vector<int> statuses = {}) : statuses_(std::move(statuses)) {
    server_.Post("/v1/traces",
                 [this](const httplib::Request& request, httplib::Response& response) {
                   std::lock_guard lock(mutex_);
                   bodies_.push_back(request.body);
                   content_types_.push_back(request.get_header_value("Content-Type"));
                   response.status = requests_ < statuses_.size() ? statuses_[requests_] : 200;
                   ++requests_;
                   response.set_content("{}", "application/json");
                 });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string endpoint() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/v1/traces";
  }
  std::vector<std::string> bodies() {
    std::lock_guard lock(mutex_);
    return bodies_;
  }
  std::vector<std::string> content_types() {
    std::lock_guard lock(mutex_);
    return content_types_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<int> statuses_;
  std::size_t requests_ = 0;                // guarded by mutex_
  std::vector<std::string> bodies_;         // guarded by mutex_
  std::vector<std::string> content_types_;  // guarded by mutex_
};

std::vector<trace::SpanData> some_spans() {
  auto exporter = std::make_shared<trace::InMemorySpanExporter>();
  auto provider = trace::make_tracer_provider(
      {.service_name = "otlp-test",
       .processors = {std::make_shared<trace::SimpleSpanProcessor>(exporter)}});
  {
    auto parent = provider->tracer("worker").start_span("parent");
    auto child =
        provider->tracer("worker").start_span("child", {.attributes = {{"n", std::int64_t{3}}}});
  }
  return exporter->spans();
}

TEST(OtlpHttpExporterTest, PostsTheOtlpJsonBody) {
  Receiver receiver;
  OtlpHttpExporter exporter({.endpoint = receiver.endpoint()});
  const auto spans = some_spans();
  ASSERT_TRUE(exporter.export_spans(spans));
  EXPECT_EQ(exporter.exported_spans(), 2u);
  ASSERT_EQ(receiver.bodies().size(), 1u);
  EXPECT_EQ(receiver.content_types()[0], "application/json");
  const auto body = json::parse(receiver.bodies()[0]);
  const auto& resource = body["resourceSpans"][0];
  EXPECT_EQ(resource["resource"]["attributes"][0]["key"], "service.name");
  EXPECT_EQ(resource["resource"]["attributes"][0]["value"]["stringValue"], "otlp-test");
  const auto& scope = resource["scopeSpans"][0];
  EXPECT_EQ(scope["scope"]["name"], "worker");
  ASSERT_EQ(scope["spans"].size(), 2u);
  const auto& child = scope["spans"][0];
  const auto& parent = scope["spans"][1];
  EXPECT_EQ(child["name"], "child");
  EXPECT_EQ(child["traceId"], spans[0].context.trace_id_hex());
  EXPECT_EQ(child["spanId"], spans[0].context.span_id_hex());
  EXPECT_EQ(child["parentSpanId"], parent["spanId"]);
  EXPECT_EQ(child["attributes"][0], json::parse(R"({"key":"n","value":{"intValue":"3"}})"));
  EXPECT_THAT(child["startTimeUnixNano"].get<std::string>(),
              ::testing::MatchesRegex("^[0-9]{19}$"));
}

TEST(OtlpHttpExporterTest, RetriesOn503ThenSucceeds) {
  Receiver receiver({503, 429});
  OtlpHttpExporter exporter({.endpoint = receiver.endpoint(),
                             .max_retries = 3,
                             .initial_backoff = std::chrono::milliseconds(1)});
  EXPECT_TRUE(exporter.export_spans(some_spans()));
  EXPECT_EQ(receiver.bodies().size(), 3u);
  EXPECT_EQ(exporter.exported_spans(), 2u);
  EXPECT_EQ(exporter.failed_spans(), 0u);
}

TEST(OtlpHttpExporterTest, GivesUpOnClientErrorsWithoutRetrying) {
  Receiver receiver({400});
  testing::JsonCapture logs;
  OtlpHttpExporter exporter({.endpoint = receiver.endpoint(), .logger = logs.logger});
  EXPECT_FALSE(exporter.export_spans(some_spans()));
  EXPECT_EQ(receiver.bodies().size(), 1u);
  EXPECT_EQ(exporter.failed_spans(), 2u);
  EXPECT_TRUE(logs.has_record({{"level", "error"},
                               {"message", "OTLP export failed, spans dropped"},
                               {"error", "HTTP 400"}}));
}

TEST(OtlpHttpExporterTest, UnreachableCollectorIsLoggedCountedAndWorkersAreUnaffected) {
  int closed_port = 0;
  {
    Receiver receiver;  // bound then closed: nothing listens there any more
    closed_port = std::stoi(receiver.endpoint().substr(std::string("http://127.0.0.1:").size()));
  }
  testing::JsonCapture logs;
  auto exporter = std::make_shared<OtlpHttpExporter>(OtlpHttpExporterOptions{
      .endpoint = "http://127.0.0.1:" + std::to_string(closed_port) + "/v1/traces",
      .timeout = std::chrono::milliseconds(500),
      .max_retries = 1,
      .initial_backoff = std::chrono::milliseconds(1),
      .logger = logs.logger});
  auto processor = std::make_shared<trace::BatchSpanProcessor>(exporter);
  auto provider = trace::make_tracer_provider({.processors = {processor}});
  WorkerPool pool({with_logger(logs.logger), with_tracer_provider(provider)});
  pool.add(make_worker("traced", [](Context& ctx) { auto span = ctx.tracer().start_span("s"); }));
  pool.start();
  ASSERT_TRUE(testing::wait_for_status(pool, "traced", WorkerStatus::Success));
  pool.stop();
  provider->force_flush(std::chrono::seconds(20));
  EXPECT_EQ(exporter->failed_spans(), 1u);
  EXPECT_EQ(exporter->exported_spans(), 0u);
  EXPECT_TRUE(
      logs.has_record({{"level", "error"}, {"message", "OTLP export failed, spans dropped"}}));
}

TEST(OtlpHttpExporterTest, InvalidEndpointsAreRejectedAtConstruction) {
  for (const char* url : {"127.0.0.1:4318", "ftp://host/v1/traces", "http://", "http://host:0/x",
                          "http://host:99999/x", "http://host:port/x", "http://:4318/x"}) {
    try {
      OtlpHttpExporter exporter({.endpoint = url});
      ADD_FAILURE() << "accepted " << url;
    } catch (const std::invalid_argument& e) {
      EXPECT_THAT(e.what(), ::testing::HasSubstr("OtlpHttpExporterOptions.endpoint: invalid URL"));
      EXPECT_THAT(e.what(), ::testing::HasSubstr(url));
    }
  }
  EXPECT_NO_THROW(OtlpHttpExporter({.endpoint = "http://collector"}));
  EXPECT_EQ(OtlpHttpExporter().endpoint(), "http://127.0.0.1:4318/v1/traces");
  EXPECT_THROW(OtlpHttpExporter({.timeout = std::chrono::milliseconds(0)}), std::invalid_argument);
  EXPECT_THROW(OtlpHttpExporter({.max_retries = -1}), std::invalid_argument);
}

}  // namespace
}  // namespace worker::http
