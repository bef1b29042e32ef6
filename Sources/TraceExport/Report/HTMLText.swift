import TraceAnalysis

/// Text helpers for the HTML report: escaping and deterministic number forms.
enum HTMLText {
    /// Escapes `&`, `<`, `>`, `"` and `'`.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A number with `decimals` fixed decimals, rounded half away from zero
    /// (the shortest form for huge or non-finite values).
    static func fixed(_ d: Double, _ decimals: Int) -> String {
        guard d.isFinite else { return d.isNaN ? "NaN" : (d < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        guard abs(d * scale) < 9e15 else { return d.description }
        let scaled = Int64((d * scale).rounded(.toNearestOrAwayFromZero))
        let magnitude = scaled.magnitude
        let unit = UInt64(scale)
        var text = String(magnitude / unit)
        if decimals > 0 {
            let fraction = String(magnitude % unit)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return scaled < 0 ? "-" + text : text
    }

    /// An SVG coordinate (one decimal).
    static func coordinate(_ d: Double) -> String { fixed(d, 1) }

    /// A table cell's text for a value.
    static func cell(_ value: AnalysisValue) -> String {
        switch value {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return ValueText.display(i)
        case .double(let d): return ValueText.display(d)
        case .string(let s): return s
        case .strings(let list): return list.joined(separator: ", ")
        case .object(let pairs): return pairs.map { "\($0.0): \(cell($0.1))" }.joined(separator: ", ")
        }
    }
}
