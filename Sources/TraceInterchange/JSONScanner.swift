/// The first pass over a line: checks that it is one well-formed JSON object
/// and records its top-level members as byte ranges.
///
/// Nested values are validated and skipped; strings are checked for valid
/// UTF-8 and valid escapes (including surrogate pairs), numbers for the
/// RFC 8259 grammar. Nothing is allocated besides growing `members`.
struct JSONScanner {
    /// How deep objects and arrays may nest inside the top-level object.
    static let maximumDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    // MARK: Errors

    func syntaxError(_ text: String, at position: Int? = nil) -> InterchangeError {
        InterchangeError(.syntax(text), column: (position ?? index) + 1)
    }

    /// `expected X`, naming what was found instead.
    func expected(_ what: String) -> InterchangeError {
        guard index < bytes.count else { return syntaxError("expected \(what), got end of line") }
        let byte = bytes[index]
        if byte >= 0x20 && byte < 0x7F {
            return syntaxError("expected \(what), got '\(Character(Unicode.Scalar(byte)))'")
        }
        return syntaxError("expected \(what), got byte 0x\(String(byte, radix: 16, uppercase: true))")
    }

    // MARK: Whitespace

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count && JSONScanner.isWhitespace(bytes[index]) { index += 1 }
    }

    /// Whether the line holds only whitespace.
    static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy(isWhitespace)
    }

    // MARK: The top-level object

    /// Scans the whole line: one object and nothing but whitespace after it.
    ///
    /// - Returns: `false` when the line is blank (empty or only whitespace),
    ///   with nothing appended to `members`; `true` after scanning an object.
    mutating func scanLine(into members: inout [JSONMember]) throws(InterchangeError) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { return false }
        guard bytes[index] == UInt8(ascii: "{") else {
            throw expected("'{' (each line must be one JSON object)")
        }
        index += 1
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    throw expected("a member name in quotes")
                }
                let keyStart = index + 1
                let keyEscaped: Bool
                let keyEnd: Int
                let field: InterchangeField?
                if let key = plainShortKey(at: keyStart) {
                    keyEscaped = false
                    keyEnd = keyStart + key.count
                    index = keyEnd + 1
                    field = InterchangeField.named(key)
                } else {
                    keyEscaped = try scanString()
                    keyEnd = index - 1
                    // A key without escapes is its own bytes: look it up now.
                    // Escaped keys are looked up by the decoder after unescaping.
                    field = keyEscaped ? nil : InterchangeField.named(in: bytes, keyStart..<keyEnd)
                }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw expected("':'") }
                index += 1
                skipWhitespace()
                let valueStart = index
                // Numbers are scanned here rather than through `scanValue`, to
                // keep the digits they gather.
                var digits = NumberDigits.notPlain
                let kind: JSONValueKind
                if index < bytes.count && (bytes[index] == UInt8(ascii: "-") || isDigit(at: index)) {
                    digits = try scanNumber()
                    kind = .number
                } else {
                    kind = try scanValue(depth: 1)
                }
                members.append(
                    JSONMember(
                        keyStart: keyStart, keyEnd: keyEnd, valueStart: valueStart, valueEnd: index, digits: digits,
                        keyEscaped: keyEscaped, kind: kind, field: field))
                skipWhitespace()
                guard index < bytes.count else { throw expected("',' or '}'") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    skipWhitespace()
                    continue
                }
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    break
                }
                throw expected("',' or '}'")
            }
        }
        skipWhitespace()
        guard index == bytes.count else { throw expected("end of line after the object") }
        return true
    }

    /// The key whose content starts at `start`, packed, when it is plain
    /// ASCII without escapes, at most ``PackedName/capacity`` bytes long and
    /// at least that many bytes remain in the line; `nil` otherwise (the
    /// caller then scans it with ``scanString()``).
    ///
    /// The fast path for keys: the words that ``needsAttention(_:)`` checks
    /// for the closing quote are the packed name itself, so a key is
    /// scanned and made ready for lookup in one step.
    @inline(__always)
    func plainShortKey(at start: Int) -> PackedName? {
        guard bytes.count - start >= PackedName.capacity, let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base + start)
        var name = PackedName()
        for word in 0..<3 {
            let loaded = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * word, as: UInt64.self))
            let flags = JSONScanner.needsAttention(loaded)
            let plainCount = flags == 0 ? 8 : flags.trailingZeroBitCount >> 3
            let value = loaded & PackedName.lowBytes(plainCount)
            switch word {
            case 0: name.word0 = value
            case 1: name.word1 = value
            default: name.word2 = value
            }
            if flags != 0 {
                name.count = 8 * word + plainCount
                return bytes[start + name.count] == UInt8(ascii: "\"") ? name : nil
            }
        }
        return nil
    }

    // MARK: Values

    /// Scans one value starting at `index` (not at whitespace) and returns its kind.
    mutating func scanValue(depth: Int) throws(InterchangeError) -> JSONValueKind {
        guard index < bytes.count else { throw expected("a value") }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return try scanString() ? .escapedString : .plainString
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try scanNumber()
            return .number
        case UInt8(ascii: "t"):
            try scanLiteral("true")
            return .trueLiteral
        case UInt8(ascii: "f"):
            try scanLiteral("false")
            return .falseLiteral
        case UInt8(ascii: "n"):
            try scanLiteral("null")
            return .null
        case UInt8(ascii: "{"):
            try scanObject(depth: depth)
            return .object
        case UInt8(ascii: "["):
            try scanArray(depth: depth)
            return .array
        default:
            throw expected("a value")
        }
    }

    mutating func scanLiteral(_ literal: StaticString) throws(InterchangeError) {
        let start = index
        let count = literal.utf8CodeUnitCount
        let text = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        guard bytes.count - index >= count, bytes[index..<index + count].elementsEqual(text) else {
            throw syntaxError("expected a value (true, false, null, a number, a string, an object or an array)",
                              at: start)
        }
        index += count
    }

    mutating func scanObject(depth: Int) throws(InterchangeError) {
        guard depth < JSONScanner.maximumDepth else {
            throw InterchangeError(.nestingTooDeep, column: index + 1)
        }
        index += 1  // {
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw expected("a member name in quotes")
            }
            _ = try scanString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw expected("':'") }
            index += 1
            skipWhitespace()
            _ = try scanValue(depth: depth + 1)
            skipWhitespace()
            guard index < bytes.count else { throw expected("',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return
            } else {
                throw expected("',' or '}'")
            }
        }
    }

    mutating func scanArray(depth: Int) throws(InterchangeError) {
        guard depth < JSONScanner.maximumDepth else {
            throw InterchangeError(.nestingTooDeep, column: index + 1)
        }
        index += 1  // [
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            _ = try scanValue(depth: depth + 1)
            skipWhitespace()
            guard index < bytes.count else { throw expected("',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return
            } else {
                throw expected("',' or ']'")
            }
        }
    }

    // MARK: Numbers

    @inline(__always)
    func isDigit(at position: Int) -> Bool {
        position < bytes.count && bytes[position] &- UInt8(ascii: "0") < 10
    }

    /// Scans a number per RFC 8259: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`,
    /// gathering its digits on the way (see ``NumberDigits``).
    mutating func scanNumber() throws(InterchangeError) -> NumberDigits {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(at: index) else { throw syntaxError("invalid number: expected a digit", at: index) }
        let firstDigit = index
        // Wraps past 19 digits; such numbers are not plain.
        var mantissa: UInt64 = 0
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(at: index) { throw syntaxError("invalid number: leading zero", at: start) }
        } else {
            index = scanDigits(from: index, into: &mantissa)
        }
        var fractionCount = 0
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(at: index) else {
                throw syntaxError("invalid number: expected a digit after '.'", at: index)
            }
            let fractionStart = index
            index = scanDigits(from: index, into: &mantissa)
            fractionCount = index - fractionStart
        }
        if index < bytes.count && (bytes[index] | 0x20) == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
                index += 1
            }
            guard isDigit(at: index) else {
                throw syntaxError("invalid number: expected a digit in the exponent", at: index)
            }
            var exponent: UInt64 = 0
            index = scanDigits(from: index, into: &exponent)
            return .notPlain
        }
        // The digit count: everything from the first digit but the '.'.
        let digitCount = index - firstDigit - (fractionCount > 0 ? 1 : 0)
        guard digitCount <= 19 else { return .notPlain }
        return NumberDigits(mantissa: mantissa, fractionCount: Int8(fractionCount))
    }

    /// `10^k` for `k` in `0...8`.
    static let smallPowersOfTen: [UInt64] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]

    /// Moves past the run of digits at `position`, appending them to
    /// `mantissa` (wrapping on overflow); returns the position after it.
    ///
    /// While eight bytes remain, one word at a time: the run's length in the
    /// word comes from ``nonDigits(_:)``, and its digits, shifted to the top
    /// of the word (so that zero bytes stand in front as leading zeros),
    /// convert in one step (``eightDigitsValue(_:)``). Near the end of the
    /// line, one byte at a time.
    @inline(__always)
    func scanDigits(from position: Int, into mantissa: inout UInt64) -> Int {
        var index = position
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while bytes.count - index >= 8 {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let flags = JSONScanner.nonDigits(word)
                let run = flags == 0 ? 8 : flags.trailingZeroBitCount >> 3
                if run > 0 {
                    let digits = JSONScanner.eightDigitsValue(word << UInt64(64 - 8 * run))
                    mantissa = mantissa &* JSONScanner.smallPowersOfTen[run] &+ digits
                    index += run
                }
                if run < 8 { return index }
            }
        }
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            mantissa = mantissa &* 10 &+ UInt64(digit)
            index += 1
        }
        return index
    }

    /// For eight bytes loaded little-endian, a mask whose lowest set bit is
    /// the high bit of the first byte that is not an ASCII digit; 0 when all
    /// are digits.
    ///
    /// A digit's high nibble is 3, and adding 6 to it does not carry into
    /// the high nibble (its low nibble is at most 9): such bytes become 0x33
    /// below, and every other byte something else, whose high bit is then
    /// set by the usual nonzero-byte test. The addition can carry out of a
    /// byte of 0xFA or more into the next one, but such a byte is itself
    /// flagged, so the lowest flag is exact.
    @inline(__always)
    static func nonDigits(_ word: UInt64) -> UInt64 {
        let highNibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        let nibbles = (word & highNibbles) | (((word &+ 0x0606_0606_0606_0606) & highNibbles) >> 4)
        let difference = nibbles ^ 0x3333_3333_3333_3333
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return (((difference & low7) &+ low7) | difference) & ~low7
    }

    /// The value of eight ASCII digits loaded little-endian (the first digit
    /// in the lowest byte, and most significant); zero bytes count as
    /// zeros. Pairs of digits, then of pairs, then of fours are combined by
    /// one multiplication each.
    @inline(__always)
    static func eightDigitsValue(_ word: UInt64) -> UInt64 {
        var value = word & 0x0F0F_0F0F_0F0F_0F0F
        value = (value &* (10 << 8 + 1)) >> 8 & 0x00FF_00FF_00FF_00FF
        value = (value &* (100 << 16 + 1)) >> 16 & 0x0000_FFFF_0000_FFFF
        return (value &* (10_000 << 32 + 1)) >> 32
    }

    // MARK: Strings

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt16? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt16(byte &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt16(byte &- UInt8(ascii: "a") &+ 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt16(byte &- UInt8(ascii: "A") &+ 10)
        default: nil
        }
    }

    /// Reads the four hex digits of a `\u` escape at `position`.
    func hex4(at position: Int) throws(InterchangeError) -> UInt16 {
        guard bytes.count - position >= 4 else {
            throw InterchangeError(.invalidEscape("\\u needs four hex digits"), column: position + 1)
        }
        var value: UInt16 = 0
        for offset in 0..<4 {
            guard let digit = JSONScanner.hexValue(bytes[position + offset]) else {
                throw InterchangeError(.invalidEscape("\\u needs four hex digits"), column: position + offset + 1)
            }
            value = value << 4 | digit
        }
        return value
    }

    /// Scans a string starting at its opening quote; leaves `index` after the
    /// closing quote. Returns whether the string holds escapes.
    mutating func scanString() throws(InterchangeError) -> Bool {
        let opening = index
        index += 1
        var escaped = false
        while true {
            index = plainASCIIEnd(from: index)
            guard index < bytes.count else {
                throw syntaxError("unterminated string (it starts at column \(opening + 1))")
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return escaped
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
                try scanEscape()
            } else if byte < 0x20 {
                throw syntaxError("control character 0x\(String(byte, radix: 16, uppercase: true)) in a string "
                                  + "(it must be escaped)")
            } else {
                try scanUTF8Sequence()
            }
        }
    }

    /// The position of the first byte at or after `position` that a string
    /// scan must look at: a quote, a backslash, a control character or a
    /// non-ASCII byte (`bytes.count` when there is none).
    ///
    /// Eight bytes at a time while at least eight remain: see
    /// ``needsAttention(_:)``. The last few bytes are checked one by one.
    @inline(__always)
    func plainASCIIEnd(from position: Int) -> Int {
        var index = position
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while bytes.count - index >= 8 {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let flags = JSONScanner.needsAttention(word)
                if flags != 0 { return index + flags.trailingZeroBitCount >> 3 }
                index += 8
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
            index += 1
        }
        return index
    }

    /// For eight bytes loaded little-endian (the first byte lowest), a mask
    /// whose lowest set bit is the high bit of the first byte that is a
    /// quote, a backslash, below 0x20 or above 0x7F; 0 when none is.
    ///
    /// `(x - 0x01…01) & ~x & 0x80…80` flags the zero bytes of `x`, and
    /// `(w - 0x20…20) & ~w & 0x80…80` the ASCII bytes of `w` below 0x20. A
    /// borrow can also flag a byte above a flagged one, never below it, so
    /// the lowest flag of the combined mask is always a real match; higher
    /// ones are never used.
    @inline(__always)
    static func needsAttention(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let isQuote = (quotes &- ones) & ~quotes
        let isBackslash = (backslashes &- ones) & ~backslashes
        let isControl = (word &- ones &* 0x20) & ~word
        return (isQuote | isBackslash | isControl | word) & (ones &* 0x80)
    }

    /// Validates the escape at `index` (at its backslash) and moves past it.
    mutating func scanEscape() throws(InterchangeError) {
        let start = index
        guard index + 1 < bytes.count else {
            throw InterchangeError(.invalidEscape("a backslash at the end of the line"), column: start + 1)
        }
        switch bytes[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            index += 2
        case UInt8(ascii: "u"):
            let unit = try hex4(at: index + 2)
            index += 6
            if unit >= 0xDC00 && unit <= 0xDFFF {
                throw InterchangeError(.invalidEscape("lone low surrogate \\u\(hex(unit))"), column: start + 1)
            }
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                else {
                    throw InterchangeError(
                        .invalidEscape("high surrogate \\u\(hex(unit)) not followed by a low surrogate"),
                        column: start + 1)
                }
                let low = try hex4(at: index + 2)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw InterchangeError(
                        .invalidEscape("high surrogate \\u\(hex(unit)) not followed by a low surrogate"),
                        column: start + 1)
                }
                index += 6
            }
        default:
            let byte = bytes[index + 1]
            let shown =
                byte >= 0x20 && byte < 0x7F
                ? "\\\(Character(Unicode.Scalar(byte)))" : "backslash before byte 0x\(String(byte, radix: 16))"
            throw InterchangeError(.invalidEscape(shown), column: start + 1)
        }
    }

    func hex(_ unit: UInt16) -> String {
        let text = String(unit, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - text.count) + text
    }

    /// Validates one multi-byte UTF-8 sequence at `index` (RFC 3629: no
    /// overlong forms, no surrogates, nothing above U+10FFFF).
    mutating func scanUTF8Sequence() throws(InterchangeError) {
        let lead = bytes[index]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: throw InterchangeError(.invalidUTF8, column: index + 1)
        }
        guard bytes.count - index >= length else { throw InterchangeError(.invalidUTF8, column: index + 1) }
        let second = bytes[index + 1]
        guard second >= lower && second <= upper else { throw InterchangeError(.invalidUTF8, column: index + 1) }
        var offset = 2
        while offset < length {
            guard bytes[index + offset] & 0xC0 == 0x80 else {
                throw InterchangeError(.invalidUTF8, column: index + 1)
            }
            offset += 1
        }
        index += length
    }
}
