import TraceLog

/// Writes one flat JSON object into a byte buffer, member by member.
///
/// Output is compact (no whitespace) and deterministic.
struct JSONWriter {
    var bytes: [UInt8]
    private var needsComma = false

    init(into bytes: [UInt8]) {
        self.bytes = bytes
    }

    // MARK: Structure

    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes `"name":`, preceded by a comma when needed.
    mutating func key(_ name: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = true
    }

    // MARK: Members (each omitted when the value is nil)

    mutating func member(_ field: InterchangeField, _ value: String?) {
        guard let value else { return }
        key(field.rawValue)
        appendString(value)
    }

    mutating func member(_ field: InterchangeField, _ value: Int64?) {
        guard let value else { return }
        key(field.rawValue)
        appendInteger(value)
    }

    mutating func member(_ field: InterchangeField, _ value: Double?) {
        guard let value else { return }
        key(field.rawValue)
        appendDouble(value)
    }

    mutating func member(_ field: InterchangeField, _ value: Bool?) {
        guard let value else { return }
        key(field.rawValue)
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
    }

    /// An object of labels in their order; omitted when empty.
    mutating func member(_ field: InterchangeField, _ labels: [Label]) {
        guard !labels.isEmpty else { return }
        key(field.rawValue)
        beginObject()
        for label in labels {
            key(label.key)
            appendString(label.value)
        }
        endObject()
    }

    // MARK: Values

    /// A string, escaped per RFC 8259: `"` and `\` are escaped, control
    /// characters below U+0020 become `\b \f \n \r \t` or `\u00XX`, and
    /// everything else is copied as UTF-8.
    mutating func appendString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        let done: Void? = value.utf8.withContiguousStorageIfAvailable { appendEscaped($0) }
        if done == nil {
            appendEscaped(Array(value.utf8))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ utf8: some Collection<UInt8>) {
        var runStart = utf8.startIndex
        var index = runStart
        while index != utf8.endIndex {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
                index = utf8.index(after: index)
                continue
            }
            bytes.append(contentsOf: utf8[runStart..<index])
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            default:
                bytes.append(contentsOf: "u00".utf8)
                bytes.append(UInt8(ascii: "0") + byte >> 4)  // 0 or 1
                let low = byte & 0x0F
                bytes.append(low < 10 ? UInt8(ascii: "0") + low : UInt8(ascii: "a") + low - 10)
            }
            index = utf8.index(after: index)
            runStart = index
        }
        bytes.append(contentsOf: utf8[runStart..<index])
    }

    /// Appends the decimal digits of `value` (no sign).
    private mutating func appendDigits(_ value: UInt64, minimumCount: Int = 1) {
        var count = 1
        var rest = value / 10
        while rest > 0 {
            count += 1
            rest /= 10
        }
        count = max(count, minimumCount)
        let end = bytes.count + count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        var position = end
        var remaining = value
        while remaining > 0 {
            position -= 1
            bytes[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
        }
    }

    mutating func appendInteger(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude)
    }

    /// A finite value as the shortest text that reads back as the same
    /// `Double` (Swift's `description`, which is valid JSON: `1.0`, `0.1`,
    /// `1e-05`, `1e+16`, `-0.0`); NaN and infinities as the strings `"NaN"`,
    /// `"Infinity"` and `"-Infinity"`.
    mutating func appendDouble(_ value: Double) {
        if value.isNaN {
            bytes.append(contentsOf: "\"NaN\"".utf8)
        } else if value.isInfinite {
            bytes.append(contentsOf: value < 0 ? "\"-Infinity\"".utf8 : "\"Infinity\"".utf8)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    /// Nanoseconds since the epoch as exact decimal seconds: the fraction has
    /// its trailing zeros trimmed but keeps at least one digit, so the value
    /// always reads as a float (`1732238400.125`, `1732238400.0`,
    /// `-0.000000001`).
    mutating func appendSeconds(nanoseconds: Int64) {
        if nanoseconds < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = nanoseconds.magnitude
        appendDigits(magnitude / 1_000_000_000)
        bytes.append(UInt8(ascii: "."))
        var fraction = magnitude % 1_000_000_000
        var digits = 9
        while digits > 1 && fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        appendDigits(fraction, minimumCount: digits)
    }
}
