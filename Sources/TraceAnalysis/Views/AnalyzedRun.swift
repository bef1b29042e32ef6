/// One run's events together with what a metric set made of them; the input
/// of the views built on a metric set's rows (turns, queries, labels).
public struct AnalyzedRun: Sendable {
    /// The run's events.
    public var events: RunEvents
    /// The metric set's result for those events.
    public var result: AnalysisResult

    /// Pairs a run with its analysis.
    public init(events: RunEvents, result: AnalysisResult) {
        self.events = events
        self.result = result
    }

    /// Analyses a run with a metric set.
    public init(events: RunEvents, metricSet: any MetricSet) {
        self.init(events: events, result: metricSet.analyze(events))
    }
}
