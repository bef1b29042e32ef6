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
    public var tag: String { version.isEmpty ? name : "\(name)@\(version)" }

    /// The form used everywhere (tables, pages, messages): the ``tag``,
    /// `name@version`, e.g. `ipw@1`, so a set is written one way.
    public var description: String { tag }

    /// The identity that names a comparison of two sets, `A@1 vs B@2`
    /// (its version is empty: the two tags say everything).
    public static func comparison(_ a: MetricSetIdentity, _ b: MetricSetIdentity) -> MetricSetIdentity {
        MetricSetIdentity(name: "\(a.tag) vs \(b.tag)", version: "")
    }
}
