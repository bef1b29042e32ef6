/// The rows of a view, with what the caller should tell the user.
public struct ViewResult: Sendable, Equatable {
    /// The view's rows, in the view's documented order.
    public var rows: [AnalysisRow]
    /// Models that needed the price table and are not in it, each once,
    /// sorted by UTF-8 bytes; their costs are `null`. The CLI prints them on
    /// stderr.
    public var unpricedModels: [String]
    /// Problems met in the input (unmatched starts and ends, …).
    public var diagnostics: [AnalysisDiagnostic]
    /// Warnings about the request itself (e.g. a label no query has), for
    /// standard error.
    public var warnings: [String]

    /// Creates a result.
    public init(
        rows: [AnalysisRow], unpricedModels: [String] = [], diagnostics: [AnalysisDiagnostic] = [],
        warnings: [String] = []
    ) {
        self.rows = rows
        self.unpricedModels = unpricedModels
        self.diagnostics = diagnostics
        self.warnings = warnings
    }
}
