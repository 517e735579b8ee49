// The health-check module: the Go module's checker scenarios, plus concurrency, deadlines and
// throwing probes.
#include "healthcheck/checker.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <latch>

namespace healthcheck {
namespace {

using ::testing::ElementsAre;

class TestProbe final : public Probe {
 public:
  TestProbe(std::string name, bool success, std::string message = "")
      : name_(std::move(name)), success_(success), message_(std::move(message)) {}
  std::string name() const override { return name_; }
  ProbeResult check(std::stop_token) override { return {success_, message_}; }

 private:
  std::string name_;
  bool success_;
  std::string message_;
};

std::vector<std::string> names(const std::vector<std::shared_ptr<Probe>>& probes) {
  std::vector<std::string> out;
  for (const auto& probe : probes) out.push_back(probe->name());
  return out;
}

TEST(ProbeKindTest, Names) {
  EXPECT_EQ(to_string(ProbeKind::Startup), "startup");
  EXPECT_EQ(to_string(ProbeKind::Liveness), "liveness");
  EXPECT_EQ(to_string(ProbeKind::Readiness), "readiness");
}

TEST(CheckerTest, ProbesByKindNoKindsMeansAll) {
  Checker checker;
  checker.register_probe(std::make_shared<TestProbe>("all", true));
  checker.register_probe(std::make_shared<TestProbe>("live", true), {ProbeKind::Liveness});
  checker.register_probe(std::make_shared<TestProbe>("ready", true),
                         {ProbeKind::Readiness, ProbeKind::Startup});
  EXPECT_THAT(names(checker.probes()), ElementsAre("all", "live", "ready"));
  EXPECT_THAT(names(checker.probes({ProbeKind::Startup})), ElementsAre("all", "ready"));
  EXPECT_THAT(names(checker.probes({ProbeKind::Liveness})), ElementsAre("all", "live"));
  EXPECT_THAT(names(checker.probes({ProbeKind::Readiness})), ElementsAre("all", "ready"));
}

TEST(CheckerTest, RegisteringANameAgainReplacesItsKinds) {
  Checker checker;
  checker.register_probe(std::make_shared<TestProbe>("probe", true), {ProbeKind::Liveness});
  checker.register_probe(std::make_shared<TestProbe>("probe", false), {ProbeKind::Readiness});
  EXPECT_TRUE(checker.probes({ProbeKind::Liveness}).empty());
  EXPECT_THAT(names(checker.probes({ProbeKind::Readiness})), ElementsAre("probe"));
  EXPECT_FALSE(checker.check(ProbeKind::Readiness).success);
}

TEST(CheckerTest, SuccessWhenAllMatchingProbesSucceed) {
  Checker checker;
  checker.register_probe(std::make_shared<TestProbe>("ok", true, "fine"));
  checker.register_probe(std::make_shared<TestProbe>("ko", false, "broken"),
                         {ProbeKind::Readiness});
  const auto liveness = checker.check(ProbeKind::Liveness);
  EXPECT_TRUE(liveness.success);
  ASSERT_EQ(liveness.probes.size(), 1u);
  EXPECT_EQ(liveness.probes.at("ok").message, "fine");

  const auto readiness = checker.check(ProbeKind::Readiness);
  EXPECT_FALSE(readiness.success);
  ASSERT_EQ(readiness.probes.size(), 2u);
  EXPECT_TRUE(readiness.probes.at("ok").success);
  EXPECT_FALSE(readiness.probes.at("ko").success);
  EXPECT_EQ(readiness.probes.at("ko").message, "broken");
}

TEST(CheckerTest, NoProbeMeansSuccess) {
  Checker checker;
  const auto result = checker.check(ProbeKind::Startup);
  EXPECT_TRUE(result.success);
  EXPECT_TRUE(result.probes.empty());
}

class FunctionProbe final : public Probe {
 public:
  FunctionProbe(std::string name, std::function<ProbeResult(std::stop_token)> fn)
      : name_(std::move(name)), fn_(std::move(fn)) {}
  std::string name() const override { return name_; }
  ProbeResult check(std::stop_token stop) override { return fn_(stop); }

 private:
  std::string name_;
  std::function<ProbeResult(std::stop_token)> fn_;
};

TEST(CheckerTest, ProbesRunConcurrently) {
  // Each probe waits for the other: they finish only if both run at once.
  auto both = std::make_shared<std::latch>(2);
  Checker checker(std::chrono::seconds(20));
  for (const char* name : {"a", "b"}) {
    checker.register_probe(std::make_shared<FunctionProbe>(name, [both](std::stop_token) {
      both->arrive_and_wait();
      return ProbeResult{true, "met"};
    }));
  }
  const auto result = checker.check(ProbeKind::Liveness);
  EXPECT_TRUE(result.success);
  EXPECT_EQ(result.probes.at("a").message, "met");
}

TEST(CheckerTest, OverrunningProbeTimesOutAndIsSignalled) {
  auto stopped = std::make_shared<std::atomic<bool>>(false);
  auto released = std::make_shared<std::latch>(1);
  Checker checker(std::chrono::milliseconds(50));
  checker.register_probe(std::make_shared<FunctionProbe>("slow", [=](std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any cv;
    std::unique_lock lock(mutex);
    cv.wait(lock, stop, [] { return false; });  // until the checker gives up on it
    *stopped = stop.stop_requested();
    released->count_down();
    return ProbeResult{true, "too late"};
  }));
  checker.register_probe(std::make_shared<TestProbe>("fast", true, "quick"));
  const auto result = checker.check(ProbeKind::Readiness);
  EXPECT_FALSE(result.success);
  EXPECT_FALSE(result.probes.at("slow").success);
  EXPECT_EQ(result.probes.at("slow").message, "timeout after 50 ms");
  EXPECT_TRUE(result.probes.at("fast").success);
  released->wait();  // the probe saw its stop token signalled
  EXPECT_TRUE(stopped->load());
}

TEST(CheckerTest, ThrowingProbeFailsWithTheExceptionText) {
  Checker checker;
  checker.register_probe(std::make_shared<FunctionProbe>(
      "thrower", [](std::stop_token) -> ProbeResult { throw std::runtime_error("db down"); }));
  const auto result = checker.check(ProbeKind::Liveness);
  EXPECT_FALSE(result.success);
  EXPECT_EQ(result.probes.at("thrower").message, "db down");
}

TEST(CheckerTest, BadInput) {
  Checker checker;
  EXPECT_THROW(checker.register_probe(nullptr), std::invalid_argument);
  EXPECT_THROW(checker.register_probe(std::make_shared<TestProbe>("", true)),
               std::invalid_argument);
  EXPECT_THROW(Checker(std::chrono::milliseconds(0)), std::invalid_argument);
  EXPECT_THROW(DefaultCheckerFactory().create(with_probe(nullptr, ProbeKind::Liveness)),
               std::invalid_argument);
  try {
    DefaultCheckerFactory().create(with_probe_timeout(std::chrono::milliseconds(-5)));
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("with_probe_timeout"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("-5 ms"));
  }
}

TEST(CheckerFactoryTest, CreatesWithProbesAndTimeout) {
  auto checker = DefaultCheckerFactory().create(
      with_probe(std::make_shared<TestProbe>("live", true), ProbeKind::Liveness),
      with_probe(std::make_shared<TestProbe>("any", true)),
      with_probe_timeout(std::chrono::milliseconds(1234)));
  EXPECT_EQ(checker->probe_timeout(), std::chrono::milliseconds(1234));
  EXPECT_THAT(names(checker->probes({ProbeKind::Liveness})), ElementsAre("any", "live"));
  EXPECT_THAT(names(checker->probes({ProbeKind::Startup})), ElementsAre("any"));
}

}  // namespace
}  // namespace healthcheck
