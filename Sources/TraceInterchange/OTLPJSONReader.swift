import Foundation

/// Reads OTLP trace data in its JSON encoding: one `ExportTraceServiceRequest`
/// object (`{"resourceSpans":[…]}`) per line, as the OpenTelemetry
/// Collector's file exporter writes it (a whole file holding one object is
/// read too). Ids are hex strings, 64-bit integers decimal strings or
/// numbers, enums their integer values or names (the OTLP JSON rules).
public struct OTLPJSONReader {
    /// What reading gave: the spans, and what was wrong with the rest.
    public struct Result: Sendable {
        /// The spans, in the order they appear.
        public var spans: [OTLPSpan] = []
        /// Spans left out and why (`FILE:LINE: span S: …`).
        public var warnings: [String] = []
        /// Lines that are not OTLP JSON at all.
        public var errors: [String] = []
        /// Lines read.
        public var lines = 0
    }

    /// The input's name in messages.
    public var inputName: String

    /// Creates a reader; `inputName` names the input in messages.
    public init(inputName: String) {
        self.inputName = inputName
    }

    /// Reads `data` as one request (an OTLP/HTTP JSON body, which may span
    /// lines).
    public func readRequest(_ data: Data) -> Result {
        var result = Result()
        result.lines = 1
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            result.errors.append("\(inputName): not a JSON object")
            return result
        }
        add(object, line: 1, to: &result)
        return result
    }

    /// Reads every line of `data`.
    public func read(_ data: Data) -> Result {
        var result = Result()
        var number = 0
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            let trimmed = line.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            guard !trimmed.isEmpty, !trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) else { continue }
            result.lines += 1
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed)) as? [String: Any] else {
                result.errors.append("\(inputName):\(number): not a JSON object")
                continue
            }
            add(object, line: number, to: &result)
        }
        return result
    }

    private func add(_ object: [String: Any], line number: Int, to result: inout Result) {
        guard let resourceSpans = object["resourceSpans"] as? [[String: Any]] else {
            result.errors.append("\(inputName):\(number): no \"resourceSpans\" array (not OTLP trace data)")
            return
        }
        for resourceSpan in resourceSpans {
            let resource = Self.attributes((resourceSpan["resource"] as? [String: Any])?["attributes"])
            let scopes = (resourceSpan["scopeSpans"] ?? resourceSpan["instrumentationLibrarySpans"]) as? [[String: Any]] ?? []
            for scope in scopes {
                for raw in scope["spans"] as? [[String: Any]] ?? [] {
                    switch Self.span(raw, resource: resource) {
                    case .success(let span): result.spans.append(span)
                    case .failure(let problem):
                        let id = (raw["spanId"] as? String).map { " \($0)" } ?? ""
                        result.warnings.append("\(inputName):\(number): span\(id): \(problem.text); left out")
                    }
                }
            }
        }
    }

    struct Problem: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }

    static func span(_ raw: [String: Any], resource: [(key: String, value: OTLPValue)]) -> Swift.Result<OTLPSpan, Problem> {
        guard let traceID = hexID(raw["traceId"], digits: 32) else { return .failure(Problem("missing or invalid traceId")) }
        guard let spanID = hexID(raw["spanId"], digits: 16) else { return .failure(Problem("missing or invalid spanId")) }
        var parent: String?
        if let text = raw["parentSpanId"] as? String, !text.isEmpty {
            guard let id = hexID(text, digits: 16) else { return .failure(Problem("invalid parentSpanId \(text)")) }
            parent = id
        }
        guard let start = nanoseconds(raw["startTimeUnixNano"]) else { return .failure(Problem("missing startTimeUnixNano")) }
        guard let end = nanoseconds(raw["endTimeUnixNano"]) else { return .failure(Problem("missing endTimeUnixNano")) }
        guard end >= start else { return .failure(Problem("ends before it starts (\(end) < \(start))")) }
        let status = raw["status"] as? [String: Any]
        return .success(OTLPSpan(
            traceID: traceID, spanID: spanID, parentSpanID: parent, name: raw["name"] as? String ?? "",
            kind: enumValue(raw["kind"], names: ["SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
                                                 "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"]),
            start: start, end: end, attributes: attributes(raw["attributes"]),
            statusCode: enumValue(status?["code"], names: ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"]),
            statusMessage: (status?["message"] as? String).flatMap { $0.isEmpty ? nil : $0 }, resource: resource))
    }

    /// A hex id of `digits` digits, lowercased; nil when malformed or all zero.
    package static func hexID(_ value: Any?, digits: Int) -> String? {
        guard let text = value as? String, text.utf8.count == digits,
              text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) })
        else { return nil }
        let lower = text.lowercased()
        return lower.utf8.allSatisfy { $0 == 0x30 } ? nil : lower
    }

    /// Nanoseconds from a decimal string or a JSON number.
    static func nanoseconds(_ value: Any?) -> Int64? {
        if let text = value as? String { return Int64(text) }
        if let number = value as? Int { return Int64(number) }
        if let number = value as? NSNumber { return number.int64Value }
        return nil
    }

    /// An enum given as its integer or its name.
    static func enumValue(_ value: Any?, names: [String]) -> Int {
        if let number = value as? NSNumber { return number.intValue }
        if let text = value as? String { return names.firstIndex(of: text) ?? Int(text) ?? 0 }
        return 0
    }

    /// `[{"key":…, "value":{"stringValue":…}}, …]`, in order.
    static func attributes(_ value: Any?) -> [(key: String, value: OTLPValue)] {
        guard let list = value as? [[String: Any]] else { return [] }
        return list.compactMap { entry in
            guard let key = entry["key"] as? String else { return nil }
            return (key, anyValue(entry["value"] as? [String: Any] ?? [:]))
        }
    }

    static func anyValue(_ value: [String: Any]) -> OTLPValue {
        if let s = value["stringValue"] as? String { return .string(s) }
        if let b = value["boolValue"] as? Bool { return .bool(b) }
        if let i = value["intValue"] {
            if let text = i as? String, let n = Int64(text) { return .int(n) }
            if let n = i as? NSNumber { return .int(n.int64Value) }
        }
        if let d = value["doubleValue"] {
            if let n = d as? NSNumber { return .double(n.doubleValue) }
            if let text = d as? String, let n = Double(text) { return .double(n) }
        }
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data()
        return .other(String(decoding: data, as: UTF8.self))
    }
}
