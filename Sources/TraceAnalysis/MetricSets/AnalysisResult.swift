/// What a metric set computed for one run: rows at three granularities plus
/// the warnings met on the way.
public struct AnalysisResult: Sendable, Equatable {
    /// One row per turn, in query order then turn order.
    public var turns: [AnalysisRow]
    /// One row per query, in the order the queries started (record order).
    public var queries: [AnalysisRow]
    /// One row per run.
    public var runs: [AnalysisRow]
    /// Warnings about the input; analysis went on past each of them.
    public var diagnostics: [AnalysisDiagnostic]
    /// For sets whose turns are each one inference start (the `default`
    /// set): that inference of each turn row, in the order of ``turns``,
    /// found by its start record (``SpanReference/startSequence``; the end
    /// sequence is not set). Empty when the set's turns are not so made; the
    /// turn view then pairs rows with inferences by the `ipw` convention
    /// (the `turn_index`-th inference end of the query).
    public var turnInferences: [SpanReference] = []

    /// Creates a result.
    public init(
        turns: [AnalysisRow] = [], queries: [AnalysisRow] = [], runs: [AnalysisRow] = [],
        diagnostics: [AnalysisDiagnostic] = []
    ) {
        self.turns = turns
        self.queries = queries
        self.runs = runs
        self.diagnostics = diagnostics
    }
}
