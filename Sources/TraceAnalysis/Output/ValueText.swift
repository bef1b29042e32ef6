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
        // The shortest round-trip decimal, `W.F` or `W.Fe±X`, read as its
        // digits and where the point goes: |d| = 0.DIGITS × 10^point.
        var shortest = abs(d).description
        return shortest.withUTF8 { text in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: text.count + 20) { digits in
                var count = 0
                var wholeCount = 0
                var inFraction = false
                var exponent = 0
                var index = 0
                while index < text.count {
                    let byte = text[index]
                    if byte == UInt8(ascii: "e") {
                        exponent = Self.exponent(text, from: index + 1)
                        break
                    }
                    if byte == UInt8(ascii: ".") {
                        inFraction = true
                    } else {
                        digits[count] = byte &- 48
                        count += 1
                        if !inFraction { wholeCount += 1 }
                    }
                    index += 1
                }
                var point = wholeCount + exponent
                var first = 0
                while first < count, digits[first] == 0 {
                    first += 1
                    point -= 1
                }
                guard first < count else { return "0" }
                count -= first
                let scientific = point <= -4 || point > 15
                let keep = scientific ? 4 : max(4, point)
                // Round half away from zero to `keep` digits.
                if count > keep {
                    let roundUp = digits[first + keep] >= 5
                    count = keep
                    if roundUp {
                        var position = keep - 1
                        while position >= 0 {
                            if digits[first + position] < 9 {
                                digits[first + position] += 1
                                break
                            }
                            digits[first + position] = 0
                            position -= 1
                        }
                        if position < 0 {
                            // 9…9 became 10…0: one more digit before the point.
                            digits[first] = 1
                            point += 1
                        }
                    }
                }
                return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { out in
                    var length = 0
                    func put(_ byte: UInt8) {
                        out[length] = byte
                        length += 1
                    }
                    func putDigit(_ digit: UInt8) { put(digit &+ 48) }
                    if d < 0 { put(UInt8(ascii: "-")) }
                    if scientific {
                        putDigit(digits[first])
                        var last = count - 1
                        while last > 0, digits[first + last] == 0 { last -= 1 }
                        if last > 0 {
                            put(UInt8(ascii: "."))
                            for k in 1...last { putDigit(digits[first + k]) }
                        }
                        let e = point - 1
                        put(UInt8(ascii: "e"))
                        put(e < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
                        let magnitude = abs(e)
                        if magnitude < 10 { put(UInt8(ascii: "0")) }
                        for byte in String(magnitude).utf8 { put(byte) }
                    } else {
                        // Zeros up to the point, then the integer part,
                        // grouped, and the decimals without trailing zeros.
                        while count < point {
                            digits[first + count] = 0
                            count += 1
                        }
                        if point > 0 {
                            for k in 0..<point {
                                if k > 0 && (point - k) % 3 == 0 { put(UInt8(ascii: ",")) }
                                putDigit(digits[first + k])
                            }
                        } else {
                            put(UInt8(ascii: "0"))
                        }
                        var end = count
                        while end > max(point, 0), digits[first + end - 1] == 0 { end -= 1 }
                        if end > max(point, 0) {
                            put(UInt8(ascii: "."))
                            if point < 0 { for _ in 0..<(-point) { put(UInt8(ascii: "0")) } }
                            for k in max(point, 0)..<end { putDigit(digits[first + k]) }
                        }
                    }
                    return String(decoding: UnsafeBufferPointer(rebasing: out[0..<length]), as: UTF8.self)
                }
            }
        }
    }

    /// The exponent after the `e` of a double's description (`+20`, `-05`).
    private static func exponent(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        var negative = false
        if index < text.count, text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
            negative = text[index] == UInt8(ascii: "-")
            index += 1
        }
        var value = 0
        while index < text.count, text[index] >= 48, text[index] <= 57, value < 10_000 {
            value = value * 10 + Int(text[index] - 48)
            index += 1
        }
        return negative ? -value : value
    }

    /// An integer for humans: thousands grouped by `,` from 1,000 up.
    public static func display(_ i: Int64) -> String {
        i < 0 ? "-" + grouped(String(i.magnitude)) : grouped(String(i))
    }

    /// Decimal digits with `,` between groups of three, from the right.
    static func grouped(_ digits: String) -> String {
        let count = digits.utf8.count
        guard count > 3 else { return digits }
        var out: [UInt8] = []
        out.reserveCapacity(count + count / 3)
        for (index, byte) in digits.utf8.enumerated() {
            if index > 0 && (count - index) % 3 == 0 { out.append(UInt8(ascii: ",")) }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
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
