/// The views `trace-analyze --by` offers.
public enum ViewKind: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// `turn`: the metric set's turn rows (``TurnView``).
    case turn
    /// `query`: the metric set's query rows (``QueryView``).
    case query
    /// `tool`: one row per tool name (``ToolView``).
    case tool
    /// `model`: one row per model (``ModelView``).
    case model
    /// `label:KEY`: query totals grouped by a label (``LabelView``).
    case label(String)

    /// Parses `turn`, `query`, `tool`, `model` or `label:KEY` (KEY not
    /// empty); `nil` otherwise.
    public init?(_ text: String) {
        switch text {
        case "turn": self = .turn
        case "query": self = .query
        case "tool": self = .tool
        case "model": self = .model
        default:
            guard text.hasPrefix("label:") else { return nil }
            let key = String(text.dropFirst("label:".count))
            guard !key.isEmpty else { return nil }
            self = .label(key)
        }
    }

    /// The text form, as `--by` takes it.
    public var description: String {
        switch self {
        case .turn: "turn"
        case .query: "query"
        case .tool: "tool"
        case .model: "model"
        case .label(let key): "label:\(key)"
        }
    }

    /// The rows of this view for several runs, each already analysed by
    /// the chosen metric set; `energy` gives per-span energy for the tool
    /// and model views.
    public func rows(
        _ runs: [AnalyzedRun], prices: PriceTable, energy: SpanEnergy = .unknown,
        failedQueries: LabelView.FailedQueries = .exclude, poolRuns: Bool = false
    ) -> ViewResult {
        switch self {
        case .turn: TurnView.rows(runs, prices: prices)
        case .query: QueryView.rows(runs, prices: prices)
        case .tool: ToolView.rows(runs.map(\.structure), energy: energy, poolRuns: poolRuns)
        case .model: ModelView.rows(runs.map(\.structure), prices: prices, energy: energy, poolRuns: poolRuns)
        case .label(let key): LabelView.rows(runs, key: key, prices: prices, failedQueries: failedQueries, poolRuns: poolRuns)
        }
    }
}
