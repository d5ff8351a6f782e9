#include "agent/host/Logger.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <sstream>

namespace agent::host {
namespace {

TEST(LoggerTest, WritesOneFormattedLine) {
  std::ostringstream out;
  Logger logger(out);
  logger.log(LogLevel::Warn, "bitrouter", "BITROUTER_PRIORITY is not an integer");
  const std::regex line(
      R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z WARN  \[bitrouter\] BITROUTER_PRIORITY is not an integer\n)");
  EXPECT_TRUE(std::regex_match(out.str(), line)) << out.str();
}

TEST(LoggerTest, NewlinesInMessagesStayOnOneLine) {
  std::ostringstream out;
  Logger logger(out);
  logger.log(LogLevel::Error, "x", "first\nsecond\r\nthird");
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
  EXPECT_NE(text.find("first second  third"), std::string::npos) << text;
}

TEST(LoggerTest, FiltersBelowThreshold) {
  std::ostringstream out;
  Logger logger(out, LogLevel::Warn);
  logger.log(LogLevel::Info, "x", "hidden");
  logger.log(LogLevel::Debug, "x", "hidden");
  EXPECT_TRUE(out.str().empty());
  EXPECT_FALSE(logger.enabled(LogLevel::Info));
  EXPECT_TRUE(logger.enabled(LogLevel::Error));
  logger.setThreshold(LogLevel::Trace);
  logger.log(LogLevel::Trace, "x", "shown");
  EXPECT_NE(out.str().find("TRACE [x] shown"), std::string::npos);
}

TEST(LoggerTest, ParsesLevelNames) {
  EXPECT_EQ(parseLogLevel("trace"), LogLevel::Trace);
  EXPECT_EQ(parseLogLevel("DEBUG"), LogLevel::Debug);
  EXPECT_EQ(parseLogLevel("info"), LogLevel::Info);
  EXPECT_EQ(parseLogLevel("warn"), LogLevel::Warn);
  EXPECT_EQ(parseLogLevel("error"), LogLevel::Error);
  EXPECT_EQ(parseLogLevel("loud"), std::nullopt);
  EXPECT_EQ(toString(LogLevel::Warn), "WARN");
}

}  // namespace
}  // namespace agent::host
