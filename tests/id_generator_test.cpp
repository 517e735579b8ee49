#include "worker/id_generator.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

namespace worker {
namespace {

TEST(UuidGeneratorTest, Version4LowerCaseCanonicalForm) {
  auto generator = make_uuid_generator();
  for (int i = 0; i < 1000; ++i) {
    const std::string id = generator->generate();
    ASSERT_THAT(id, ::testing::MatchesRegex(
                        "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"))
        << id;
  }
}

TEST(UuidGeneratorTest, UniqueAcrossThreads) {
  auto generator = make_uuid_generator();
  std::mutex mutex;
  std::set<std::string> ids;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> local;
      for (int i = 0; i < 5000; ++i) local.push_back(generator->generate());
      std::lock_guard lock(mutex);
      ids.insert(local.begin(), local.end());
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ids.size(), 20000u);
}

TEST(FixedIdGeneratorTest, AlwaysTheSameId) {
  auto generator = make_fixed_id_generator("fixed");
  EXPECT_EQ(generator->generate(), "fixed");
  EXPECT_EQ(generator->generate(), "fixed");
}

}  // namespace
}  // namespace worker
