/// The name and version of a metric set; every output names the set that made it.
public struct MetricSetIdentity: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The set's name, e.g. `ipw`.
    public var name: String
    /// The set's version, e.g. `1`. A version changes whenever any number the
    /// set produces could change.
    public var version: String

    /// Creates an identity.
    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }

    /// The compact tag used in CSV and JSON output: `name@version`, e.g. `ipw@1`.
    public var tag: String { "\(name)@\(version)" }

    /// The human form used in tables: `name vversion`, e.g. `ipw v1`.
    public var description: String { "\(name) v\(version)" }
}
