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

/// One member of the top-level object of a line, as byte ranges into it.
struct JSONMember: Sendable {
    /// Start of the key's content (after the opening quote).
    var keyStart: Int
    /// End of the key's content (at the closing quote).
    var keyEnd: Int
    /// Whether the key contains backslash escapes.
    var keyEscaped: Bool
    /// Start of the value's text (at its first byte, e.g. the opening quote).
    var valueStart: Int
    /// End of the value's text (one past its last byte).
    var valueEnd: Int
    /// The value's kind.
    var kind: JSONValueKind
    /// The interchange field the key names, once looked up; `nil` for an
    /// unknown key.
    var field: InterchangeField? = nil
}
