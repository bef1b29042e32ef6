/// One cell of an analysis row: a value as a metric set computed it.
///
/// Values are deliberately few and plain so that every renderer (table, CSV,
/// JSON) can print them byte-deterministically. `null` means "unknown" or
/// "not applicable", never zero.
public enum AnalysisValue: Sendable, Equatable {
    /// No value: unknown or not applicable.
    case null
    /// A boolean.
    case bool(Bool)
    /// An integer (token counts, indices, counts).
    case int(Int64)
    /// A floating-point number (seconds, joules, watts, dollars). May be
    /// non-finite; renderers print non-finite values as null.
    case double(Double)
    /// A string.
    case string(String)
    /// An ordered list of strings (e.g. the tools called in a turn).
    case strings([String])
    /// An ordered object: key/value pairs in a fixed order (e.g. tool
    /// latencies keyed by tool name, in first-insertion order).
    case object([(String, AnalysisValue)])

    /// Bit-exact equality: doubles compare by bit pattern, so NaN equals NaN
    /// and `0.0` differs from `-0.0`; objects compare pairwise in order.
    public static func == (lhs: AnalysisValue, rhs: AnalysisValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a.bitPattern == b.bitPattern
        case (.string(let a), .string(let b)): return a == b
        case (.strings(let a), .strings(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// Whether the value is a number (`int` or `double`).
    public var isNumber: Bool {
        switch self {
        case .int, .double: true
        default: false
        }
    }

    /// The value as a `Double`, for `int` and `double`; otherwise `nil`.
    public var doubleValue: Double? {
        switch self {
        case .int(let v): Double(v)
        case .double(let v): v
        default: nil
        }
    }

    /// The value as an `Int64`, for `int`; otherwise `nil`.
    public var intValue: Int64? {
        if case .int(let v) = self { return v }
        return nil
    }

    /// The value as a `String`, for `string`; otherwise `nil`.
    public var stringValue: String? {
        if case .string(let v) = self { return v }
        return nil
    }
}

extension AnalysisValue {
    /// An optional integer: `nil` becomes ``null``.
    public static func int(_ value: Int64?) -> AnalysisValue {
        value.map { .int($0) } ?? .null
    }

    /// An optional double: `nil` becomes ``null``.
    public static func double(_ value: Double?) -> AnalysisValue {
        value.map { .double($0) } ?? .null
    }

    /// An optional string: `nil` becomes ``null``.
    public static func string(_ value: String?) -> AnalysisValue {
        value.map { .string($0) } ?? .null
    }
}
