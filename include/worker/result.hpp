// Result: what one run of a worker returns, success or a failure with a message.
//
//   worker::Result run(worker::Context& ctx) override {
//     if (!connected()) return worker::error("broker unreachable");
//     return worker::ok();
//   }
#pragma once

#include <string>
#include <utility>

namespace worker {

// A value type; thread safety is that of std::string.
class Result {
 public:
  Result() = default;  // success

  static Result failure(std::string message) {
    Result result;
    result.failed_ = true;
    result.error_ = std::move(message);
    return result;
  }

  bool ok() const noexcept { return !failed_; }
  // The failure's message; empty when ok().
  const std::string& error() const noexcept { return error_; }

 private:
  bool failed_ = false;
  std::string error_;
};

inline Result ok() { return Result{}; }
inline Result error(std::string message) { return Result::failure(std::move(message)); }

}  // namespace worker
