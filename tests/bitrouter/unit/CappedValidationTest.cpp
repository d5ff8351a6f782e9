#include "schema/CappedValidation.hpp"

#include <cstring>

#include <gtest/gtest.h>

namespace agent::bitrouter {
namespace {

TEST(CappedAllocator, CountsLiveBytesAndRefusesPastTheCap) {
  CappedAllocator allocator(1000);
  void* a = allocator.Malloc(600);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(allocator.liveBytes(), 600u);
  EXPECT_THROW(allocator.Malloc(401), CappedAllocator::Exhausted);
  void* b = allocator.Malloc(400);
  EXPECT_EQ(allocator.liveBytes(), 1000u);
  CappedAllocator::Free(a);
  EXPECT_EQ(allocator.liveBytes(), 400u);
  // Old and new block are both held while the content moves.
  EXPECT_THROW(allocator.Realloc(b, 400, 601), CappedAllocator::Exhausted);
  b = allocator.Realloc(b, 400, 600);
  EXPECT_EQ(allocator.liveBytes(), 600u);
  CappedAllocator::Free(b);
  EXPECT_EQ(allocator.liveBytes(), 0u);
}

TEST(CappedAllocator, ReallocKeepsTheContent) {
  CappedAllocator allocator;
  auto* text = static_cast<char*>(allocator.Malloc(6));
  std::memcpy(text, "hello", 6);
  text = static_cast<char*>(allocator.Realloc(text, 6, 64));
  EXPECT_STREQ(text, "hello");
  CappedAllocator::Free(text);
}

// What the allocator still holds when it goes (an abandoned validation) is freed with it: the
// LeakSanitizer run of the suite fails this test otherwise.
TEST(CappedAllocator, FreesWhatIsLeftWhenDestroyed) {
  CappedAllocator allocator;
  for (int i = 0; i < 100; ++i)
    allocator.Malloc(64 + i);
  EXPECT_GT(allocator.liveBytes(), 0u);
}

TEST(ValidateWithinMemory, ReportsWhetherTheCapHeld) {
  rapidjson::Document schemaJson;
  schemaJson.Parse(R"({"anyOf":[{"items":{"$ref":"#"}},{"items":{"$ref":"#"}}]})");
  const rapidjson::SchemaDocument schema(schemaJson);
  auto validate = [&](const char* json, std::size_t cap, bool& valid) {
    return validateWithinMemory(schema, cap, [&](CappedValidator& validator) {
      rapidjson::Document reply;
      reply.Parse(json);
      valid = reply.Accept(validator);
    });
  };
  bool valid = false;
  EXPECT_TRUE(validate("[[1],[]]", 1 << 20, valid));
  EXPECT_TRUE(valid);
  EXPECT_FALSE(validate("[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]", 1 << 20, valid));
}

}  // namespace
}  // namespace agent::bitrouter
