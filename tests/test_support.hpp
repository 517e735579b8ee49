// Helpers shared by the tests: waiting on a condition with a deadline, and capturing log records.
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "worker/worker.hpp"

namespace worker::testing {

// Generous: CI machines are slow and shared.
inline constexpr std::chrono::seconds kDeadline{20};

// Polls `condition` until it holds or `deadline` passes; returns whether it held.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds deadline = kDeadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return true;
}

inline bool wait_for_status(const WorkerPool& pool, std::string_view name, WorkerStatus status) {
  return eventually([&] {
    try {
      return pool.execution(name)->status() == status;
    } catch (const NotFoundError&) {
      return false;
    }
  });
}

inline bool wait_for_event(const WorkerPool& pool, std::string_view name,
                           std::string_view message) {
  return eventually([&] {
    try {
      return pool.execution(name)->has_event(message);
    } catch (const NotFoundError&) {
      return false;
    }
  });
}

// A sink that keeps every formatted record, one string per line. Thread-safe.
class CaptureSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::string> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    std::string line(formatted.data(), formatted.size());
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    lines_.push_back(std::move(line));
  }
  void flush_() override {}

 private:
  std::vector<std::string> lines_;  // guarded by mutex_
};

// A JSON logger writing into a CaptureSink, at trace level.
struct JsonCapture {
  std::shared_ptr<CaptureSink> sink = std::make_shared<CaptureSink>();
  std::shared_ptr<spdlog::logger> logger = [this] {
    auto made = log::make_json_logger("test", sink);
    made->set_level(spdlog::level::trace);
    return made;
  }();

  std::vector<nlohmann::json> records() const {
    std::vector<nlohmann::json> parsed;
    for (const auto& line : sink->lines()) parsed.push_back(nlohmann::json::parse(line));
    return parsed;
  }

  // How many records hold every expected key with the expected string value.
  std::size_t count(const std::map<std::string, std::string>& expected) const {
    std::size_t n = 0;
    for (const auto& record : records()) {
      bool all = true;
      for (const auto& [key, value] : expected) {
        if (!record.contains(key) || !record[key].is_string() || record[key] != value) {
          all = false;
          break;
        }
      }
      if (all) ++n;
    }
    return n;
  }

  bool has_record(const std::map<std::string, std::string>& expected) const {
    return count(expected) > 0;
  }
};

}  // namespace worker::testing
