import TraceLog

/// One run's queries, turns and spans (inferences and tool calls), built
/// once from its events; every metric set, view and export reads it.
///
/// Build it with ``init(_:)`` from a run's events in record order (samples
/// are ignored). The pairing rules are written once, in ``RunStructureBuilder``
/// and docs/METRICS.md ("Run structure"):
///
/// - Queries are split by the query windows (``QuerySplitter``).
/// - Inside each query (and, separately, among the events outside any
///   query), an end with a span id closes the most recent open start with
///   that id; an inference end without one closes the most recent open
///   inference; a tool end without one (or whose id matches no open call)
///   closes the most recent open call of the same tool name that has no
///   span id.
/// - A start never ended is an ``StructureSpan/State/unfinished`` span that
///   runs to its query's end; an end with no start is an
///   ``StructureSpan/State/endOnly`` span (no latency, in no turn).
/// - Turn *k* of a query is its *k*-th inference start (by start time); a
///   tool call belongs to the turn of its parent inference, else to the turn
///   whose window holds its start.
///
/// Spans are identified by their position in ``spans`` (stable for the same
/// events) and, across analyses, by ``StructureSpan/reference(runID:)``.
public struct RunStructure: Sendable {
    /// The run's identifier.
    public var runID: String
    /// The queries, in the order they started (record order).
    public var queries: [StructureQuery]
    /// Every inference and tool call: query by query (each in record order
    /// of its first record), then the spans outside any query.
    public var spans: [StructureSpan]
    /// Problems met while pairing, in record order.
    public var diagnostics: [AnalysisDiagnostic]
    /// The labels of the run's run-start records, in record order.
    public var runLabels: [[Label]] = []

    /// Builds the structure of a run whose events are in record order.
    /// Events with timestamps outside ``RunEvents/plausibleTimestamps`` are
    /// left out (with one diagnostic), as the metric sets leave them out.
    public init(_ run: RunEvents) {
        var builder = RunStructureBuilder(runID: run.runID)
        self = builder.build(run)
    }

    /// Creates a structure from its parts.
    public init(runID: String, queries: [StructureQuery], spans: [StructureSpan], diagnostics: [AnalysisDiagnostic]) {
        self.runID = runID
        self.queries = queries
        self.spans = spans
        self.diagnostics = diagnostics
    }

    /// The reference of span `index`, for energy lookups.
    public func reference(_ index: Int) -> SpanReference { spans[index].reference(runID: runID) }

    /// The inference spans of the run that ended, in order of their end
    /// records, each with its position among its query's ended inferences:
    /// the turn-per-inference convention of sets such as `ipw`.
    public var endedInferences: [(span: Int, position: Int)] {
        let ended = spans.indices.filter { spans[$0].kind == .inference && spans[$0].endSequence != nil }
            .sorted { (spans[$0].endSequence!, $0) < (spans[$1].endSequence!, $1) }
        var counts: [String: Int] = [:]
        var outside = 0
        return ended.map { index in
            let position: Int
            if let id = spans[index].queryID {
                position = counts[id, default: 0]
                counts[id] = position + 1
            } else {
                position = outside
                outside += 1
            }
            return (index, position)
        }
    }

    /// The tool-call spans in order of their end records (calls never ended
    /// at their start record's position).
    public var toolCallsInRecordOrder: [Int] {
        spans.indices.filter { spans[$0].kind == .tool }
            .sorted { (spans[$0].orderSequence, $0) < (spans[$1].orderSequence, $1) }
    }
}

/// One query of a run's structure.
public struct StructureQuery: Sendable, Equatable {
    /// The query's identifier.
    public var queryID: String
    /// Its start, nanoseconds since the Unix epoch.
    public var start: Int64
    /// The sequence number of its start record.
    public var startSequence: UInt64
    /// The end of its window: the query end's timestamp, else its last
    /// attributed event's; never before ``start``.
    public var end: Int64
    /// Whether a query end was recorded.
    public var ended: Bool
    /// The end's status, when recorded.
    public var status: String?
    /// The end's error, when recorded.
    public var error: String?
    /// Whether it ended with a status other than `failed` or `timed_out`.
    public var completed: Bool
    /// The labels of its start.
    public var labels: [Label] = []
    /// The end's `resolved`, when recorded.
    public var resolved: Bool?
    /// The end's `score`, when recorded.
    public var score: Double?
    /// Its spans (indices into ``RunStructure/spans``), in record order of
    /// their first record.
    public var spans: [Int]
    /// Its turns, in start order.
    public var turns: [StructureTurn]
    /// Tool calls that started before its first inference (in no turn), in
    /// start order.
    public var toolsOutsideTurns: [Int]
}

/// One turn of a query: one inference start and the calls it asked for.
public struct StructureTurn: Sendable, Equatable {
    /// The turn's inference (an index into ``RunStructure/spans``).
    public var inference: Int
    /// The window's start: the inference's start.
    public var start: Int64
    /// The window's end: the next inference's start, else the query's end.
    public var end: Int64
    /// The turn's tool calls (indices into ``RunStructure/spans``), in start order.
    public var tools: [Int]
}

/// One inference or tool call, its start and end paired.
///
/// Every quantity is optional: absent is not zero.
public struct StructureSpan: Sendable, Equatable {
    /// How far a span was recorded.
    public enum State: String, Sendable, Equatable {
        /// Its start and its end were recorded.
        case finished
        /// Its start was recorded, its end never was (a timeout, a crash).
        case unfinished
        /// Its end was recorded without a start.
        case endOnly = "end_only"
    }

    /// Inference or tool call.
    public var kind: SpanReference.Kind
    /// How far it was recorded.
    public var state: State
    /// The recorded span id (the start's, else the end's).
    public var spanID: String?
    /// The id of the query it is attributed to: its window's, or for spans
    /// outside any window the query its records name.
    public var queryID: String?
    /// The span id of the inference that asked for a tool call.
    public var parentSpanID: String?
    /// The model named on the start.
    public var startModel: String?
    /// The model named on the end.
    public var endModel: String?
    /// The tool named on the start.
    public var startTool: String?
    /// The tool named on the end.
    public var endTool: String?
    /// The end's status.
    public var status: String?
    /// A tool end's `ok`.
    public var ok: Bool?

    // Numbers are held without the padding of optionals: a value per
    // field and one bit each saying whether it is there (absent is not
    // zero); the rarely recorded strings sit behind one shared reference,
    // copied before a change when shared.
    private var presence: UInt16 = 0
    private var numbers: (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    private var rare: RareFields?

    init(kind: SpanReference.Kind, state: State, spanID: String?, query: Int?, queryID: String?) {
        self.kind = kind
        self.state = state
        self.spanID = spanID
        self.queryID = queryID
        self.query = query
    }

    /// The number in slot `slot`, when present.
    private func number(_ slot: Int) -> Int64? {
        guard presence & (1 << slot) != 0 else { return nil }
        return withUnsafeBytes(of: numbers) { $0.load(fromByteOffset: slot * 8, as: Int64.self) }
    }

    private mutating func setNumber(_ slot: Int, _ value: Int64?) {
        if let value {
            presence |= 1 << slot
            withUnsafeMutableBytes(of: &numbers) { $0.storeBytes(of: value, toByteOffset: slot * 8, as: Int64.self) }
        } else {
            presence &= ~(1 << slot)
            withUnsafeMutableBytes(of: &numbers) { $0.storeBytes(of: 0, toByteOffset: slot * 8, as: Int64.self) }
        }
    }

    private mutating func setRare(_ change: (RareFields) -> Void) {
        if rare == nil {
            rare = RareFields()
        } else if !isKnownUniquelyReferenced(&rare!) {
            rare = rare!.copy()
        }
        change(rare!)
    }

    /// The query it is in (an index into ``RunStructure/queries``), if any.
    public var query: Int? {
        get { number(0).map { Int($0) } }
        set { setNumber(0, newValue.map { Int64($0) }) }
    }
    /// The start, nanoseconds since the Unix epoch.
    public var start: Int64? {
        get { number(1) }
        set { setNumber(1, newValue) }
    }
    /// The start record's sequence number.
    public var startSequence: UInt64? {
        get { number(2).map { UInt64(bitPattern: $0) } }
        set { setNumber(2, newValue.map { Int64(bitPattern: $0) }) }
    }
    /// The end as recorded, nanoseconds since the Unix epoch (may precede
    /// the start in a damaged log; see ``clampedEnd``).
    public var end: Int64? {
        get { number(3) }
        set { setNumber(3, newValue) }
    }
    /// The end record's sequence number.
    public var endSequence: UInt64? {
        get { number(4).map { UInt64(bitPattern: $0) } }
        set { setNumber(4, newValue.map { Int64(bitPattern: $0) }) }
    }
    /// Prompt tokens (end).
    public var promptTokens: Int64? {
        get { number(5) }
        set { setNumber(5, newValue) }
    }
    /// Completion tokens (end).
    public var completionTokens: Int64? {
        get { number(6) }
        set { setNumber(6, newValue) }
    }
    /// Cached prompt tokens (end).
    public var cachedTokens: Int64? {
        get { number(7) }
        set { setNumber(7, newValue) }
    }
    /// Reasoning tokens (end).
    public var reasoningTokens: Int64? {
        get { number(8) }
        set { setNumber(8, newValue) }
    }
    /// The provider's cost, USD (end).
    public var costUSD: Double? {
        get { number(9).map { Double(bitPattern: UInt64(bitPattern: $0)) } }
        set { setNumber(9, newValue.map { Int64(bitPattern: $0.bitPattern) }) }
    }
    /// Time to first token, seconds (end).
    public var timeToFirstTokenSeconds: Double? {
        get { number(10).map { Double(bitPattern: UInt64(bitPattern: $0)) } }
        set { setNumber(10, newValue.map { Int64(bitPattern: $0.bitPattern) }) }
    }
    /// Input tokens written to the prompt cache, from its end.
    public var cacheWriteTokens: Int64? {
        get { number(11) }
        set { setNumber(11, newValue) }
    }
    /// A tool end's output size, bytes.
    public var outputBytes: Int64? {
        get { number(12) }
        set { setNumber(12, newValue) }
    }
    /// The model the provider routed to (end).
    public var routedModel: String? {
        get { rare?.routedModel }
        set { if newValue != nil || rare != nil { setRare { $0.routedModel = newValue } } }
    }
    /// The end's error.
    public var error: String? {
        get { rare?.error }
        set { if newValue != nil || rare != nil { setRare { $0.error = newValue } } }
    }
    /// Why generation stopped (end).
    public var stopReason: String? {
        get { rare?.stopReason }
        set { if newValue != nil || rare != nil { setRare { $0.stopReason = newValue } } }
    }
    /// Who served the call, from its end.
    public var provider: String? {
        get { rare?.provider }
        set { if newValue != nil || rare != nil { setRare { $0.provider = newValue } } }
    }

    /// Spans are equal when every field is (doubles by value, as `==` on
    /// `Double?` compares them).
    public static func == (lhs: StructureSpan, rhs: StructureSpan) -> Bool {
        lhs.kind == rhs.kind && lhs.state == rhs.state && lhs.spanID == rhs.spanID && lhs.queryID == rhs.queryID
            && lhs.parentSpanID == rhs.parentSpanID && lhs.startModel == rhs.startModel && lhs.endModel == rhs.endModel
            && lhs.startTool == rhs.startTool && lhs.endTool == rhs.endTool && lhs.status == rhs.status && lhs.ok == rhs.ok
            && lhs.query == rhs.query && lhs.start == rhs.start && lhs.startSequence == rhs.startSequence
            && lhs.end == rhs.end && lhs.endSequence == rhs.endSequence && lhs.promptTokens == rhs.promptTokens
            && lhs.completionTokens == rhs.completionTokens && lhs.cachedTokens == rhs.cachedTokens
            && lhs.reasoningTokens == rhs.reasoningTokens && lhs.costUSD == rhs.costUSD
            && lhs.timeToFirstTokenSeconds == rhs.timeToFirstTokenSeconds && lhs.cacheWriteTokens == rhs.cacheWriteTokens
            && lhs.outputBytes == rhs.outputBytes && lhs.routedModel == rhs.routedModel && lhs.error == rhs.error
            && lhs.stopReason == rhs.stopReason && lhs.provider == rhs.provider
    }

    /// The call's token counts (prompt, completion).
    var usage: (prompt: Int64?, completion: Int64?) { (promptTokens, completionTokens) }

    /// The model the call is counted and priced under: routed, else named on
    /// the end, else on the start.
    public var model: String? { routedModel ?? endModel ?? startModel }

    /// The tool's name: the start's, else the end's, else `unknown`.
    public var toolName: String { startTool ?? endTool ?? "unknown" }

    /// The end, never before the start.
    public var clampedEnd: Int64? {
        guard let end else { return nil }
        guard let start else { return end }
        return max(end, start)
    }

    /// End minus start in seconds (`Double(ns) / 1e9`), when both were
    /// recorded; `nil` if the difference does not fit in 64 bits.
    public var latencySeconds: Double? {
        guard let start, let end else { return nil }
        let (difference, overflow) = end.subtractingReportingOverflow(start)
        return overflow ? nil : Double(difference) / 1e9
    }

    /// Whether the call failed: an inference with a status other than
    /// `ok`/`completed`/`success`/`stop` or an error; a tool call whose end
    /// says `ok: false` or carries an error.
    public var failed: Bool {
        let hasError = error.map { !$0.isEmpty } ?? false
        switch kind {
        case .inference:
            let failedStatus = status.map { !["ok", "completed", "success", "stop"].contains($0.lowercased()) } ?? false
            return failedStatus || hasError
        case .tool:
            return ok == false || hasError
        }
    }

    /// The sequence that orders spans by their closing record: the end's,
    /// else the start's.
    var orderSequence: UInt64 { endSequence ?? startSequence ?? 0 }

    /// The span's reference in run `runID`.
    public func reference(runID: String) -> SpanReference {
        SpanReference(kind: kind, runID: runID, queryID: queryID, spanID: spanID,
                      startSequence: startSequence, endSequence: endSequence)
    }
}

extension RunStructure {
    /// The inference spans that have a start, by their start record's sequence.
    public var inferenceStarts: [UInt64: Int] {
        var table: [UInt64: Int] = [:]
        for (index, span) in spans.enumerated() where span.kind == .inference {
            if let sequence = span.startSequence, table[sequence] == nil { table[sequence] = index }
        }
        return table
    }

    /// The ended inferences of each query (by query id), in order of their
    /// end records: the turn-per-inference convention of sets such as `ipw`.
    public var endedInferencesByQuery: [String: [Int]] {
        var table: [String: [Int]] = [:]
        for (span, _) in endedInferences {
            guard let id = spans[span].queryID else { continue }
            table[id, default: []].append(span)
        }
        return table
    }
}

/// The strings a span rarely has, behind one reference (``StructureSpan``
/// copies it before changing it when it is shared).
private final class RareFields: @unchecked Sendable {
    var routedModel: String?
    var error: String?
    var stopReason: String?
    var provider: String?

    func copy() -> RareFields {
        let copy = RareFields()
        copy.routedModel = routedModel
        copy.error = error
        copy.stopReason = stopReason
        copy.provider = provider
        return copy
    }
}
