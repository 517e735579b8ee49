// Micro-benchmarks of the parts an attempt is made of: id generation, counter increment,
// a JSON log record with the worker fields, a span from the no-op tracer.
#include <benchmark/benchmark.h>
#include <prometheus/registry.h>

#include <atomic>
#include <worker/worker.hpp>

#include "discarding_sink.hpp"

namespace {

void BM_UuidGenerate(benchmark::State& state) {
  auto generator = worker::make_uuid_generator();
  for (auto _ : state) benchmark::DoNotOptimize(generator->generate());
}
BENCHMARK(BM_UuidGenerate);

void BM_CounterIncrementCached(benchmark::State& state) {
  prometheus::Registry registry;
  worker::WorkerMetrics metrics;
  metrics.register_in(registry);
  worker::WorkerMetrics::WorkerCounters counters(metrics, "worker");
  for (auto _ : state) counters.increment(worker::ExecutionCounter::Started);
}
BENCHMARK(BM_CounterIncrementCached);

void BM_CounterIncrementByName(benchmark::State& state) {
  prometheus::Registry registry;
  worker::WorkerMetrics metrics;
  metrics.register_in(registry);
  for (auto _ : state) metrics.increment("worker", worker::ExecutionCounter::Started);
}
BENCHMARK(BM_CounterIncrementByName);

void BM_JsonLogRecordWithFields(benchmark::State& state) {
  worker::Logger logger(
      worker::log::make_json_logger("bench", std::make_shared<worker::bench::DiscardingSink>()));
  logger.add_field("worker", "bench-worker");
  logger.add_field("workerExecutionID", "9f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b");
  for (auto _ : state) logger.info("starting execution attempt 1/3");
}
BENCHMARK(BM_JsonLogRecordWithFields);

void BM_NoopSpan(benchmark::State& state) {
  auto provider = worker::trace::make_noop_tracer_provider();
  auto& tracer = provider->tracer("bench");
  for (auto _ : state) {
    auto span = tracer.start_span("span");
    benchmark::DoNotOptimize(span.recording());
  }
}
BENCHMARK(BM_NoopSpan);

// Receives spans and keeps only a count: the SDK's cost without the exporter's.
class CountingExporter final : public worker::trace::SpanExporter {
 public:
  bool export_spans(std::span<const worker::trace::SpanData> spans) override {
    count_ += spans.size();
    return true;
  }

 private:
  std::atomic<std::size_t> count_{0};
};

void BM_SdkSpanSimpleProcessor(benchmark::State& state) {
  auto provider = worker::trace::make_tracer_provider(
      {.processors = {std::make_shared<worker::trace::SimpleSpanProcessor>(
           std::make_shared<CountingExporter>())}});
  auto& tracer = provider->tracer("bench");
  for (auto _ : state) {
    auto span = tracer.start_span("span");
    span.set_attribute("n", 1);
  }
}
BENCHMARK(BM_SdkSpanSimpleProcessor);

void BM_SdkSpanBatch(benchmark::State& state) {
  auto processor = std::make_shared<worker::trace::BatchSpanProcessor>(
      std::make_shared<CountingExporter>(),
      worker::trace::BatchSpanProcessorOptions{.max_queue_size = 1 << 16});
  auto provider = worker::trace::make_tracer_provider({.processors = {processor}});
  auto& tracer = provider->tracer("bench");
  for (auto _ : state) {
    auto span = tracer.start_span("span");
  }
  provider->shutdown();
  state.counters["dropped"] = static_cast<double>(processor->dropped_spans());
}
BENCHMARK(BM_SdkSpanBatch);

}  // namespace

BENCHMARK_MAIN();
