// OtlpHttpExporter: sends spans to an OpenTelemetry collector over OTLP/HTTP with JSON encoding
// (POST <endpoint>, default http://127.0.0.1:4318/v1/traces).
//
//   auto exporter = std::make_shared<worker::http::OtlpHttpExporter>(
//       worker::http::OtlpHttpExporterOptions{.endpoint = "http://collector:4318/v1/traces"});
//   auto provider = worker::trace::make_tracer_provider({
//       .service_name = "mailer",
//       .processors = {std::make_shared<worker::trace::BatchSpanProcessor>(exporter)}});
//
// Use it behind a BatchSpanProcessor: an export blocks for the request and its retries.
#pragma once

#include <spdlog/logger.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "worker/trace_sdk.hpp"

namespace worker::http {

struct OtlpHttpExporterOptions {
  std::string endpoint = "http://127.0.0.1:4318/v1/traces";  // http:// or https://
  std::chrono::milliseconds timeout{10000};                  // per request
  int max_retries = 3;  // after the first try, on 429/502/503/504 or no answer
  std::chrono::milliseconds initial_backoff{100};  // doubled per retry
  std::chrono::milliseconds max_backoff{5000};
  std::shared_ptr<spdlog::logger> logger{};  // failures are logged here (default: spdlog's)
};

// Thread-safe. Never throws from export_spans: failures are logged and counted.
class OtlpHttpExporter final : public trace::SpanExporter {
 public:
  // Throws std::invalid_argument naming the option for an invalid endpoint URL, a timeout <= 0
  // or a negative retry count.
  explicit OtlpHttpExporter(OtlpHttpExporterOptions options = {});
  ~OtlpHttpExporter() override;

  bool export_spans(std::span<const trace::SpanData> spans) override;
  void shutdown() override;

  std::size_t exported_spans() const noexcept { return exported_.load(); }
  std::size_t failed_spans() const noexcept { return failed_.load(); }  // dropped after retries
  const std::string& endpoint() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<std::size_t> exported_{0};
  std::atomic<std::size_t> failed_{0};
};

}  // namespace worker::http
