/// Text forms of values shared by the renderers and the exporters.
///
/// Numbers in CSV and JSON use the shortest decimal that round-trips to the
/// same `Double` (Swift's `Double.description`, e.g. `0.1`, `1e-05`,
/// `1e+20`); non-finite doubles have no JSON form and print as JSON `null`
/// (and as an empty CSV field).
public enum ValueText {
    /// The JSON text of a value (compact, no spaces).
    public static func json(_ value: AnalysisValue) -> String {
        var out = ""
        writeJSON(value, to: &out)
        return out
    }

    /// Appends the JSON text of a value.
    public static func writeJSON(_ value: AnalysisValue, to out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? d.description : "null"
        case .string(let s): writeJSONString(s, to: &out)
        case .strings(let list):
            out += "["
            for (i, s) in list.enumerated() {
                if i > 0 { out += "," }
                writeJSONString(s, to: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out += "," }
                writeJSONString(pair.0, to: &out)
                out += ":"
                writeJSON(pair.1, to: &out)
            }
            out += "}"
        }
    }

    /// Appends a JSON string literal: `"` and `\` escaped, control characters
    /// as `\n`, `\r`, `\t`, `\b`, `\f` or `\u00XX`; everything else as UTF-8.
    public static func writeJSONString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16, uppercase: false)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// A double for humans: fixed three decimals (rounded half away from
    /// zero) for magnitudes below 1e12, the shortest round-trip form above;
    /// `NaN`, `inf`, `-inf` for non-finite values.
    static func display(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        guard abs(d) < 1e12 else { return d.description }
        let scaled = Int64((d * 1000).rounded(.toNearestOrAwayFromZero))
        if scaled == 0 { return "0.000" }
        let magnitude = scaled.magnitude
        let fraction = String(magnitude % 1000)
        let text = String(magnitude / 1000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
        return scaled < 0 ? "-" + text : text
    }

    /// The column names of a list of rows: the first row's names, then any
    /// new names of later rows in order of first appearance.
    static func columnNames(of rows: [AnalysisRow]) -> [String] {
        var names: [String] = []
        var seen = Set<String>()
        for row in rows {
            for name in row.names where seen.insert(name).inserted {
                names.append(name)
            }
        }
        return names
    }
}
