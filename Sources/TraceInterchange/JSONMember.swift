/// The kind of a JSON value, as found by the scanner.
enum JSONValueKind: UInt8, Sendable {
    /// A string without backslash escapes: its bytes are its content.
    case plainString
    /// A string with at least one backslash escape.
    case escapedString
    case number
    case trueLiteral
    case falseLiteral
    case null
    case object
    case array
}

/// The digits of a number, gathered while the scanner checks its grammar so
/// that the common shapes convert without reading the text again.
///
/// A number is *plain* when it has no exponent and at most 19 digits in
/// all (so that the digits, read as one integer, fit in `UInt64`). Only
/// plain numbers carry their digits; any other number is converted from its
/// text by ``DecimalText``.
struct NumberDigits: Sendable {
    /// The digits before and after the decimal point read as one integer
    /// (`12.50` gives 1250), without the sign. Meaningful only when plain.
    var mantissa: UInt64
    /// How many digits follow the decimal point (0 without one), or -1 when
    /// the number is not plain.
    var fractionCount: Int8

    /// Digits of a number that is not plain.
    static let notPlain = NumberDigits(mantissa: 0, fractionCount: -1)

    /// Whether ``mantissa`` and ``fractionCount`` describe the number.
    var isPlain: Bool { fractionCount >= 0 }
}

/// One member of the top-level object of a line, as byte ranges into it.
struct JSONMember: Sendable {
    /// Start of the key's content (after the opening quote).
    var keyStart: Int
    /// End of the key's content (at the closing quote).
    var keyEnd: Int
    /// Start of the value's text (at its first byte, e.g. the opening quote).
    var valueStart: Int
    /// End of the value's text (one past its last byte).
    var valueEnd: Int
    /// For a number, its digits when plain (``NumberDigits/notPlain`` for
    /// every other value).
    var digits: NumberDigits
    /// Whether the key contains backslash escapes.
    var keyEscaped: Bool
    /// The value's kind.
    var kind: JSONValueKind
    /// The interchange field the key names, once looked up; `nil` for an
    /// unknown key. The scanner looks up keys without escapes; the decoder
    /// looks up the others after unescaping them.
    var field: InterchangeField?
}
