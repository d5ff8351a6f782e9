#include "schema/CompiledSchema.hpp"

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "schema/JsonNumber.hpp"
#include "schema/JsonText.hpp"
#include "schema/KeywordPolicy.hpp"
#include "schema/MetaSchema.hpp"
#include "schema/SchemaLimits.hpp"
#include "schema/SchemaNormalizer.hpp"
#include "schema/SchemaSafety.hpp"
#include "schema/StrictSchema.hpp"

namespace agent::bitrouter {
namespace {

ModelError badRequest(std::string what) {
  return makeError(ErrorKind::BadRequest, std::move(what));
}

}  // namespace

Expected<std::shared_ptr<const CompiledSchema>> CompiledSchema::compile(
    std::string_view schemaJson) {
  if (jsonNestingDepth(schemaJson) > kMaxSchemaNesting) {
    return badRequest("responseSchema nests deeper than " + std::to_string(kMaxSchemaNesting) +
                      " levels");
  }
  rapidjson::Document original;
  rapidjson::ParseResult parsed;
  bool numberTooBig = false;
  auto parse = [&](rapidjson::Document& document) {
    ExactNumberHandler<rapidjson::Document> exact{document};
    rapidjson::MemoryStream input(schemaJson.data(), schemaJson.size());
    rapidjson::Reader reader;
    parsed = reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag>(
        input, exact);
    numberTooBig = exact.numberTooBig;
    return !parsed.IsError();
  };
  original.Populate(parse);
  if (std::string problem = parseProblem("responseSchema", parsed, numberTooBig);
      !problem.empty()) {
    return badRequest(std::move(problem));
  }
  // true and false are schemas too (draft-06+); the normaliser turns them into objects.
  if (!original.IsObject() && !original.IsBool()) {
    return badRequest("responseSchema must be a JSON object (or true or false)");
  }
  if (std::string problem = repeatedNameProblem("responseSchema", original); !problem.empty()) {
    return badRequest(std::move(problem));
  }
  if (std::string problem = keywordPolicyProblem(original); !problem.empty()) {
    return badRequest(std::move(problem));
  }

  std::shared_ptr<CompiledSchema> compiled(new CompiledSchema());
  rapidjson::StringBuffer compact;
  rapidjson::Writer<rapidjson::StringBuffer> writer(compact);
  original.Accept(writer);
  compiled->compact_.assign(compact.GetString(), compact.GetSize());
  compiled->strictProblem_ = agent::bitrouter::strictModeProblem(original);

  rapidjson::Document& normalized = compiled->normalized_;
  normalized.CopyFrom(original, normalized.GetAllocator());
  if (std::string problem = SchemaNormalizer::normalize(normalized); !problem.empty()) {
    return badRequest(problem);
  }
  if (std::string problem = SchemaNormalizer::checkReferences(normalized); !problem.empty()) {
    return badRequest(problem);
  }
  if (std::string problem = SchemaSafety::check(normalized); !problem.empty()) {
    return badRequest(problem);
  }

  if (std::string problem = metaSchemaProblem(normalized, "#"); !problem.empty()) {
    return badRequest(std::move(problem));
  }
  compiled->schema_ = std::make_unique<rapidjson::SchemaDocument>(normalized);
  return std::shared_ptr<const CompiledSchema>(std::move(compiled));
}

}  // namespace agent::bitrouter
