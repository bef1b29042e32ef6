/// The registry of metric sets that `trace-analyze --metrics NAME` can use.
public enum MetricSets {
    /// Every known metric set, in the order they are listed to users.
    public static let all: [any MetricSet] = [
        DefaultMetricSet(),
        IPWMetricSet(),
    ]

    /// The set used when none is named: `default` when this build has it,
    /// else the first of ``all``.
    public static var defaultName: String {
        names.contains("default") ? "default" : all[0].identity.name
    }

    /// The names of every known metric set, in ``all`` order.
    public static var names: [String] { all.map(\.identity.name) }

    /// The metric set with this name, or `nil` when none has it.
    public static func named(_ name: String) -> (any MetricSet)? {
        all.first { $0.identity.name == name }
    }
}
