/// One run's events together with what a metric set made of them and the
/// run's structure; the input of the views (turns, queries, tools, models,
/// labels).
public struct AnalyzedRun: Sendable {
    /// The run's events, when the analysis kept them: a run analysed as a
    /// stream keeps none (its ``structure`` holds what every view reads),
    /// one held in memory keeps them as given.
    public var events: RunEvents
    /// The metric set's result for those events.
    public var result: AnalysisResult
    /// The run's queries, turns and spans, built once from ``events``.
    public var structure: RunStructure

    /// Pairs a run with its analysis; the structure is built from the events.
    public init(events: RunEvents, result: AnalysisResult) {
        self.init(events: events, result: result, structure: RunStructure(events))
    }

    /// Pairs a run with its analysis and its structure (built from the same events).
    public init(events: RunEvents, result: AnalysisResult, structure: RunStructure) {
        self.events = events
        self.result = result
        self.structure = structure
    }

    /// Analyses a run with a metric set.
    public init(events: RunEvents, metricSet: any MetricSet) {
        self.init(events: events, result: metricSet.analyze(events))
    }
}
