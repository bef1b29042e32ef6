/// The registry of metric sets that `trace-analyze --metrics NAME` can use.
public enum MetricSets {
    /// Every known metric set, in the order they are listed to users.
    public static let all: [any MetricSet] = [
        DefaultMetricSet(),
        IPWMetricSet(),
    ]

    /// Earlier versions still selectable as `NAME@VERSION`.
    public static let earlier: [any MetricSet] = [
        DefaultMetricSetV2(),
        DefaultMetricSetV1(),
    ]

    /// The set used when none is named: `default` when this build has it,
    /// else the first of ``all``.
    public static var defaultName: String {
        names.contains("default") ? "default" : all[0].identity.name
    }

    /// The names of every known metric set, in ``all`` order.
    public static var names: [String] { all.map(\.identity.name) }

    /// The metric set with this name (its newest version), or with this
    /// `NAME@VERSION` (`default@1`), or `nil` when none has it.
    public static func named(_ name: String) -> (any MetricSet)? {
        if let at = name.firstIndex(of: "@") {
            let (base, version) = (String(name[..<at]), String(name[name.index(after: at)...]))
            return (all + earlier).first { $0.identity.name == base && $0.identity.version == version }
        }
        return all.first { $0.identity.name == name }
    }

    /// Every selectable version, newest first per name: what
    /// `trace-analyze metrics` lists.
    public static var versions: [any MetricSet] {
        all.flatMap { set in [set] + earlier.filter { $0.identity.name == set.identity.name } }
    }
}
