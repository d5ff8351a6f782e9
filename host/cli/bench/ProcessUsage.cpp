#include "ProcessUsage.hpp"

#include <sys/resource.h>

namespace agent::bench {
namespace {

std::chrono::microseconds toMicros(const timeval& value) {
  return std::chrono::seconds(value.tv_sec) + std::chrono::microseconds(value.tv_usec);
}

}  // namespace

ProcessUsage ProcessUsage::now() noexcept {
  rusage usage{};
  ProcessUsage result;
  if (getrusage(RUSAGE_SELF, &usage) != 0) return result;
  result.userCpu = toMicros(usage.ru_utime);
  result.systemCpu = toMicros(usage.ru_stime);
  result.peakRssKb = usage.ru_maxrss;  // Linux reports kilobytes
  return result;
}

}  // namespace agent::bench
