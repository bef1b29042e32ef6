import TraceLog

/// The second pass over a line: turns the scanned members' values into the
/// Swift values of the event model, with errors that name the field.
///
/// Every method takes a member that ``JSONScanner`` has already validated.
struct FieldReader {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Reused buffer for unescaping strings.
    var scratch: [UInt8]
    /// Strings of recent lines, reused for plain string values.
    var recentStrings: RecentStrings

    init(_ bytes: UnsafeBufferPointer<UInt8>, scratch: [UInt8], recentStrings: RecentStrings) {
        self.bytes = bytes
        self.scratch = scratch
        self.recentStrings = recentStrings
    }

    // MARK: Errors

    func invalid(_ member: JSONMember, _ field: InterchangeField, _ problem: String) -> InterchangeError {
        InterchangeError(.invalidField(field: field.rawValue, problem: problem), column: member.valueStart + 1)
    }

    /// A short description of a value for messages: its text when short,
    /// otherwise what kind of value it is.
    func shown(_ member: JSONMember) -> String {
        switch member.kind {
        case .object: return "an object"
        case .array: return "an array"
        case .plainString, .escapedString, .number, .trueLiteral, .falseLiteral, .null:
            let count = member.valueEnd - member.valueStart
            if count > 40 { return member.kind == .number ? "a long number" : "a long string" }
            return text(member.valueStart..<member.valueEnd)
        }
    }

    /// The bytes of `range` as a string (they are valid UTF-8).
    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    // MARK: Strings

    /// The content of a string value whose opening quote is at `start` and
    /// whose closing quote is at `end`.
    mutating func stringContent(from start: Int, to end: Int, escaped: Bool) -> String {
        guard escaped else { return recentStrings.string(bytes, (start + 1)..<end) }
        unescape(from: start + 1, to: end)
        return String(decoding: scratch, as: UTF8.self)
    }

    /// Decodes the escapes of the string content `bytes[start..<end]` into
    /// `scratch`.
    mutating func unescape(from start: Int, to end: Int) {
        scratch.removeAll(keepingCapacity: true)
        var index = start
        while index < end {
            var runEnd = index
            while runEnd < end && bytes[runEnd] != UInt8(ascii: "\\") { runEnd += 1 }
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<runEnd]))
            index = runEnd
            guard index < end else { break }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = UInt32(hex4(at: index))
                index += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    let low = UInt32(hex4(at: index + 2))
                    index += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                appendUTF8(scalar)
            default: scratch.append(escape)  // " \ /
            }
        }
    }

    /// Four hex digits known to be valid.
    func hex4(at position: Int) -> UInt16 {
        var value: UInt16 = 0
        for offset in 0..<4 { value = value << 4 | (JSONScanner.hexValue(bytes[position + offset]) ?? 0) }
        return value
    }

    mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// A key's name as bytes: the line's own bytes, or `scratch` after
    /// unescaping. Valid only until the next use of `scratch`.
    mutating func withKey<R>(_ member: JSONMember, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        guard member.keyEscaped else {
            return body(UnsafeBufferPointer(rebasing: bytes[member.keyStart..<member.keyEnd]))
        }
        unescape(from: member.keyStart, to: member.keyEnd)
        return scratch.withUnsafeBufferPointer(body)
    }

    // MARK: Typed values

    /// A string field: a string, or a number kept as its JSON text; `null` is `nil`.
    mutating func string(_ member: JSONMember, _ field: InterchangeField) throws(InterchangeError) -> String? {
        switch member.kind {
        case .plainString, .escapedString:
            return stringContent(
                from: member.valueStart, to: member.valueEnd - 1, escaped: member.kind == .escapedString)
        case .number:
            return text(member.valueStart..<member.valueEnd)
        case .null:
            return nil
        case .trueLiteral, .falseLiteral, .object, .array:
            throw invalid(member, field, "expected a string, got \(shown(member))")
        }
    }

    /// A free-form field (`error`, `arguments`): a string as its content, any
    /// other value as its compact JSON text; `null` is `nil`.
    mutating func jsonText(_ member: JSONMember) -> String? {
        switch member.kind {
        case .plainString, .escapedString:
            return stringContent(
                from: member.valueStart, to: member.valueEnd - 1, escaped: member.kind == .escapedString)
        case .null:
            return nil
        case .number, .trueLiteral, .falseLiteral:
            return text(member.valueStart..<member.valueEnd)
        case .object, .array:
            return compactText(member.valueStart..<member.valueEnd)
        }
    }

    /// The JSON text of `range` without whitespace outside strings.
    mutating func compactText(_ range: Range<Int>) -> String {
        scratch.removeAll(keepingCapacity: true)
        var inString = false
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            if inString {
                scratch.append(byte)
                if byte == UInt8(ascii: "\\") {
                    scratch.append(bytes[index + 1])
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if !JSONScanner.isWhitespace(byte) {
                scratch.append(byte)
                if byte == UInt8(ascii: "\"") { inString = true }
            }
            index += 1
        }
        return String(decoding: scratch, as: UTF8.self)
    }

    /// An integer field: a JSON integer or an integral number (`812.0`,
    /// `8.12e2`); `null` is `nil`.
    func integer(_ member: JSONMember, _ field: InterchangeField) throws(InterchangeError) -> Int64? {
        switch member.kind {
        case .null:
            return nil
        case .number:
            if let value = plainInteger(member) { return value }
            let range = member.valueStart..<member.valueEnd
            switch DecimalText(bytes, range: range).integer(timesPowerOfTen: 0, rounding: false) {
            case .value(let value): return value
            case .notAnInteger: throw invalid(member, field, "expected an integer, got \(shown(member))")
            case .outOfRange: throw invalid(member, field, "\(shown(member)) is out of the 64-bit integer range")
            }
        default:
            throw invalid(member, field, "expected an integer, got \(shown(member))")
        }
    }

    /// A number field: a JSON number, or one of the strings `"NaN"`,
    /// `"Infinity"`, `"-Infinity"`; `null` is `nil`. A number beyond the
    /// range of a 64-bit double (`1e999`) is an error, as an integer beyond
    /// 64 bits is: infinity is written `"Infinity"`, never by overflow.
    func double(_ member: JSONMember, _ field: InterchangeField) throws(InterchangeError) -> Double? {
        switch member.kind {
        case .null:
            return nil
        case .number:
            if let value = plainDouble(member) { return value }
            let range = member.valueStart..<member.valueEnd
            let value = DecimalText(bytes, range: range).double(text: range)
            guard value.isFinite else {
                throw invalid(member, field, "\(shown(member)) is out of the range of a 64-bit double (write \"Infinity\")")
            }
            return value
        case .plainString:
            let content = UnsafeBufferPointer(rebasing: bytes[(member.valueStart + 1)..<(member.valueEnd - 1)])
            if content.elementsEqual("NaN".utf8) { return .nan }
            if content.elementsEqual("Infinity".utf8) { return .infinity }
            if content.elementsEqual("-Infinity".utf8) { return -.infinity }
        default:
            break
        }
        throw invalid(
            member, field, "expected a number, null, \"NaN\", \"Infinity\" or \"-Infinity\", got \(shown(member))")
    }

    /// A boolean field: `true`, `false` or `null`.
    func bool(_ member: JSONMember, _ field: InterchangeField) throws(InterchangeError) -> Bool? {
        switch member.kind {
        case .trueLiteral: return true
        case .falseLiteral: return false
        case .null: return nil
        default: throw invalid(member, field, "expected true, false or null, got \(shown(member))")
        }
    }

    /// `t`: seconds since the Unix epoch, converted exactly from the decimal
    /// text to nanoseconds, rounding half to even below a nanosecond.
    func seconds(_ member: JSONMember, _ field: InterchangeField) throws(InterchangeError) -> Int64? {
        switch member.kind {
        case .null:
            return nil
        case .number:
            if let value = plainNanoseconds(member) { return value }
            let range = member.valueStart..<member.valueEnd
            switch DecimalText(bytes, range: range).integer(timesPowerOfTen: 9, rounding: true) {
            case .value(let value): return value
            case .notAnInteger, .outOfRange:
                throw invalid(member, field, "\(shown(member)) seconds is out of range for 64-bit nanoseconds")
            }
        default:
            throw invalid(member, field, "expected a number of seconds, got \(shown(member))")
        }
    }

    // MARK: Fast paths for common numbers

    // Each converts a plain number (no exponent, at most 19 digits; see
    // ``NumberDigits``) from the digits the scanner gathered, and returns
    // `nil` for anything else, which then takes the general ``DecimalText``
    // path; where they answer, they give exactly what that path gives.

    /// `2^53`: every integer up to it is exact as a `Double`.
    static let exactDoubleIntegerLimit: UInt64 = 1 << 53

    /// An integer without fraction or exponent that fits in `Int64`.
    @inline(__always)
    func plainInteger(_ member: JSONMember) -> Int64? {
        let digits = member.digits
        guard digits.fractionCount == 0, digits.mantissa <= UInt64(Int64.max) else { return nil }
        let value = Int64(digits.mantissa)
        return bytes[member.valueStart] == UInt8(ascii: "-") ? -value : value
    }

    /// Seconds with at most 9 fraction digits, as nanoseconds (exact: no
    /// rounding is needed), when they fit in `Int64`.
    @inline(__always)
    func plainNanoseconds(_ member: JSONMember) -> Int64? {
        let digits = member.digits
        guard digits.isPlain, digits.fractionCount <= 9 else { return nil }
        var value = digits.mantissa
        for _ in digits.fractionCount..<9 {
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            value = product
        }
        guard value <= UInt64(Int64.max) else { return nil }
        return bytes[member.valueStart] == UInt8(ascii: "-") ? -Int64(value) : Int64(value)
    }

    /// A number whose digits, read as one integer, are exact as a `Double`
    /// (at most 2^53) and with at most 22 fraction digits: that integer
    /// divided by an exact power of ten, one correctly rounded operation on
    /// exact values. ``DecimalText/double(text:)`` is correctly rounded too,
    /// so both give the same `Double`.
    @inline(__always)
    func plainDouble(_ member: JSONMember) -> Double? {
        let digits = member.digits
        guard digits.isPlain, digits.mantissa <= Self.exactDoubleIntegerLimit, digits.fractionCount <= 22 else {
            return nil
        }
        let negative = bytes[member.valueStart] == UInt8(ascii: "-")
        guard digits.mantissa != 0 else { return negative ? -0.0 : 0.0 }
        let value = Double(digits.mantissa) / DecimalText.exactPowersOfTen[Int(digits.fractionCount)]
        return negative ? -value : value
    }

    /// `labels`: an object of names to strings, in document order. Number and
    /// boolean values are kept as their JSON text; `null` values are skipped.
    /// A `null` object is no labels.
    mutating func labels(_ member: JSONMember, _ field: InterchangeField) throws(InterchangeError) -> [Label] {
        switch member.kind {
        case .null: return []
        case .object: break
        default: throw invalid(member, field, "expected an object, got \(shown(member))")
        }
        var labels: [Label] = []
        var scanner = JSONScanner(bytes)
        scanner.index = member.valueStart + 1
        scanner.skipWhitespace()
        while bytes[scanner.index] != UInt8(ascii: "}") {
            let keyStart = scanner.index
            let keyEscaped = try scanner.scanString()
            let key = stringContent(from: keyStart, to: scanner.index - 1, escaped: keyEscaped)
            scanner.skipWhitespace()
            scanner.index += 1  // :
            scanner.skipWhitespace()
            let valueStart = scanner.index
            let kind = try scanner.scanValue(depth: 1)
            switch kind {
            case .plainString, .escapedString:
                let value = stringContent(from: valueStart, to: scanner.index - 1, escaped: kind == .escapedString)
                labels.append(Label(key, value))
            case .number, .trueLiteral, .falseLiteral:
                labels.append(Label(key, text(valueStart..<scanner.index)))
            case .null:
                break
            case .object, .array:
                throw InterchangeError(
                    .invalidField(
                        field: field.rawValue, problem: "label \"\(key)\" must be a string, number or boolean"),
                    column: valueStart + 1)
            }
            scanner.skipWhitespace()
            if bytes[scanner.index] == UInt8(ascii: ",") {
                scanner.index += 1
                scanner.skipWhitespace()
            }
        }
        return labels
    }
}
