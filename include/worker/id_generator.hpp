// IdGenerator: where execution ids come from (one per attempt).
//
//   auto pool =
//   worker::WorkerPool({worker::with_generator(worker::make_fixed_id_generator("id"))});
#pragma once

#include <memory>
#include <string>

namespace worker {

// Implementations must be thread-safe: generate() is called from every worker thread.
class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  virtual std::string generate() = 0;
};

// RFC 9562 version-4 UUIDs, lower-case 8-4-4-4-12, from a per-thread generator seeded from the
// operating system (no system call per id). The default.
std::shared_ptr<IdGenerator> make_uuid_generator();

// Always returns `id`: for tests.
std::shared_ptr<IdGenerator> make_fixed_id_generator(std::string id);

}  // namespace worker
