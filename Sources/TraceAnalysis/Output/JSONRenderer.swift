/// Renders rows as one JSON array of row objects.
///
/// - Each object holds the row's columns in order, then
///   `"metric_set": "name@version"` (e.g. `"ipw@1"`) last.
/// - `null` is `null`; string lists are arrays; objects are objects with
///   their keys in order; integers are decimal; doubles use the shortest
///   decimal that round-trips (Swift's `Double.description`, e.g. `0.1`,
///   `1e-05`), and non-finite doubles (NaN, ±infinity) are `null`.
/// - Layout: `[` on its own line, one compact object per line separated by
///   `,`, then `]` and a final LF; an empty list is `[]`.
///
/// Output is byte-deterministic.
public struct JSONRenderer: Sendable {
    /// Creates a renderer.
    public init() {}

    /// Renders rows, naming the metric set that made them.
    public func render(_ rows: [AnalysisRow], metricSet: MetricSetIdentity) -> String {
        guard !rows.isEmpty else { return "[]\n" }
        var out = "[\n"
        for (index, row) in rows.enumerated() {
            var pairs = row.columns.map { ($0.name, $0.value) }
            pairs.append(("metric_set", .string(metricSet.tag)))
            ValueText.writeJSON(.object(pairs), to: &out)
            out += index + 1 < rows.count ? ",\n" : "\n"
        }
        return out + "]\n"
    }
}
