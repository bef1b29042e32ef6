import TraceLog

/// Version 1 of the `default` set (`--metrics default@1`): the same numbers
/// as ``DefaultMetricSetV2`` (version 2), its two wall-clock rates under their
/// version-1 (and ipw) names, `per_token_ms` and `throughput_tokens_per_sec`,
/// for scripts written against version 1.
public struct DefaultMetricSetV1: MetricSet {
    /// `default`, version `1`.
    public static let identity = MetricSetIdentity(name: "default", version: "1")
    /// One line for `trace-analyze metrics`.
    public static let summary = "version 1 of default: the same numbers, the wall-clock rates named as ipw names them"

    /// The set whose numbers these are.
    public var current = DefaultMetricSet(options: .init(sensorModel: false))

    /// Creates the set.
    public init() {}

    /// The version-2 names and their version-1 names.
    static let renamed = [("wall_ms_per_output_token", "per_token_ms"), ("wall_output_tokens_per_s", "throughput_tokens_per_sec")]

    /// A version-2 result under version-1 names.
    static func versionOne(_ result: AnalysisResult) -> AnalysisResult {
        var result = result
        result.queries = result.queries.map { row in
            AnalysisRow(names: row.names.map { name in renamed.first { $0.0 == name }?.1 ?? name }, values: row.values)
        }
        return result
    }

    /// Version 1 with other options (clock offsets, shape); the sensor
    /// model stays off.
    public init(options: EnergySeries.Options) {
        var options = options
        options.sensorModel = false
        current = DefaultMetricSet(options: options)
    }

    public func analyze(_ run: RunEvents) -> AnalysisResult { Self.versionOne(current.analyze(run)) }

    public func spanEnergy(_ run: RunEvents) -> SpanEnergy { current.spanEnergy(run) }

    public func withClockOffsets(_ offsets: [SourceClockOffset]) -> (any MetricSet)? {
        var options = current.options
        options.clockOffsets = offsets
        return DefaultMetricSetV1(options: options)
    }

    public func analyzeStream(_ paths: [String]) -> StreamedLogAnalysis.Outcome? {
        guard var outcome = current.analyzeStream(paths) else { return nil }
        for index in outcome.runs.indices { outcome.runs[index].result = Self.versionOne(outcome.runs[index].result) }
        return outcome
    }
}

/// Version 2 of the `default` set (`--metrics default@2`): every reading is
/// taken as exact at its instant (no sensor model), counters interpolated
/// between readings, shaped by the power readings at both ends.
public struct DefaultMetricSetV2: MetricSet {
    /// `default`, version `2`.
    public static let identity = MetricSetIdentity(name: "default", version: "2")
    /// One line for `trace-analyze metrics`.
    public static let summary =
        "version 2 of default: every reading exact at its instant, counters interpolated and shaped by power at both ends"

    /// The set whose numbers these are.
    public var current: DefaultMetricSet

    /// Creates the set (the sensor model is off whatever `options` say).
    public init(options: EnergySeries.Options = EnergySeries.Options()) {
        var options = options
        options.sensorModel = false
        current = DefaultMetricSet(options: options)
    }

    public func analyze(_ run: RunEvents) -> AnalysisResult { current.analyze(run) }

    public func spanEnergy(_ run: RunEvents) -> SpanEnergy { current.spanEnergy(run) }

    public func analyzeStream(_ paths: [String]) -> StreamedLogAnalysis.Outcome? { current.analyzeStream(paths) }

    public func withClockOffsets(_ offsets: [SourceClockOffset]) -> (any MetricSet)? {
        var options = current.options
        options.clockOffsets = offsets
        return DefaultMetricSetV2(options: options)
    }
}
