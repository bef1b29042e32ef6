/// Why a price table could not be read.
public enum PriceTableError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not valid JSON (the text says where).
    case malformed(String)
    /// The JSON is valid but not a price table (the text says what is wrong).
    case invalid(String)
    /// One of the above, in a named file.
    indirect case inFile(String, PriceTableError)

    /// `FILE: problem`, e.g. `prices.json: malformed JSON: line 2, column 5: expected a value`.
    public var description: String {
        switch self {
        case .malformed(let message): "malformed JSON: \(message)"
        case .invalid(let message): "not a price table: \(message)"
        case .inFile(let file, let error): "\(file): \(error)"
        }
    }
}
