#include "worker/logger.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/async.h>
#include <spdlog/details/thread_pool.h>

#include "test_support.hpp"

namespace worker {
namespace {

using testing::CaptureSink;
using ::testing::HasSubstr;
using testing::JsonCapture;

TEST(JsonLoggerTest, RecordsAreOneJsonObjectPerLineWithFields) {
  JsonCapture capture;
  Logger logger(capture.logger);
  logger.with("worker", "W").with("count", 3).info("hello {}", "world");
  logger.warn("plain");
  const auto records = capture.records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0]["level"], "info");
  EXPECT_EQ(records[0]["message"], "hello world");
  EXPECT_EQ(records[0]["worker"], "W");
  EXPECT_EQ(records[0]["count"], "3");
  EXPECT_EQ(records[0]["logger"], "test");
  const std::string time = records[0]["time"];
  EXPECT_THAT(time, ::testing::MatchesRegex(
                        R"(^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$)"));
  EXPECT_EQ(records[1]["level"], "warn");
  EXPECT_FALSE(records[1].contains("worker"));  // `with` returned copies
}

TEST(JsonLoggerTest, EscapesStringsCorrectly) {
  JsonCapture capture;
  Logger logger(capture.logger);
  const std::string nasty = "quote\" backslash\\ newline\n tab\t ctrl\x01 sep\x1f rs\x1e é";
  logger.with(nasty, nasty).log_with_error(spdlog::level::err, nasty, nasty);
  const auto records = capture.records();  // parses: the line is valid JSON
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]["message"], nasty);
  EXPECT_EQ(records[0][nasty], nasty);
  EXPECT_EQ(records[0]["error"], nasty);
  EXPECT_EQ(records[0]["level"], "error");
}

TEST(JsonLoggerTest, DirectSpdlogCallsStayValidJson) {
  JsonCapture capture;
  capture.logger->info("direct {}", 1);
  capture.logger->info(std::string("\x1e starts like a record"));
  const auto records = capture.records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0]["message"], "direct 1");
  EXPECT_EQ(records[1]["message"], "\x1e starts like a record");
}

TEST(JsonLoggerTest, LevelsBelowTheLoggersAreSkipped) {
  JsonCapture capture;
  capture.logger->set_level(spdlog::level::warn);
  Logger logger(capture.logger);
  EXPECT_FALSE(logger.should_log(spdlog::level::info));
  logger.info("dropped");
  logger.debug("dropped {}", 1);
  logger.error("kept");
  ASSERT_EQ(capture.records().size(), 1u);
  EXPECT_EQ(capture.records()[0]["message"], "kept");
}

TEST(JsonLoggerTest, EmptyKeysAreIgnoredAndFieldsCanBeCleared) {
  JsonCapture capture;
  Logger logger(capture.logger);
  logger.add_field("", "ignored").add_field("a", "1");
  logger.info("one");
  logger.clear_fields();
  logger.info("two");
  const auto records = capture.records();
  EXPECT_EQ(records[0]["a"], "1");
  EXPECT_EQ(records[0].size(), 5u);  // level, time, logger, message, a
  EXPECT_FALSE(records[1].contains("a"));
}

TEST(PlainLoggerTest, FieldsAreReadableKeyValueText) {
  auto sink = std::make_shared<CaptureSink>();
  sink->set_pattern("%l %v");
  auto plain = std::make_shared<spdlog::logger>("plain", sink);
  EXPECT_FALSE(log::is_json_logger(*plain));
  Logger logger(plain);
  logger.with("worker", "W")
      .with("note", "two words")
      .log_with_error(spdlog::level::err, "failed", "bad \"x\"");
  ASSERT_EQ(sink->lines().size(), 1u);
  EXPECT_EQ(sink->lines()[0], R"(error failed worker=W note="two words" error="bad \"x\"")");
}

TEST(AsyncJsonLoggerTest, FieldsSurviveTheAsyncQueue) {
  auto pool = std::make_shared<spdlog::details::thread_pool>(128, 1);
  auto sink = std::make_shared<CaptureSink>();
  auto async = log::make_async_json_logger("async", {sink}, pool);
  EXPECT_TRUE(log::is_json_logger(*async));
  Logger logger(async);
  {
    Logger scoped = logger.with("worker", "temporary");
    scoped.info("from a logger that is gone before the record is written");
  }
  async->flush();
  ASSERT_TRUE(testing::eventually([&] { return sink->lines().size() == 1; }));
  const auto record = nlohmann::json::parse(sink->lines()[0]);
  EXPECT_EQ(record["worker"], "temporary");
  EXPECT_EQ(record["logger"], "async");
}

TEST(JsonLoggerTest, CloneKeepsJsonRecords) {
  JsonCapture capture;
  auto cloned = capture.logger->clone("cloned");
  EXPECT_TRUE(log::is_json_logger(*cloned));
  Logger(cloned).with("k", "v").info("m");
  EXPECT_TRUE(capture.has_record({{"logger", "cloned"}, {"k", "v"}, {"message", "m"}}));
}

TEST(JsonEscapeTest, AppendJsonEscaped) {
  std::string out;
  log::append_json_escaped(out, "a\"b\\c\n\x02");
  EXPECT_EQ(out, "a\\\"b\\\\c\\n\\u0002");
}

}  // namespace
}  // namespace worker
