import Foundation

/// One OpenTelemetry span as OTLP carries it, with what the mapping to our
/// events reads (docs/FORMAT.md §9).
public struct OTLPSpan: Sendable, Equatable {
    /// The trace id: 32 lowercase hex digits.
    public var traceID: String
    /// The span id: 16 lowercase hex digits.
    public var spanID: String
    /// The parent's span id, nil for a root span.
    public var parentSpanID: String?
    /// The span's name (`chat gpt-4o`, `execute_tool search`, …).
    public var name: String
    /// The span kind as its OTLP enum value (0 unspecified … 5 consumer).
    public var kind: Int
    /// Start and end, nanoseconds since the Unix epoch.
    public var start: Int64
    public var end: Int64
    /// The span's attributes, in order; values as ``OTLPValue``.
    public var attributes: [(key: String, value: OTLPValue)]
    /// The status code (0 unset, 1 ok, 2 error) and its message.
    public var statusCode: Int
    public var statusMessage: String?
    /// The attributes of the resource that emitted the span.
    public var resource: [(key: String, value: OTLPValue)]

    /// Creates a span.
    public init(
        traceID: String, spanID: String, parentSpanID: String? = nil, name: String, kind: Int = 0, start: Int64,
        end: Int64, attributes: [(key: String, value: OTLPValue)] = [], statusCode: Int = 0, statusMessage: String? = nil,
        resource: [(key: String, value: OTLPValue)] = []
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.name = name
        self.kind = kind
        self.start = start
        self.end = end
        self.attributes = attributes
        self.statusCode = statusCode
        self.statusMessage = statusMessage
        self.resource = resource
    }

    /// The first attribute named `key`.
    public func attribute(_ key: String) -> OTLPValue? {
        attributes.first { $0.key == key }?.value
    }

    public static func == (a: OTLPSpan, b: OTLPSpan) -> Bool {
        a.traceID == b.traceID && a.spanID == b.spanID && a.parentSpanID == b.parentSpanID && a.name == b.name
            && a.kind == b.kind && a.start == b.start && a.end == b.end && a.statusCode == b.statusCode
            && a.statusMessage == b.statusMessage && a.attributes.map(\.key) == b.attributes.map(\.key)
            && a.attributes.map(\.value) == b.attributes.map(\.value)
    }
}

/// An OTLP attribute value (`AnyValue`).
public enum OTLPValue: Sendable, Equatable {
    case string(String)
    case bool(Bool)
    case int(Int64)
    case double(Double)
    /// Arrays, maps and bytes, kept as their compact JSON text.
    case other(String)

    /// The value as text, whatever its type (numbers in their shortest form).
    public var text: String {
        switch self {
        case .string(let s): s
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): "\(d)"
        case .other(let s): s
        }
    }

    /// The value as an integer, when it is one (or an integral double, or a
    /// decimal string of one).
    public var integer: Int64? {
        switch self {
        case .int(let i): i
        case .double(let d): d.rounded() == d && abs(d) < 9e18 ? Int64(d) : nil
        case .string(let s): Int64(s)
        default: nil
        }
    }

    /// The value as a double, when it is a number.
    public var number: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        case .string(let s): Double(s)
        default: nil
        }
    }
}
