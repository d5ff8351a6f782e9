#include "support/TestSupport.hpp"

#include <fstream>
#include <string>

namespace agent::host::test {

bool isMapped(const std::filesystem::path& path) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  const std::string needle = path.string();
  while (std::getline(maps, line)) {
    if (line.size() >= needle.size() &&
        line.compare(line.size() - needle.size(), needle.size(), needle) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace agent::host::test
