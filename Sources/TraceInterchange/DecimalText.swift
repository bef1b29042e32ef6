/// A JSON number's text taken apart for exact conversion: a sign, a digit
/// string and a power of ten, with no binary floating point involved.
///
/// The text must already match the JSON number grammar (the scanner checks
/// it). The value is `±D × 10^exponent`, where `D` is the digits before and
/// after the decimal point read as one integer.
struct DecimalText {
    /// The result of scaling to an integer.
    enum IntegerResult: Equatable {
        /// The value, exact or rounded as asked.
        case value(Int64)
        /// The value does not fit in `Int64`.
        case outOfRange
        /// The value has a fractional part and rounding was not allowed.
        case notAnInteger
    }

    /// Exponents are clamped to this magnitude; anything beyond it is zero or
    /// out of range for every use here, and clamping keeps arithmetic safe.
    static let exponentLimit = 1_000_000

    let bytes: UnsafeBufferPointer<UInt8>
    let negative: Bool
    /// Positions of the integer-part digits.
    let integerDigits: Range<Int>
    /// Positions of the fraction digits (empty when there is no '.').
    let fractionDigits: Range<Int>
    /// The value of the exponent part (0 when absent), clamped.
    let exponent: Int

    /// Takes apart the number whose text is `bytes[range]`.
    init(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
        self.bytes = bytes
        var index = range.lowerBound
        negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let integerStart = index
        while index < range.upperBound && bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
        integerDigits = integerStart..<index
        if index < range.upperBound && bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < range.upperBound && bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
            fractionDigits = fractionStart..<index
        } else {
            fractionDigits = index..<index
        }
        var exponent = 0
        if index < range.upperBound {  // at 'e' or 'E'
            index += 1
            var exponentNegative = false
            if bytes[index] == UInt8(ascii: "-") {
                exponentNegative = true
                index += 1
            } else if bytes[index] == UInt8(ascii: "+") {
                index += 1
            }
            while index < range.upperBound {
                if exponent < DecimalText.exponentLimit {
                    exponent = exponent * 10 + Int(bytes[index] &- UInt8(ascii: "0"))
                }
                index += 1
            }
            exponent = min(exponent, DecimalText.exponentLimit)
            if exponentNegative { exponent = -exponent }
        }
        self.exponent = exponent
    }

    /// The number of digits in `D`.
    var digitCount: Int { integerDigits.count + fractionDigits.count }

    /// The `k`-th digit of `D` (0-based, most significant first).
    @inline(__always)
    func digit(_ k: Int) -> UInt64 {
        let position =
            k < integerDigits.count ? integerDigits.lowerBound + k : fractionDigits.lowerBound + k - integerDigits.count
        return UInt64(bytes[position] &- UInt8(ascii: "0"))
    }

    /// The significant digits of `D` (first and last nonzero, inclusive), or
    /// `nil` when the value is zero.
    func significantDigits() -> ClosedRange<Int>? {
        let count = digitCount
        var first = 0
        while first < count && digit(first) == 0 { first += 1 }
        guard first < count else { return nil }
        var last = count - 1
        while digit(last) == 0 { last -= 1 }
        return first...last
    }

    /// The value times `10^power` as an integer.
    ///
    /// With `rounding`, a fractional part is rounded to the nearest integer,
    /// ties to even; without it, a fractional part gives `.notAnInteger`.
    /// The result is exact: only the decimal digits are used.
    func integer(timesPowerOfTen power: Int, rounding: Bool) -> IntegerResult {
        guard let digits = significantDigits() else { return .value(0) }
        let count = digits.count
        // The value is (digits as an integer) × 10^scale.
        let scale = exponent - fractionDigits.count + (digitCount - 1 - digits.upperBound) + power
        // Digits of the integer part, the rest are a fraction.
        let integerCount = count + scale
        if integerCount > 19 { return .outOfRange }  // ≥ 10^19 > Int64.max
        var magnitude: UInt64 = 0
        if scale >= 0 {
            for k in digits { magnitude = magnitude * 10 + digit(k) }
            for _ in 0..<scale {
                let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
                if overflow { return .outOfRange }
                magnitude = product
            }
        } else {
            // Stripped trailing zeros make the fraction nonzero.
            guard rounding else { return .notAnInteger }
            if integerCount >= 0 {
                for k in digits.lowerBound..<(digits.lowerBound + integerCount) {
                    let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
                    if overflow { return .outOfRange }
                    let (sum, carry) = product.addingReportingOverflow(digit(k))
                    if carry { return .outOfRange }
                    magnitude = sum
                }
                let firstDropped = digits.lowerBound + integerCount
                let dropped = digit(firstDropped)
                let roundUp =
                    dropped > 5 || (dropped == 5 && (firstDropped < digits.upperBound || magnitude & 1 == 1))
                if roundUp {
                    let (sum, carry) = magnitude.addingReportingOverflow(1)
                    if carry { return .outOfRange }
                    magnitude = sum
                }
            }
            // integerCount < 0: the value is below 0.1 and rounds to zero.
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return .outOfRange }
            return .value(magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude))
        }
        guard magnitude <= UInt64(Int64.max) else { return .outOfRange }
        return .value(Int64(magnitude))
    }

    /// Exact powers of ten representable as `Double`.
    static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The value as the nearest `Double` (correctly rounded).
    ///
    /// Numbers with at most 15 significant digits and a power of ten within
    /// ±22 take the exact fast path (one correctly rounded multiplication or
    /// division of two exact values); everything else goes to the standard
    /// library's parser on the same text.
    func double(text range: Range<Int>) -> Double {
        guard let digits = significantDigits() else { return negative ? -0.0 : 0.0 }
        let scale = exponent - fractionDigits.count + (digitCount - 1 - digits.upperBound)
        if digits.count <= 15 && scale >= -22 && scale <= 22 {
            var mantissa: UInt64 = 0
            for k in digits { mantissa = mantissa * 10 + digit(k) }
            let exact = Double(mantissa)
            let value =
                scale >= 0
                ? exact * DecimalText.exactPowersOfTen[scale] : exact / DecimalText.exactPowersOfTen[-scale]
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        // The scanner checked the grammar, which the standard parser accepts.
        return Double(text) ?? .nan
    }
}
