/// An error from SQLite, with the statement or file it concerns.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// SQLite's result code.
    public var code: Int32
    /// SQLite's message.
    public var message: String
    /// What was being done (a file, a statement).
    public var context: String

    /// Creates an error.
    public init(code: Int32, message: String, context: String) {
        self.code = code
        self.message = message
        self.context = context
    }

    /// `context: message (code N)`.
    public var description: String { "\(context): \(message) (SQLite code \(code))" }
}
