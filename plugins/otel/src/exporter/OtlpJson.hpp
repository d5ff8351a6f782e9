// OtlpJson: encodes spans and metrics as OTLP/JSON export requests (ExportTraceServiceRequest,
// ExportMetricsServiceRequest): lowerCamelCase field names, trace and span ids as lowercase hex,
// 64-bit integers as decimal strings, enums as numbers.
#pragma once

#include <string>
#include <vector>

#include "config/KeyValueList.hpp"
#include "metrics/GenAiMetrics.hpp"
#include "trace/SpanData.hpp"

namespace agent::otel {

/// The resource and instrumentation scope every request names.
struct ExportOrigin {
  KeyValues resource;  // service.name and the rest, as strings
  std::string scopeName;
  std::string scopeVersion;
};

std::string encodeTraces(const ExportOrigin& origin, const std::vector<SpanData>& spans);

std::string encodeMetrics(const ExportOrigin& origin, const MetricsSnapshot& metrics);

}  // namespace agent::otel
