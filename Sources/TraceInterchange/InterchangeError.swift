/// Why a line of the JSON Lines interchange could not be decoded, and where.
///
/// `description` reads `column 41: expected ',' or '}'`; an importer prefixes
/// the file name and line number. Columns count bytes from 1.
public struct InterchangeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Equatable {
        /// The line is not well-formed JSON; the text says what was expected.
        case syntax(String)
        /// A string holds bytes that are not valid UTF-8.
        case invalidUTF8
        /// A string holds an invalid escape sequence; the text says which.
        case invalidEscape(String)
        /// Objects and arrays are nested deeper than the decoder follows.
        case nestingTooDeep
        /// The object has no `type` member (or its `type` is `null`).
        case missingType
        /// The `type` names a kind this decoder does not know. An importer
        /// may skip such lines with a warning: newer writers may add kinds.
        case unknownType(String)
        /// A member the interchange defines has a value of the wrong kind or
        /// out of range. `field` is the member's name; `problem` the details,
        /// e.g. `expected an integer, got 8.5`.
        case invalidField(field: String, problem: String)
    }

    /// What went wrong.
    public var reason: Reason
    /// The 1-based byte column where the problem was found, within the line
    /// as given to the decoder.
    public var column: Int

    /// Creates an error.
    public init(_ reason: Reason, column: Int) {
        self.reason = reason
        self.column = column
    }

    /// The reason, in words, without the column.
    public var message: String {
        switch reason {
        case .syntax(let text): text
        case .invalidUTF8: "invalid UTF-8 in a string"
        case .invalidEscape(let text): "invalid escape: \(text)"
        case .nestingTooDeep: "objects or arrays nested too deeply"
        case .missingType: "missing \"type\""
        case .unknownType(let name):
            name.utf8.count > 64
                ? "unknown type \"\(String(name.prefix(48)))…\" (\(name.utf8.count) bytes)" : "unknown type \"\(name)\""
        case .invalidField(let field, let problem): "field \"\(field)\": \(problem)"
        }
    }

    /// `column N: message`.
    public var description: String { "column \(column): \(message)" }
}
