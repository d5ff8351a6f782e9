#include "CommandLine.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace agent::host::cli {
namespace {

constexpr std::array<OptionSpec, 4> kSpecs{{
    {"--model", true},
    {"--stop", true},
    {"--json", false},
    {"--help", false},
}};

ParsedArgs parse(std::vector<std::string> args) {
  return parseArguments(args, kSpecs);
}

TEST(CommandLineTest, ValuesFlagsAndPositionals) {
  const auto args = parse({"--model", "TEXT_LARGE", "--json", "hello"});
  EXPECT_EQ(args.value("--model"), "TEXT_LARGE");
  EXPECT_TRUE(args.has("--json"));
  EXPECT_EQ(args.positionals(), (std::vector<std::string>{"hello"}));
}

TEST(CommandLineTest, EqualsFormAndRepeats) {
  const auto args = parse({"--stop=END", "--stop", "STOP", "--model=a", "--model=b"});
  EXPECT_EQ(args.values("--stop"), (std::vector<std::string>{"END", "STOP"}));
  EXPECT_EQ(args.value("--model"), "b");
}

TEST(CommandLineTest, DashIsAPositionalAndDoubleDashEndsOptions) {
  const auto args = parse({"-", "--", "--json"});
  EXPECT_EQ(args.positionals(), (std::vector<std::string>{"-", "--json"}));
  EXPECT_FALSE(args.has("--json"));
}

TEST(CommandLineTest, ShortHelp) {
  EXPECT_TRUE(parse({"-h"}).has("--help"));
}

TEST(CommandLineTest, Errors) {
  EXPECT_THROW(parse({"--frobnicate"}), UsageError);
  EXPECT_THROW(parse({"--model"}), UsageError);
  EXPECT_THROW(parse({"--json=yes"}), UsageError);
  try {
    parse({"--frobnicate"});
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "unknown option --frobnicate");
  }
}

TEST(CommandLineTest, StopsAtFirstPositionalWhenAsked) {
  const std::vector<std::string> args{"--json", "generate", "--model", "x"};
  std::size_t consumed = 0;
  const auto parsed = parseArguments(args, kSpecs, true, &consumed);
  EXPECT_EQ(consumed, 1u);
  EXPECT_TRUE(parsed.has("--json"));
  EXPECT_TRUE(parsed.positionals().empty());
}

}  // namespace
}  // namespace agent::host::cli
