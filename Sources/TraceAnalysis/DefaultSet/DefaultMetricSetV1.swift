import TraceLog

/// Version 1 of the `default` set (`--metrics default@1`): the same numbers
/// as ``DefaultMetricSet`` (version 2), its two wall-clock rates under their
/// version-1 (and ipw) names, `per_token_ms` and `throughput_tokens_per_sec`,
/// for scripts written against version 1.
public struct DefaultMetricSetV1: MetricSet {
    /// `default`, version `1`.
    public static let identity = MetricSetIdentity(name: "default", version: "1")
    /// One line for `trace-analyze metrics`.
    public static let summary = "version 1 of default: the same numbers, the wall-clock rates named as ipw names them"

    /// The set whose numbers these are.
    public var current = DefaultMetricSet()

    /// Creates the set.
    public init() {}

    /// The version-2 names and their version-1 names.
    static let renamed = [("wall_ms_per_output_token", "per_token_ms"), ("wall_output_tokens_per_s", "throughput_tokens_per_sec")]

    /// A version-2 result under version-1 names.
    static func versionOne(_ result: AnalysisResult) -> AnalysisResult {
        var result = result
        result.queries = result.queries.map { row in
            AnalysisRow(row.columns.map { column in
                (renamed.first { $0.0 == column.name }?.1 ?? column.name, column.value)
            })
        }
        return result
    }

    public func analyze(_ run: RunEvents) -> AnalysisResult { Self.versionOne(current.analyze(run)) }

    public func spanEnergy(_ run: RunEvents) -> SpanEnergy { current.spanEnergy(run) }

    public func analyzeStream(_ paths: [String]) -> StreamedLogAnalysis.Outcome? {
        guard var outcome = current.analyzeStream(paths) else { return nil }
        for index in outcome.runs.indices { outcome.runs[index].result = Self.versionOne(outcome.runs[index].result) }
        return outcome
    }
}
