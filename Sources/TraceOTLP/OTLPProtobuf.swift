import Foundation
import SwiftProtobuf
import TraceInterchange

/// OTLP trace data in its protobuf encoding, as ``OTLPSpan``s: the spans of
/// an `ExportTraceServiceRequest` (the generated code beside this file,
/// from opentelemetry-proto, is committed).
enum OTLPProtobuf {
    /// The spans of a request, and what was wrong with the others.
    static func spans(_ body: Data) throws -> (spans: [OTLPSpan], rejected: [String]) {
        let request = try Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest(serializedBytes: body)
        var spans: [OTLPSpan] = []
        var rejected: [String] = []
        for resourceSpans in request.resourceSpans {
            let resource = resourceSpans.resource.attributes.map { ($0.key, value($0.value)) }
            for scope in resourceSpans.scopeSpans {
                for span in scope.spans {
                    guard let traceID = hex(span.traceID, bytes: 16) else {
                        rejected.append("a span without a valid trace id")
                        continue
                    }
                    guard let spanID = hex(span.spanID, bytes: 8) else {
                        rejected.append("a span without a valid span id")
                        continue
                    }
                    let start = Int64(clamping: span.startTimeUnixNano), end = Int64(clamping: span.endTimeUnixNano)
                    guard end >= start else {
                        rejected.append("span \(spanID): ends before it starts (\(end) < \(start))")
                        continue
                    }
                    spans.append(OTLPSpan(
                        traceID: traceID, spanID: spanID, parentSpanID: span.parentSpanID.isEmpty ? nil : hex(span.parentSpanID, bytes: 8),
                        name: span.name, kind: span.kind.rawValue, start: start, end: end,
                        attributes: span.attributes.map { ($0.key, value($0.value)) },
                        statusCode: span.status.code.rawValue, statusMessage: span.status.message.isEmpty ? nil : span.status.message,
                        resource: resource))
                }
            }
        }
        return (spans, rejected)
    }

    /// An encoded `ExportTraceServiceResponse`: empty, or a partial success.
    static func response(rejected: Int, message: String) -> Data {
        var response = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse()
        if rejected > 0 {
            response.partialSuccess.rejectedSpans = Int64(rejected)
            response.partialSuccess.errorMessage = message
        }
        return (try? response.serializedData()) ?? Data()
    }

    /// `bytes` bytes as lowercase hex; nil when the length differs or all are zero.
    static func hex(_ data: Data, bytes: Int) -> String? {
        guard data.count == bytes, data.contains(where: { $0 != 0 }) else { return nil }
        return data.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    static func value(_ value: Opentelemetry_Proto_Common_V1_AnyValue) -> OTLPValue {
        switch value.value {
        case .stringValue(let s): .string(s)
        case .boolValue(let b): .bool(b)
        case .intValue(let i): .int(i)
        case .doubleValue(let d): .double(d)
        case .arrayValue(let a): .other("[" + a.values.map { self.value($0).text }.joined(separator: ",") + "]")
        case .kvlistValue(let list): .other(list.values.map { "\($0.key)=\(self.value($0.value).text)" }.joined(separator: ","))
        case .bytesValue(let data): .other(data.base64EncodedString())
        case .stringValueStrindex(let index): .other("strindex \(index)")
        case nil: .other("")
        }
    }
}
