import TraceAnalysis

/// Deterministic JSON text for the exporters: strings escaped as RFC 8259
/// requires, numbers in their shortest round-trip form, non-finite numbers
/// as `null`.
enum JSONText {
    /// Appends a JSON string literal.
    static func string(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// A JSON string literal.
    static func string(_ s: String) -> String {
        var out = ""
        string(s, to: &out)
        return out
    }

    /// The JSON text of a number (`null` when not finite).
    static func number(_ d: Double) -> String {
        d.isFinite ? d.description : "null"
    }

    /// Appends the JSON text of an analysis value.
    static func value(_ v: AnalysisValue, to out: inout String) {
        switch v {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += number(d)
        case .string(let s): string(s, to: &out)
        case .strings(let list):
            out += "["
            for (i, s) in list.enumerated() {
                if i > 0 { out += "," }
                string(s, to: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out += "," }
                string(pair.0, to: &out)
                out += ":"
                value(pair.1, to: &out)
            }
            out += "}"
        }
    }

    /// The JSON text of an analysis value.
    static func value(_ v: AnalysisValue) -> String {
        var out = ""
        value(v, to: &out)
        return out
    }
}
