// Load errors as a plugin author reads them, and the descriptor reader on bytes that are not a
// well-formed descriptor (each a one-line reason, never a crash).
#include <elf.h>

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>

#include "agent/PluginEntry.hpp"
#include "loader/LoadErrors.hpp"
#include "loader/PluginDescriptor.hpp"
#include "support/TestSupport.hpp"

namespace agent::host {
namespace {

TEST(LoadErrorsTest, DemanglesCxxNames) {
  EXPECT_EQ(demangleNames("x.so: undefined symbol: _ZN5agent4host3fooEi"),
            "x.so: undefined symbol: agent::host::foo(int)");
  EXPECT_EQ(demangleNames("no names here"), "no names here");
  EXPECT_EQ(demangleNames("_Zgarbage"), "_Zgarbage");
}

TEST(LoadErrorsTest, KeepsDlerrorOnlyAndAddsAHint) {
  const std::string line = describeLoadFailure(
      "boost::dll::shared_library::load() failed (dlerror system message: /p/x.so: undefined "
      "symbol: _ZN5agent3barEv): Bad file descriptor");
  EXPECT_EQ(line.rfind("cannot load: /p/x.so: undefined symbol: agent::bar()", 0), 0u) << line;
  EXPECT_EQ(line.find("Bad file descriptor"), std::string::npos) << line;
  EXPECT_NE(line.find("--no-undefined"), std::string::npos) << line;

  const std::string missing = describeLoadFailure(
      "boost::dll::shared_library::load() failed (dlerror system message: libnope.so.1: cannot "
      "open shared object file: No such file or directory): Bad file descriptor");
  EXPECT_NE(missing.find("a library the plugin needs is missing"), std::string::npos) << missing;
}

std::string header(std::uint32_t abi, std::uint32_t manifestSize) {
  AgentPluginDescriptorHeader h{};
  std::memcpy(h.magic, AGENT_PLUGIN_MAGIC, 8);
  h.abiVersion = abi;
  h.cxxAbiTag = cxxAbiTag();
  h.layoutFingerprint = detail::layoutFingerprint();
  h.manifestSize = manifestSize;
  return std::string(reinterpret_cast<const char*>(&h), sizeof h);
}

std::string reason(std::string_view bytes) {
  auto parsed = parsePluginDescriptor(bytes);
  return parsed ? std::string() : parsed.error();
}

TEST(PluginDescriptorTest, RefusesWhatIsNotAWellFormedDescriptor) {
  using namespace std::string_literals;
  EXPECT_NE(reason("short").find("too short"), std::string::npos);
  EXPECT_NE(reason(std::string(64, 'x')).find("no agent-host plugin descriptor"),
            std::string::npos);
  EXPECT_NE(reason(header(1, 0)).find("plugin ABI version 1, host expects 3"), std::string::npos);
  EXPECT_NE(reason(header(AGENT_PLUGIN_ABI_VERSION, 50) + "name\0x\0"s).find("cut short"),
            std::string::npos);
  EXPECT_NE(reason(header(AGENT_PLUGIN_ABI_VERSION, 6) + "name\0x"s).find("cut short"),
            std::string::npos);
  EXPECT_NE(reason(header(AGENT_PLUGIN_ABI_VERSION, 0)).find("no manifest name"),
            std::string::npos);
  EXPECT_NE(
      reason(header(AGENT_PLUGIN_ABI_VERSION, 22) + "priority\0zzzzzzzzzzzz\0"s).find("priority"),
      std::string::npos);
  const std::string orphan =
      "settingSecret\0"
      "1\0name\0x\0"s;
  EXPECT_NE(
      reason(header(AGENT_PLUGIN_ABI_VERSION, static_cast<std::uint32_t>(orphan.size())) + orphan)
          .find("before naming it"),
      std::string::npos);
}

TEST(PluginDescriptorTest, DecodesAManifestAndIgnoresUnknownTags) {
  using namespace std::string_literals;
  const std::string manifest =
      "name\0p\0futureField\0whatever\0setting\0K\0settingDefault\0d\0settingSecret\0"
      "1\0modelType\0TEXT_SMALL\0modelType\0A_FUTURE_TYPE\0"s;
  auto parsed = parsePluginDescriptor(
      header(AGENT_PLUGIN_ABI_VERSION, static_cast<std::uint32_t>(manifest.size())) + manifest);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  const auto& descriptor = parsed.value();
  EXPECT_EQ(descriptor.name, "p");
  ASSERT_EQ(descriptor.settings.size(), 1u);
  EXPECT_EQ(descriptor.settings[0].key, "K");
  EXPECT_EQ(descriptor.settings[0].defaultValue, "d");
  EXPECT_TRUE(descriptor.settings[0].secret);
  EXPECT_EQ(descriptor.modelTypes, std::vector<ModelType>{ModelType::TextSmall});
}

// A real plugin file with one field of its ELF headers corrupted: always a one-line reason.
class CorruptElfTest : public ::testing::Test {
 protected:
  std::string readerSays(const std::function<void(std::string&)>& corrupt) {
    std::ifstream in(TEST_PLUGIN_ALPHA, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    corrupt(bytes);
    const auto file = dir_.write("corrupt.so", bytes);
    auto read = readPluginDescriptor(file);
    return read ? std::string() : read.error();
  }

  static Elf64_Ehdr& header(std::string& bytes) {
    return *reinterpret_cast<Elf64_Ehdr*>(bytes.data());
  }

  // The section header of the agentplg section.
  static Elf64_Shdr& descriptorSection(std::string& bytes) {
    const Elf64_Ehdr& h = header(bytes);
    auto* sections = reinterpret_cast<Elf64_Shdr*>(bytes.data() + h.e_shoff);
    const char* names = bytes.data() + sections[h.e_shstrndx].sh_offset;
    for (int i = 0; i < h.e_shnum; ++i) {
      if (std::strcmp(names + sections[i].sh_name, AGENT_PLUGIN_SECTION_NAME) == 0) {
        return sections[i];
      }
    }
    throw std::runtime_error("no agentplg section");
  }

  test::TempDir dir_;
};

TEST_F(CorruptElfTest, TheUntouchedFileReads) {
  EXPECT_EQ(readerSays([](std::string&) {}), "");
}

TEST_F(CorruptElfTest, BrokenHeadersAreOneLineReasons) {
  EXPECT_NE(readerSays([](std::string& b) { header(b).e_shoff = ~0ull; }).find("section table"),
            std::string::npos);
  EXPECT_NE(readerSays([](std::string& b) { header(b).e_shnum = 0xffff; }).find("section table"),
            std::string::npos);
  EXPECT_NE(readerSays([](std::string& b) { header(b).e_shstrndx = 0xfff0; }).find("section"),
            std::string::npos);
  EXPECT_NE(readerSays([](std::string& b) { header(b).e_shentsize = 7; }).find("section table"),
            std::string::npos);
  EXPECT_NE(readerSays([](std::string& b) {
              header(b).e_machine = EM_ARM;
            }).find("built for another machine"),
            std::string::npos);
  EXPECT_NE(
      readerSays([](std::string& b) { header(b).e_type = ET_EXEC; }).find("not a shared library"),
      std::string::npos);
  EXPECT_NE(readerSays([](std::string& b) {
              b[EI_CLASS] = ELFCLASS32;
            }).find("built for another machine"),
            std::string::npos);
}

TEST_F(CorruptElfTest, BrokenDescriptorSectionIsAOneLineReason) {
  EXPECT_NE(readerSays([](std::string& b) {
              descriptorSection(b).sh_offset = ~0ull - 8;
            }).find("truncated section agentplg"),
            std::string::npos);
  EXPECT_NE(readerSays([](std::string& b) {
              descriptorSection(b).sh_size = 1ull << 40;
            }).find("agentplg"),
            std::string::npos);
  EXPECT_NE(readerSays([](std::string& b) { descriptorSection(b).sh_size = 8; }).find("too short"),
            std::string::npos);
  EXPECT_NE(readerSays([](std::string& b) {
              descriptorSection(b).sh_type = SHT_NOBITS;
            }).find("truncated section agentplg"),
            std::string::npos);
}

}  // namespace
}  // namespace agent::host
