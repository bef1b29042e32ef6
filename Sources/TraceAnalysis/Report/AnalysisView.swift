/// What rows an analysis prints (`trace-analyze --by`): the views of
/// ``ViewKind`` plus the metric set's run rows.
public enum AnalysisView: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The metric set's run rows.
    case run
    /// One of the views (``ViewKind``).
    case view(ViewKind)

    /// One row per turn.
    public static let turn = AnalysisView.view(.turn)
    /// One row per query.
    public static let query = AnalysisView.view(.query)

    /// Parses `run`, `turn`, `query`, `tool`, `model` or `label:KEY`.
    public init?(_ text: String) {
        if text == "run" {
            self = .run
        } else if let view = ViewKind(text) {
            self = .view(view)
        } else {
            return nil
        }
    }

    /// The forms ``init(_:)`` takes, for help texts.
    public static let allForms = ["turn", "query", "run", "tool", "model", "label:KEY"]

    /// The text form, as `--by` takes it.
    public var description: String {
        switch self {
        case .run: "run"
        case .view(let kind): kind.description
        }
    }
}
