/// Which price table priced an output: its name, version and content hash.
///
/// Every output with a cost names its table this way, so a cost can always
/// be traced to the exact bytes that produced it.
public struct PriceTableIdentity: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The table's file name, e.g. `default-prices.json` or the base name of
    /// the file given to `--prices`.
    public var fileName: String
    /// The table's `version` field, when it has one.
    public var version: String?
    /// SHA-256 of the table's exact bytes, 64 lowercase hexadecimal digits.
    public var sha256: String

    /// Creates an identity.
    public init(fileName: String, version: String?, sha256: String) {
        self.fileName = fileName
        self.version = version
        self.sha256 = sha256
    }

    /// `FILE@VERSION sha256:HEX` (`FILE sha256:HEX` without a version), e.g.
    /// `default-prices.json@2025-01-31 sha256:3f…`.
    public var description: String {
        let name = version.map { "\(fileName)@\($0)" } ?? fileName
        return "\(name) sha256:\(sha256)"
    }
}
