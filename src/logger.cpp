#include "worker/logger.hpp"

#include <spdlog/details/log_msg.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <iterator>

namespace worker {
namespace {

// Records made by a Logger for a JSON logger start with kFieldsBegin, then the rendered
// fields (`,"k":"v"...`, which never hold a raw control character), then kFieldsEnd, then
// the message. Anything else is a plain message.
constexpr char kFieldsBegin = '\x1e';
constexpr char kFieldsEnd = '\x1f';

// Marks the loggers whose sinks format records as JSON.
class JsonRecords {
 public:
  virtual ~JsonRecords() = default;
};

class JsonLogger final : public spdlog::logger, public JsonRecords {
 public:
  using spdlog::logger::logger;
  std::shared_ptr<spdlog::logger> clone(std::string logger_name) override {
    auto cloned = std::make_shared<JsonLogger>(*this);
    cloned->name_ = std::move(logger_name);
    return cloned;
  }
};

// spdlog's async_logger is final: this logger forwards each record, fields already rendered,
// to an inner async logger that queues it to the thread pool.
class AsyncJsonLogger final : public spdlog::logger, public JsonRecords {
 public:
  AsyncJsonLogger(std::string name, std::shared_ptr<spdlog::async_logger> inner)
      : spdlog::logger(std::move(name)), inner_(std::move(inner)) {}
  std::shared_ptr<spdlog::logger> clone(std::string logger_name) override {
    return std::make_shared<AsyncJsonLogger>(std::move(logger_name), inner_);
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    inner_->log(msg.time, msg.source, msg.level, msg.payload);
  }
  void flush_() override { inner_->flush(); }

 private:
  std::shared_ptr<spdlog::async_logger> inner_;
};

// Characters JSON strings cannot hold as they are: quote, backslash, controls.
constexpr std::array<bool, 256> kNeedsEscape = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[static_cast<std::size_t>(c)] = true;
  table['"'] = true;
  table['\\'] = true;
  return table;
}();

// The index of the first character of `text` from `i` on that needs escaping, or text.size().
// Eight characters at a time (SWAR): a byte is flagged when below 0x20, '"' or '\\'.
std::size_t find_unsafe(std::string_view text, std::size_t i) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const auto has_zero = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    const std::uint64_t below_space = (word - kOnes * 0x20) & ~word & kHigh;
    if ((below_space | has_zero(word ^ (kOnes * '"')) | has_zero(word ^ (kOnes * '\\'))) != 0) {
      break;  // the exact byte is found below
    }
  }
  while (i < text.size() && !kNeedsEscape[static_cast<unsigned char>(text[i])]) ++i;
  return i;
}

// Appends `text` JSON-escaped, copying runs of safe characters in bulk.
template <typename Buffer>
void append_escaped(Buffer& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::size_t size = text.size();
  std::size_t run = 0;
  std::size_t i = 0;
  for (;;) {
    i = find_unsafe(text, i);
    out.append(text.substr(run, i - run));
    if (i == size) return;
    const char c = text[i];
    switch (c) {
      case '"':
        out.append(std::string_view{"\\\""});
        break;
      case '\\':
        out.append(std::string_view{"\\\\"});
        break;
      case '\n':
        out.append(std::string_view{"\\n"});
        break;
      case '\r':
        out.append(std::string_view{"\\r"});
        break;
      case '\t':
        out.append(std::string_view{"\\t"});
        break;
      default: {
        const char escaped[] = {'\\', 'u', '0', '0', kHex[(c >> 4) & 0xF], kHex[c & 0xF]};
        out.append(std::string_view{escaped, sizeof escaped});
      }
    }
    run = ++i;
  }
}

// fmt's buffer::append copies piecewise; growing once then memcpy is several times cheaper for
// the many short pieces of a record.
inline void append_bytes(spdlog::memory_buf_t& buffer, const char* data, std::size_t size) {
  if (size == 0) return;
  const std::size_t old_size = buffer.size();
  buffer.resize(old_size + size);
  std::memcpy(buffer.data() + old_size, data, size);
}

struct BufferAppender {
  spdlog::memory_buf_t& buffer;
  void append(std::string_view text) { append_bytes(buffer, text.data(), text.size()); }
  void push_back(char c) { buffer.push_back(c); }
};

struct StringAppender {
  std::string& text;
  void append(std::string_view more) { text.append(more); }
  void push_back(char c) { text.push_back(c); }
};

std::string_view level_name(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "trace";
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warn";
    case spdlog::level::err:
      return "error";
    case spdlog::level::critical:
      return "critical";
    default:
      return "off";
  }
}

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    BufferAppender out{dest};
    out.append(R"({"level":")");
    out.append(level_name(msg.level));
    out.append(R"(","time":")");
    append_time(msg.time, dest);
    out.push_back('"');
    if (msg.logger_name.size() > 0) {
      out.append(R"(,"logger":")");
      append_escaped(out, std::string_view{msg.logger_name.data(), msg.logger_name.size()});
      out.push_back('"');
    }
    std::string_view payload{msg.payload.data(), msg.payload.size()};
    std::string_view fields;
    if (!payload.empty() && payload.front() == kFieldsBegin) {
      const auto end = payload.find(kFieldsEnd);
      if (end != std::string_view::npos) {
        fields = payload.substr(1, end - 1);
        payload.remove_prefix(end + 1);
      }
    }
    out.append(R"(,"message":")");
    append_escaped(out, payload);
    out.push_back('"');
    out.append(fields);
    out.append("}\n");
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }

 private:
  // RFC 3339 in UTC with microseconds; the seconds part is cached.
  void append_time(spdlog::log_clock::time_point time, spdlog::memory_buf_t& dest) {
    using namespace std::chrono;
    const auto secs = time_point_cast<seconds>(time);
    if (secs != cached_second_) {
      cached_second_ = secs;
      const std::time_t t = spdlog::log_clock::to_time_t(time);
      std::tm tm{};
      gmtime_r(&t, &tm);
      cached_size_ = std::strftime(cached_, sizeof cached_, "%Y-%m-%dT%H:%M:%S", &tm);
    }
    append_bytes(dest, cached_, cached_size_);
    auto micros = static_cast<unsigned>(duration_cast<microseconds>(time - secs).count());
    char fraction[] = ".000000Z";
    for (int i = 6; i >= 1; --i, micros /= 10) fraction[i] = static_cast<char>('0' + micros % 10);
    append_bytes(dest, fraction, 8);
  }

  std::chrono::time_point<spdlog::log_clock, std::chrono::seconds> cached_second_{};
  char cached_[32] = {};
  std::size_t cached_size_ = 0;
};

bool needs_quotes(std::string_view value) {
  if (value.empty()) return true;
  for (const char c : value) {
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) return true;
  }
  return false;
}

// Renders one field: `,"key":"value"` for JSON records, ` key=value` otherwise (the value quoted
// when it must be, or always with `always_quote`).
template <typename Appender>
void append_field(Appender& out, bool json, std::string_view key, std::string_view value,
                  bool always_quote = false) {
  if (json) {
    out.append(",\"");
    append_escaped(out, key);
    out.append("\":\"");
    append_escaped(out, value);
    out.push_back('"');
    return;
  }
  out.push_back(' ');
  out.append(key);
  out.push_back('=');
  if (always_quote || needs_quotes(value)) {
    out.push_back('"');
    append_escaped(out, value);
    out.push_back('"');
  } else {
    out.append(value);
  }
}

}  // namespace

Logger::Logger(std::shared_ptr<spdlog::logger> logger)
    : logger_(logger ? std::move(logger) : spdlog::default_logger()),
      json_(log::is_json_logger(*logger_)) {}

Logger Logger::with(std::string_view key, std::string_view value) const {
  Logger copy = *this;
  copy.add_field(key, value);
  return copy;
}

Logger& Logger::add_field(std::string_view key, std::string_view value) {
  if (key.empty()) return *this;
  StringAppender out{fields_};
  append_field(out, json_, key, value);
  return *this;
}

void Logger::clear_fields() noexcept { fields_.clear(); }

void Logger::log_at(spdlog::log_clock::time_point time, spdlog::level::level_enum level,
                    std::string_view message, std::string_view error) const {
  if (!logger_->should_log(level)) return;
  spdlog::memory_buf_t record;
  BufferAppender out{record};
  if (json_) {
    // Fields first, between the markers the JSON formatter splits on, then the message.
    out.push_back(kFieldsBegin);
    out.append(fields_);
    if (!error.empty()) {
      // append_field(out, true, "error", error), with the key pre-rendered: this runs for every
      // failed attempt.
      out.append(R"(,"error":")");
      append_escaped(out, error);
      out.push_back('"');
    }
    out.push_back(kFieldsEnd);
    out.append(message);
  } else {
    out.append(message);
    out.append(fields_);
    if (!error.empty()) append_field(out, false, "error", error, /*always_quote=*/true);
  }
  logger_->log(time, spdlog::source_loc{}, level,
               spdlog::string_view_t{record.data(), record.size()});
}

namespace log {

std::shared_ptr<spdlog::logger> make_json_logger(std::string name,
                                                 std::vector<spdlog::sink_ptr> sinks) {
  auto logger = std::make_shared<JsonLogger>(std::move(name), sinks.begin(), sinks.end());
  logger->set_formatter(make_json_formatter());
  return logger;
}

std::shared_ptr<spdlog::logger> make_json_logger(std::string name, spdlog::sink_ptr sink) {
  return make_json_logger(std::move(name), std::vector<spdlog::sink_ptr>{std::move(sink)});
}

std::shared_ptr<spdlog::logger> make_async_json_logger(
    std::string name, std::vector<spdlog::sink_ptr> sinks,
    std::shared_ptr<spdlog::details::thread_pool> pool, spdlog::async_overflow_policy policy) {
  auto inner = std::make_shared<spdlog::async_logger>(name, sinks.begin(), sinks.end(),
                                                      std::move(pool), policy);
  inner->set_formatter(make_json_formatter());
  inner->set_level(spdlog::level::trace);  // the outer logger filters
  return std::make_shared<AsyncJsonLogger>(std::move(name), std::move(inner));
}

std::unique_ptr<spdlog::formatter> make_json_formatter() {
  return std::make_unique<JsonFormatter>();
}

bool is_json_logger(const spdlog::logger& logger) noexcept {
  return dynamic_cast<const JsonRecords*>(&logger) != nullptr;
}

void append_json_escaped(std::string& out, std::string_view text) {
  StringAppender appender{out};
  append_escaped(appender, text);
}

}  // namespace log
}  // namespace worker
