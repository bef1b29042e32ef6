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

    /// A double for humans, the same on every platform: four significant
    /// digits, rounded half away from zero on the shortest round-trip
    /// decimal (Swift's `description`), with
    /// - the integer part always in full, thousands grouped by `,` from
    ///   1,000 up (`1,071`, `2,046,788`);
    /// - trailing zeros after the point dropped (`0.5`, `2`, `53.14`);
    /// - below 0.0001 and from 10¹⁵ up, scientific notation with four
    ///   significant digits (`2.583e-05`, `1.235e+20`);
    /// - `0` for zero, `NaN`, `inf`, `-inf` for non-finite values.
    public static func display(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return "0" }
        let sign = d < 0 ? "-" : ""
        // The decimal digits of |d| and where the point goes: |d| = 0.DIGITS × 10^point.
        let shortest = abs(d).description
        let parts = shortest.split(separator: "e", maxSplits: 1)
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = Array(mantissa[0].utf8)
        let fraction = mantissa.count > 1 ? Array(mantissa[1].utf8) : []
        var digits = (whole + fraction).map { Int($0) - 48 }
        var point = whole.count + exponent
        while digits.first == 0 {
            digits.removeFirst()
            point -= 1
        }
        guard !digits.isEmpty else { return "0" }
        let scientific = point <= -4 || point > 15
        let keep = scientific ? 4 : max(4, point)
        if digits.count > keep {
            let roundUp = digits[keep] >= 5
            digits.removeLast(digits.count - keep)
            if roundUp {
                var index = keep - 1
                while index >= 0 {
                    if digits[index] < 9 {
                        digits[index] += 1
                        break
                    }
                    digits[index] = 0
                    index -= 1
                }
                if index < 0 {
                    digits.insert(1, at: 0)
                    digits.removeLast()
                    point += 1
                }
            }
        }
        func text(_ ds: ArraySlice<Int>) -> String { String(ds.map { Character(String($0)) }) }
        if scientific {
            var tail = Array(digits.dropFirst())
            while tail.last == 0 { tail.removeLast() }
            let e = point - 1
            let exponentText = (e < 0 ? "-" : "+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
            return sign + String(digits[0]) + (tail.isEmpty ? "" : "." + text(tail[...])) + "e" + exponentText
        }
        while digits.count < point { digits.append(0) }
        var integer = point > 0 ? text(digits[..<point]) : "0"
        var decimals = point >= 0 ? Array(digits[point...]) : Array(repeating: 0, count: -point) + digits
        while decimals.last == 0 { decimals.removeLast() }
        integer = grouped(integer)
        return sign + integer + (decimals.isEmpty ? "" : "." + text(decimals[...]))
    }

    /// An integer for humans: thousands grouped by `,` from 1,000 up.
    public static func display(_ i: Int64) -> String {
        i < 0 ? "-" + grouped(String(i.magnitude)) : grouped(String(i))
    }

    /// Decimal digits with `,` between groups of three, from the right.
    static func grouped(_ digits: String) -> String {
        guard digits.count > 3 else { return digits }
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(character)
        }
        return out
    }

    /// The column names of a list of rows: the first row's names, then any
    /// new names of later rows in order of first appearance.
    static func columnNames(of rows: [AnalysisRow]) -> [String] {
        var names: [String] = []
        var seen = Set<String>()
        var previous: [String]?
        for row in rows {
            // Rows of one shape share their names: each shape is read once.
            if let previous, row.hasColumns(previous) { continue }
            previous = row.names
            for name in row.names where seen.insert(name).inserted {
                names.append(name)
            }
        }
        return names
    }
}
