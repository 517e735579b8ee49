// Logger: the contextual logger of a worker execution, on top of spdlog.
//
// Every record carries pre-rendered fields (the pool adds `worker` and `workerExecutionID`),
// rendered when the record is made, so they survive spdlog's async loggers.
//
//   ctx.logger().info("polled {} messages", count);
//   ctx.logger().with("queue", "orders").warn("queue is lagging");
//
// On a logger made by worker::log::make_json_logger() the fields become JSON keys; on any other
// spdlog logger they are appended to the message as readable `key=value` text.
#pragma once

#include <fmt/format.h>
#include <spdlog/async_logger.h>
#include <spdlog/logger.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace worker {

namespace detail {
class ExecutionEngine;
}

// A value type: a const Logger may be used from any thread; the mutating methods
// (add_field, clear_fields) need exclusive access, like any value.
class Logger {
 public:
  // A null logger means spdlog's default logger.
  explicit Logger(std::shared_ptr<spdlog::logger> logger = nullptr);

  // A copy of this logger with one more field.
  Logger with(std::string_view key, std::string_view value) const;
  template <typename T>
  requires(!std::is_convertible_v<const T&, std::string_view>) Logger
      with(std::string_view key, const T& value)
  const { return with(key, std::string_view{fmt::to_string(value)}); }

  // Appends a field to this logger; an empty key is ignored.
  Logger& add_field(std::string_view key, std::string_view value);
  void clear_fields() noexcept;

  bool should_log(spdlog::level::level_enum level) const noexcept {
    return logger_->should_log(level);
  }
  void log(spdlog::level::level_enum level, std::string_view message) const {
    log_with_error(level, message, {});
  }
  // Logs `message` with this logger's fields and, when `error` is non-empty, a field `error`.
  void log_with_error(spdlog::level::level_enum level, std::string_view message,
                      std::string_view error) const {
    log_at(spdlog::log_clock::now(), level, message, error);
  }
  // The same with the record's time given (to share one clock reading with other records).
  void log_at(spdlog::log_clock::time_point time, spdlog::level::level_enum level,
              std::string_view message, std::string_view error = {}) const;

  template <typename... Args>
  requires(sizeof...(Args) > 0) void log(spdlog::level::level_enum level,
                                         fmt::format_string<Args...> format, Args&&... args) const {
    if (!should_log(level)) return;
    fmt::memory_buffer buffer;
    fmt::format_to(std::back_inserter(buffer), format, std::forward<Args>(args)...);
    log(level, std::string_view{buffer.data(), buffer.size()});
  }

  void trace(std::string_view message) const { log(spdlog::level::trace, message); }
  void debug(std::string_view message) const { log(spdlog::level::debug, message); }
  void info(std::string_view message) const { log(spdlog::level::info, message); }
  void warn(std::string_view message) const { log(spdlog::level::warn, message); }
  void error(std::string_view message) const { log(spdlog::level::err, message); }

  template <typename... Args>
  requires(sizeof...(Args) > 0) void debug(fmt::format_string<Args...> format,
                                           Args&&... args) const {
    log(spdlog::level::debug, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  requires(sizeof...(Args) > 0) void info(fmt::format_string<Args...> format,
                                          Args&&... args) const {
    log(spdlog::level::info, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  requires(sizeof...(Args) > 0) void warn(fmt::format_string<Args...> format,
                                          Args&&... args) const {
    log(spdlog::level::warn, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  requires(sizeof...(Args) > 0) void error(fmt::format_string<Args...> format,
                                           Args&&... args) const {
    log(spdlog::level::err, format, std::forward<Args>(args)...);
  }

  // The spdlog logger records go to.
  spdlog::logger& underlying() const noexcept { return *logger_; }
  const std::shared_ptr<spdlog::logger>& underlying_ptr() const noexcept { return logger_; }

 private:
  friend class detail::ExecutionEngine;  // re-renders only the execution id on restart

  std::shared_ptr<spdlog::logger> logger_;
  bool json_ = false;
  std::string fields_;  // rendered: `,"k":"v"` for JSON loggers, ` k=v` otherwise
};

namespace log {

// A synchronous spdlog logger whose records are one JSON object per line:
// {"level":"info","time":"2026-12-04T15:35:46.123456Z","logger":"<name>","message":"...",<fields>}
// Thread-safe as spdlog loggers are (sinks lock themselves).
std::shared_ptr<spdlog::logger> make_json_logger(std::string name,
                                                 std::vector<spdlog::sink_ptr> sinks);
// The same, for a single sink.
std::shared_ptr<spdlog::logger> make_json_logger(std::string name, spdlog::sink_ptr sink);

// True for loggers made by make_json_logger (their records render fields as JSON keys).
bool is_json_logger(const spdlog::logger& logger) noexcept;

// The same on spdlog's async logger: records (with their fields, already rendered) are queued
// to `pool` and written by its thread. The thread pool must outlive the logger's use.
std::shared_ptr<spdlog::logger> make_async_json_logger(
    std::string name, std::vector<spdlog::sink_ptr> sinks,
    std::shared_ptr<spdlog::details::thread_pool> pool,
    spdlog::async_overflow_policy policy = spdlog::async_overflow_policy::block);

// The formatter of the loggers above: one JSON object per line.
std::unique_ptr<spdlog::formatter> make_json_formatter();

// Escapes `text` for inclusion in a JSON string (quotes, backslash, control characters).
void append_json_escaped(std::string& out, std::string_view text);

}  // namespace log
}  // namespace worker
