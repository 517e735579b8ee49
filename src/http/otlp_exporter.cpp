#include "worker/http/otlp_exporter.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <stdexcept>
#include <thread>

#include "worker/logger.hpp"

namespace worker::http {
namespace {

struct ParsedUrl {
  std::string scheme_host_port;  // what httplib::Client takes
  std::string path;
};

ParsedUrl parse_endpoint(const std::string& url) {
  const auto invalid = [&](const char* why) {
    return std::invalid_argument(
        fmt::format("OtlpHttpExporterOptions.endpoint: invalid URL \"{}\": {}", url, why));
  };
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) throw invalid("expected http://host[:port][/path]");
  const std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") throw invalid("the scheme must be http or https");
  const std::size_t authority_begin = scheme_end + 3;
  const std::size_t path_begin = url.find('/', authority_begin);
  const std::string authority = url.substr(authority_begin, path_begin - authority_begin);
  if (authority.empty()) throw invalid("no host");
  const std::size_t colon = authority.rfind(':');
  const bool bracketed = authority.front() == '[';
  if (colon != std::string::npos && (!bracketed || authority[colon - 1] == ']')) {
    const std::string port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535 ||
        std::stoi(port) == 0) {
      throw invalid("the port must be a number within [1, 65535]");
    }
    if (colon == 0) throw invalid("no host");
  }
  if (authority.find_first_of(" \t@") != std::string::npos) throw invalid("bad characters in host");
  ParsedUrl parsed;
  parsed.scheme_host_port = url.substr(0, path_begin);
  parsed.path = path_begin == std::string::npos ? "/v1/traces" : url.substr(path_begin);
  return parsed;
}

bool retryable(int status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

}  // namespace

struct OtlpHttpExporter::Impl {
  OtlpHttpExporterOptions options;
  ParsedUrl url;
  std::mutex mutex;                         // serialises requests on client
  std::unique_ptr<httplib::Client> client;  // guarded by mutex
  std::atomic<bool> shut_down{false};
};

OtlpHttpExporter::OtlpHttpExporter(OtlpHttpExporterOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->url = parse_endpoint(options.endpoint);
  if (options.timeout.count() <= 0) {
    throw std::invalid_argument(fmt::format(
        "OtlpHttpExporterOptions.timeout must be > 0 ms, got {} ms", options.timeout.count()));
  }
  if (options.max_retries < 0) {
    throw std::invalid_argument(fmt::format(
        "OtlpHttpExporterOptions.max_retries must be >= 0, got {}", options.max_retries));
  }
  if (!options.logger) options.logger = spdlog::default_logger();
  impl_->options = std::move(options);
  impl_->client = std::make_unique<httplib::Client>(impl_->url.scheme_host_port);
  const auto timeout = impl_->options.timeout;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(timeout - seconds);
  impl_->client->set_connection_timeout(seconds.count(), micros.count());
  impl_->client->set_read_timeout(seconds.count(), micros.count());
  impl_->client->set_write_timeout(seconds.count(), micros.count());
}

OtlpHttpExporter::~OtlpHttpExporter() = default;

const std::string& OtlpHttpExporter::endpoint() const noexcept { return impl_->options.endpoint; }

void OtlpHttpExporter::shutdown() { impl_->shut_down = true; }

bool OtlpHttpExporter::export_spans(std::span<const trace::SpanData> spans) {
  if (spans.empty()) return true;
  Logger log(impl_->options.logger);
  if (impl_->shut_down) {
    failed_ += spans.size();
    return false;
  }
  try {
    const std::string body = trace::to_otlp_json(spans);
    auto backoff = impl_->options.initial_backoff;
    std::string last_error;
    for (int attempt = 0; attempt <= impl_->options.max_retries; ++attempt) {
      if (attempt > 0) {
        std::this_thread::sleep_for(backoff);
        backoff = std::min(backoff * 2, impl_->options.max_backoff);
      }
      std::unique_lock lock(impl_->mutex);
      httplib::Result result = impl_->client->Post(impl_->url.path, body, "application/json");
      lock.unlock();
      if (!result) {
        last_error = "no answer: " + httplib::to_string(result.error());
        continue;
      }
      if (result->status >= 200 && result->status < 300) {
        exported_ += spans.size();
        return true;
      }
      last_error = fmt::format("HTTP {}", result->status);
      if (!retryable(result->status)) break;
    }
    failed_ += spans.size();
    log.with("endpoint", impl_->options.endpoint)
        .with("spans", spans.size())
        .log_with_error(spdlog::level::err, "OTLP export failed, spans dropped", last_error);
    return false;
  } catch (const std::exception& e) {
    failed_ += spans.size();
    log.log_with_error(spdlog::level::err, "OTLP export failed, spans dropped", e.what());
    return false;
  }
}

}  // namespace worker::http
