#include "transport/RequestId.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>

namespace agent::bitrouter {
namespace {

TEST(RequestId, IsALowercaseUuidV4) {
  const std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  for (int i = 0; i < 1000; ++i) {
    const std::string id = newRequestId();
    ASSERT_TRUE(std::regex_match(id, uuid)) << id;
  }
}

TEST(RequestId, IsFreshEveryTimeAcrossThreads) {
  std::set<std::string> ids;
  std::mutex mutex;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        std::string id = newRequestId();
        std::lock_guard<std::mutex> lock(mutex);
        ids.insert(std::move(id));
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(ids.size(), 8000u);
}

}  // namespace
}  // namespace agent::bitrouter
