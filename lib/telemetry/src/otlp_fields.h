// Field numbers of the OTLP protos (opentelemetry/proto/*/v1) that the encoders write.
// Internal to lib/telemetry.
#pragma once

#include <cstdint>

namespace orbit::telemetry {

namespace pb {
// collector: Export{Trace,Metrics}ServiceRequest
constexpr uint32_t kResourceSpans = 1, kResourceMetrics = 1;
// Resource{Spans,Metrics}
constexpr uint32_t kResource = 1, kScopeData = 2;
// Resource
constexpr uint32_t kResourceAttributes = 1;
// Scope{Spans,Metrics}
constexpr uint32_t kScope = 1, kScopeItems = 2;
// InstrumentationScope
constexpr uint32_t kScopeNameField = 1;
// KeyValue / AnyValue
constexpr uint32_t kKey = 1, kValue = 2;
constexpr uint32_t kStringValue = 1, kBoolValue = 2, kIntValue = 3, kDoubleValue = 4;
// Span
constexpr uint32_t kTraceId = 1, kSpanId = 2, kTraceState = 3, kParentSpanId = 4, kName = 5,
                   kKind = 6, kStart = 7, kEnd = 8, kAttributes = 9, kEvents = 11, kStatus = 15,
                   kFlags = 16;
// Span.Event
constexpr uint32_t kEventTime = 1, kEventName = 2, kEventAttributes = 3;
// Status
constexpr uint32_t kStatusMessage = 2, kStatusCode = 3;
// Metric
constexpr uint32_t kMetricName = 1, kMetricDescription = 2, kMetricUnit = 3, kGauge = 5, kSum = 7,
                   kHistogram = 9;
// Gauge / Sum / Histogram
constexpr uint32_t kDataPoints = 1, kTemporality = 2, kMonotonic = 3;
constexpr uint64_t kCumulative = 2;
// NumberDataPoint
constexpr uint32_t kNumberAttributes = 7, kPointStart = 2, kPointTime = 3, kAsDouble = 4;
// HistogramDataPoint
constexpr uint32_t kHistCount = 4, kHistSum = 5, kBucketCounts = 6, kExplicitBounds = 7,
                   kHistAttributes = 9;
}  // namespace pb

// Span.flags: the W3C trace flags; every exported span is sampled.
constexpr uint32_t kSampledFlag = 0x01;

}  // namespace orbit::telemetry
