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
