// Conformance on the official JSON-Schema test suite (Debian package json-schema-test-suite,
// drafts 4, 6 and 7): every case goes through validateJson, the compile-and-validate path the
// plugin uses, with the case's data as the reply. Each verdict is correct (valid/invalid as the
// suite says), refused (the schema is a BadRequest before any request: never a silent success)
// or wrong; any wrong verdict fails the test. Skipped, and counted: what needs a network
// (refRemote.json, $ref to http URLs), formats (the validator does not check format), and
// draft-04's zeroTerminatedFloats (1.0 is an integer from draft 6 on; the validator follows 6+).
// The table printed at the end is the one in docs/structured-output.md.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "schema/StructuredOutput.hpp"

namespace agent::bitrouter {
namespace {

namespace fs = std::filesystem;

struct Counts {
  int correct = 0;
  int refused = 0;
  int wrong = 0;
  int skipped = 0;
};

fs::path suiteRoot() {
  if (const char* dir = std::getenv("JSON_SCHEMA_TEST_SUITE_DIR")) return dir;
  return "/usr/share/json-schema-test-suite/tests";
}

std::string toJson(const rapidjson::Value& value) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  value.Accept(writer);
  return std::string(out.GetString(), out.GetSize());
}

// Why a schema's cases are skipped, or "": a $ref to an http URL needs a network, and format is
// an annotation here (the validator does not check any format).
std::string groupSkipReason(const rapidjson::Value& value) {
  if (value.IsObject()) {
    for (const auto& member : value.GetObject()) {
      const std::string_view name = member.name.GetString();
      if (name == "$ref" && member.value.IsString() &&
          std::string_view(member.value.GetString()).rfind("http", 0) == 0) {
        return "remote $ref (needs a network)";
      }
      if (name == "format" && member.value.IsString()) {
        return std::string("format is not checked (") + member.value.GetString() + ")";
      }
      if (std::string why = groupSkipReason(member.value); !why.empty()) return why;
    }
  } else if (value.IsArray()) {
    for (const auto& item : value.GetArray()) {
      if (std::string why = groupSkipReason(item); !why.empty()) return why;
    }
  }
  return {};
}

// Why a whole file is skipped, or "".
std::string skipReason(const std::string& draft, const fs::path& relative) {
  if (relative.filename() == "refRemote.json") return "remote $ref (needs a network)";
  if (draft == "draft4" && relative.filename() == "zeroTerminatedFloats.json") {
    return "draft-04 only: 1.0 is not an integer (drafts 6+ say it is)";
  }
  return {};
}

std::vector<fs::path> caseFiles(const fs::path& draftDir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(draftDir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(fs::relative(entry.path(), draftDir));
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(SchemaConformance, OfficialSuiteDrafts4To7HasNoWrongVerdict) {
  const fs::path root = suiteRoot();
  ASSERT_TRUE(fs::is_directory(root / "draft7"))
      << "the JSON-Schema test suite is not installed at " << root
      << ": run scripts/bootstrap.sh (Debian package json-schema-test-suite), or set "
         "JSON_SCHEMA_TEST_SUITE_DIR";

  std::map<std::string, Counts> perFile;  // "draft/file"
  std::map<std::string, Counts> perDraft;
  std::map<std::string, std::set<std::string>> skipped;  // "draft/file" -> why
  std::set<std::string> refusals;                        // "draft/file: why"
  for (const std::string draft : {"draft4", "draft6", "draft7"}) {
    for (const fs::path& relative : caseFiles(root / draft)) {
      const std::string name = draft + "/" + relative.generic_string();
      std::ifstream in(root / draft / relative, std::ios::binary);
      const std::string text((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
      rapidjson::Document groups;
      groups.Parse(text.data(), text.size());
      ASSERT_FALSE(groups.HasParseError()) << name;
      const std::string fileSkip = skipReason(draft, relative);
      Counts& counts = perFile[name];
      for (const auto& group : groups.GetArray()) {
        const std::string schema = toJson(group["schema"]);
        const std::string why = fileSkip.empty() ? groupSkipReason(group["schema"]) : fileSkip;
        const bool skip = !why.empty();
        if (skip) skipped[name].insert(why);
        for (const auto& test : group["tests"].GetArray()) {
          if (skip) {
            ++counts.skipped;
            continue;
          }
          const bool expected = test["valid"].GetBool();
          const std::string data = toJson(test["data"]);
          const Expected<std::string> verdict = validateJson(schema, data);
          if (!verdict.ok() && verdict.error().kind == ErrorKind::BadRequest) {
            ++counts.refused;
            refusals.insert(name + ": " + verdict.error().message);
          } else if (verdict.ok() == expected &&
                     (verdict.ok() || verdict.error().kind == ErrorKind::BadResponse)) {
            ++counts.correct;
          } else {
            ++counts.wrong;
            ADD_FAILURE() << name << ": " << group["description"].GetString() << " / "
                          << test["description"].GetString() << "\n  schema: " << schema
                          << "\n  data: " << data << "\n  expected "
                          << (expected ? "valid" : "invalid") << ", got "
                          << (verdict.ok() ? "valid" : verdict.error().message);
          }
        }
      }
      Counts& total = perDraft[draft];
      total.correct += counts.correct;
      total.refused += counts.refused;
      total.wrong += counts.wrong;
      total.skipped += counts.skipped;
    }
  }

  // One row per keyword file, one column per draft: correct / refused / wrong / skipped.
  const std::vector<std::string> drafts{"draft4", "draft6", "draft7"};
  std::set<std::string> keywordFiles;
  for (const auto& [name, counts] : perFile)
    keywordFiles.insert(name.substr(name.find('/') + 1));
  auto cell = [](const Counts& counts) {
    return std::to_string(counts.correct) + " / " + std::to_string(counts.refused) + " / " +
           std::to_string(counts.wrong) + " / " + std::to_string(counts.skipped);
  };
  std::ostringstream table;
  table << "| Keyword file | draft4 | draft6 | draft7 |\n|---|---|---|---|\n";
  for (const std::string& file : keywordFiles) {
    table << "| " << file;
    for (const std::string& draft : drafts) {
      const auto found = perFile.find(draft + "/" + file);
      table << " | " << (found == perFile.end() ? std::string("-") : cell(found->second));
    }
    table << " |\n";
  }
  table << "| **all**";
  for (const std::string& draft : drafts)
    table << " | **" << cell(perDraft[draft]) << "**";
  table << " |\n";
  table << "\nRefused schemas:\n";
  for (const std::string& refusal : refusals)
    table << "- " << refusal << "\n";
  table << "\nSkipped:\n";
  for (const auto& [name, reasons] : skipped) {
    table << "- " << name << ":";
    for (const std::string& why : reasons)
      table << " " << why << ";";
    table << "\n";
  }
  std::printf("%s", table.str().c_str());
}

}  // namespace
}  // namespace agent::bitrouter

namespace agent::bitrouter {
namespace {

// The schema that crashed the host (SIGSEGV in Release builds): kept here too, so that this
// small executable checks it in any build type.
TEST(SchemaConformance, NonAsciiPatternBesideAdditionalPropertiesFalse) {
  constexpr std::string_view kSchema =
      R"({"patternProperties":{"^á":{}},"additionalProperties":false})";
  const Expected<std::string> valid = validateJson(kSchema, R"({"ármányos":2})");
  ASSERT_TRUE(valid.ok()) << valid.error().message;
  EXPECT_EQ(valid.value(), R"({"ármányos":2})");
  const Expected<std::string> invalid = validateJson(kSchema, R"({"ármányos":2,"b":1})");
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().kind, ErrorKind::BadResponse);
}

}  // namespace
}  // namespace agent::bitrouter
