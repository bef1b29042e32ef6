/// A named, versioned definition of metrics computed from one run's events.
///
/// A metric set is pure: the same events always give the same result, with
/// no clock reads and no dependence on dictionary order. Besides its rows a
/// set says what the views may do with it: whether its turn and query rows
/// are final (``viewConvention``), what energy it attributes to single spans
/// (``spanEnergy(_:)``), and whether it can analyse logs as a stream
/// (``analyzeStream(_:)``). Each has a default for sets that do none of it.
public protocol MetricSet: Sendable {
    /// The set's name and version.
    static var identity: MetricSetIdentity { get }

    /// What the set is, in one line (`trace-analyze metrics` prints it).
    static var summary: String { get }

    /// Analyses one run's events (in record order).
    func analyze(_ run: RunEvents) -> AnalysisResult

    /// How the turn and query views treat the set's rows.
    var viewConvention: ViewConvention { get }

    /// The GPU energy the set attributes to each inference and tool call of
    /// `run`, for the tool and model views; ``SpanEnergy/unknown`` when it
    /// attributes none to single spans.
    func spanEnergy(_ run: RunEvents) -> SpanEnergy

    /// Analyses the logs at `paths` as a stream, when the set can and the
    /// logs allow it (the same rows as reading them whole); nil otherwise.
    func analyzeStream(_ paths: [String]) -> StreamedLogAnalysis.Outcome?

    /// The set with telemetry sources' timestamps shifted onto the run's
    /// clock (`--clock-offset`); nil when the set takes no offsets.
    func withClockOffsets(_ offsets: [SourceClockOffset]) -> (any MetricSet)?

    /// The set, asked to make only the rows in `rows`: those it makes are
    /// the same, the others may be left empty. A caller that reads no turn
    /// rows need not pay for them (``AnalysisView/rowsRead``).
    func making(_ rows: AnalysisRowKinds) -> any MetricSet
}

/// How the turn and query views treat a metric set's rows.
public enum ViewConvention: Sendable, Equatable {
    /// The views add model, cost and latency columns, joined through the
    /// run structure (``TurnView``, ``QueryView``).
    case augmented
    /// The rows are printed as the set made them (a set that reproduces a
    /// reference's output exactly, such as `ipw`).
    case asDefined
}

extension MetricSet {
    /// The set's name and version (the same as ``MetricSet/identity``, usable
    /// on an `any MetricSet` value).
    public var identity: MetricSetIdentity { Self.identity }

    /// The one-line description (the same as ``MetricSet/summary``).
    public var summary: String { Self.summary }

    /// Augmented, unless the set says otherwise.
    public var viewConvention: ViewConvention { .augmented }

    /// No span energy, unless the set attributes some.
    public func spanEnergy(_ run: RunEvents) -> SpanEnergy { .unknown }

    /// No stream, unless the set has one.
    public func analyzeStream(_ paths: [String]) -> StreamedLogAnalysis.Outcome? { nil }

    /// Takes no offsets.
    public func withClockOffsets(_ offsets: [SourceClockOffset]) -> (any MetricSet)? { nil }

    /// The set itself, making every row, unless it can leave some out.
    public func making(_ rows: AnalysisRowKinds) -> any MetricSet { self }
}
