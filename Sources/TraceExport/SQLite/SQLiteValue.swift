/// A value bound to a statement parameter.
public enum SQLiteValue: Sendable, Equatable {
    /// NULL.
    case null
    /// An integer.
    case integer(Int64)
    /// A real; non-finite values are stored as NULL.
    case real(Double)
    /// Text.
    case text(String)
}
