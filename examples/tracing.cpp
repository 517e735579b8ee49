// Tracing: spans from workers, annotated with the worker and its execution id, one span per
// attempt, exported as JSON lines on stdout (swap in worker::http::OtlpHttpExporter to send them
// to a collector).
#include <chrono>
#include <iostream>
#include <thread>
#include <worker/worker.hpp>

int main() {
  auto exporter = std::make_shared<worker::trace::OstreamSpanExporter>(std::cout);
  auto provider = worker::trace::make_tracer_provider(
      {.service_name = "tracing-example",
       .processors = {std::make_shared<worker::trace::BatchSpanProcessor>(exporter)}});
  // Every span started on a worker's thread during a run gets Worker and WorkerExecutionID.
  worker::trace::annotate_tracer_provider(*provider);

  worker::WorkerPool pool({worker::with_tracer_provider(provider),
                           worker::with_execution_spans(),  // a `worker.execution` span per attempt
                           worker::with_global_max_executions_attempts(2)});

  pool.add(worker::make_worker("importer", [](worker::Context& ctx) -> worker::Result {
    auto span = ctx.tracer().start_span("import batch");  // a child of the attempt's span
    span.set_attribute("batch.size", 42);
    if (ctx.attempt() == 1) {
      span.set_status(worker::trace::StatusCode::Error, "database busy");
      return worker::error("database busy");  // restarted: the next attempt's span links here
    }
    return worker::ok();
  }));

  pool.start();
  while (!pool.execution("importer")->has_event("stopping execution attempt 2/2 with success")) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  pool.stop();
  provider->shutdown();  // exports what the batch processor still holds
  return 0;
}
