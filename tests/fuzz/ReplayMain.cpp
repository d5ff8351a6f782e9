// Runs a fuzz target over files without libFuzzer, so the seed corpus and every crash found
// (regressions/<target>/) are re-checked by ctest in every build, sanitized or not:
//   <target>_replay DIR_OR_FILE...
// It also runs the deeply nested inputs (a million levels) no committed corpus should carry, since
// they would set libFuzzer's max_len to 100 KB and slow every run down.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

// Every target reads these differently (a body, a stream after one seed byte, "schema LF reply",
// a character file); together they put a million levels in front of each parser.
std::vector<std::string> deepInputs() {
  constexpr std::size_t kDepth = 1000000;  // a recursive parser overflows 8 MiB long before
  const std::string open(kDepth, '[');
  std::string objects;
  for (std::size_t i = 0; i < kDepth; ++i)
    objects += "{\"a\":";
  return {
      open,
      open + std::string(kDepth, ']'),
      objects,
      "{\"error\":" + objects,
      "{\"choices\":[{\"message\":{\"content\":" + open,
      "xdata: " + open + "\n\n",
      "xdata: {\"choices\":[{\"delta\":{\"content\":" + open + "\n\n",
      "{}\n" + open,
      "{\"type\":\"object\",\"properties\":{\"a\":" + objects,
      "{\"name\":\"n\",\"settings\":" + objects,
  };
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path path(argv[i]);
    if (std::filesystem::is_directory(path)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else if (std::filesystem::exists(path)) {
      files.push_back(path);
    }
  }
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replay %s (%zu bytes)\n", file.c_str(), bytes.size());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  const auto deep = deepInputs();
  for (const auto& bytes : deep) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  std::printf("%zu inputs and %zu deeply nested ones replayed\n", files.size(), deep.size());
  return 0;
}
