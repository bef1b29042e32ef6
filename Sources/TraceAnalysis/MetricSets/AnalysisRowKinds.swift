/// Which of a metric set's rows a caller reads: turn, query and run rows.
///
/// A view that reads no turn rows (the query, run, tool, model and label
/// views) asks the set for the others only (``MetricSet/making(_:)``), so
/// that an analysis of 20 000 queries does not make and hold some 60 000
/// turn rows nobody prints.
public struct AnalysisRowKinds: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Turn rows (``AnalysisResult/turns`` and ``AnalysisResult/turnInferences``).
    public static let turns = AnalysisRowKinds(rawValue: 1)
    /// Query rows (``AnalysisResult/queries``).
    public static let queries = AnalysisRowKinds(rawValue: 2)
    /// Run rows (``AnalysisResult/runs``).
    public static let runs = AnalysisRowKinds(rawValue: 4)
    /// Every row.
    public static let all: AnalysisRowKinds = [.turns, .queries, .runs]
}

extension AnalysisView {
    /// The rows of its metric set the view reads (besides the run
    /// structure and the diagnostics, which every analysis makes).
    public var rowsRead: AnalysisRowKinds {
        switch self {
        case .run: .runs
        case .view(.turn): .turns
        case .view(.query), .view(.label): .queries
        case .view(.tool), .view(.model): []
        }
    }
}
