import Testing
@testable import TraceAnalysis

/// `ValueText.display` works on the bytes of the shortest decimal; these
/// tests hold it to the rule its documentation states, written out plainly
/// here on arrays of digits, over values of every magnitude.
@Suite struct DisplayTextTests {
    /// The documented rule, step by step on arrays (the reference).
    static func reference(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return "0" }
        let sign = d < 0 ? "-" : ""
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
        func text(_ ds: ArraySlice<Int>) -> String { ds.map(String.init).joined() }
        if scientific {
            var tail = Array(digits.dropFirst())
            while tail.last == 0 { tail.removeLast() }
            let e = point - 1
            let exponentText = (e < 0 ? "-" : "+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
            return sign + String(digits[0]) + (tail.isEmpty ? "" : "." + text(tail[...])) + "e" + exponentText
        }
        while digits.count < point { digits.append(0) }
        let integer = point > 0 ? text(digits[..<point]) : "0"
        var decimals = point >= 0 ? Array(digits[point...]) : Array(repeating: 0, count: -point) + digits
        while decimals.last == 0 { decimals.removeLast() }
        var grouped = ""
        for (index, character) in integer.enumerated() {
            if index > 0 && (integer.count - index) % 3 == 0 { grouped += "," }
            grouped.append(character)
        }
        return sign + grouped + (decimals.isEmpty ? "" : "." + text(decimals[...]))
    }

    @Test func everyMagnitudeFollowsTheRule() {
        var generator = SplitMix(seed: 0x5EED)
        var values: [Double] = [
            .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, 1e15, 9.9995e14, 999_999_999_999_999.9,
            1e16, 0.0001, 0.00009999, 0.000099995, 9.9995, 99.995, 0.5, 1, 10, 100, 1000, 1e-5, 123_456_789.5,
        ]
        for exponent in -320...308 {
            for _ in 0..<6 {
                let mantissa = 1 + Double(generator.next() % 1_000_000_007) / 1_000_000_007 * 9
                values.append(mantissa * pow10(exponent))
            }
            values.append(pow10(exponent))
            values.append(9.9995 * pow10(exponent))
        }
        for _ in 0..<20_000 { values.append(Double(bitPattern: generator.next() & ~(UInt64(0x7FF) << 52) | (UInt64(generator.next() % 2046) << 52))) }
        var mismatches: [String] = []
        for value in values where value.isFinite {
            for signed in [value, -value] where ValueText.display(signed) != Self.reference(signed) {
                mismatches.append("\(signed): \(ValueText.display(signed)) vs \(Self.reference(signed))")
            }
        }
        #expect(values.count > 20_000)
        #expect(mismatches.isEmpty, "\(mismatches.count) differ, e.g. \(mismatches.prefix(5))")
    }

    @Test func integersAreGroupedByThousands() {
        #expect(ValueText.display(Int64(0)) == "0")
        #expect(ValueText.display(Int64(999)) == "999")
        #expect(ValueText.display(Int64(1000)) == "1,000")
        #expect(ValueText.display(Int64(-1_234_567)) == "-1,234,567")
        #expect(ValueText.display(Int64.min) == "-9,223,372,036,854,775,808")
        #expect(ValueText.display(Int64.max) == "9,223,372,036,854,775,807")
    }

    static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        if exponent >= 0 { for _ in 0..<exponent { result *= 10 } } else { for _ in 0..<(-exponent) { result /= 10 } }
        return result
    }

    func pow10(_ exponent: Int) -> Double { Self.pow10(exponent) }
}
