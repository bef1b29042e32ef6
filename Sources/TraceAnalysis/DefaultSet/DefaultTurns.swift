import TraceLog

/// One inference of a query, as the default set pairs its start and end.
struct DefaultInference {
    /// The inference's span in the run's ``RunStructure``.
    var span: Int
    var spanID: String?
    var start: Int64
    /// Record sequence of the start event.
    var startSequence: UInt64 = 0
    var end: Int64?
    var promptTokens: Int64?
    var completionTokens: Int64?
    var costUSD: Double?
    /// When the first token arrived: the start plus the recorded time to
    /// first token, where that is a finite, non-negative number of seconds
    /// that lands inside the span (else unknown).
    var firstToken: Int64? = nil
}

/// One tool call of a query, as the default set pairs its start and end.
struct DefaultToolCall {
    var span: Int
    var spanID: String?
    var name: String
    var parentSpanID: String?
    var start: Int64
    /// Record sequence of the start event.
    var startSequence: UInt64 = 0
    var end: Int64?
}

/// One turn under the default set's convention.
struct DefaultTurn {
    /// The turn's inference.
    var inference: DefaultInference
    /// The window `inference start ..< next inference start` (query end for the last).
    var start: Int64
    var end: Int64
    /// The calls the turn asked for, in start order.
    var tools: [DefaultToolCall]
}

extension DefaultTurn {
    /// The default set's view of one turn of a run's structure.
    init(_ turn: StructureTurn, in structure: RunStructure) {
        let i = structure.spans[turn.inference]
        inference = DefaultInference(
            span: turn.inference, spanID: i.spanID, start: turn.start, startSequence: i.startSequence ?? 0,
            end: i.clampedEnd, promptTokens: i.promptTokens, completionTokens: i.completionTokens, costUSD: i.costUSD,
            firstToken: DefaultInference.firstToken(start: turn.start, end: i.clampedEnd, seconds: i.timeToFirstTokenSeconds))
        start = turn.start
        end = turn.end
        tools = turn.tools.map { DefaultToolCall(structure.spans[$0], span: $0) }
    }
}

extension DefaultInference {
    /// `start` plus `seconds` of time to first token, when the result is
    /// known to lie inside `start ... end` (an unfinished span has no
    /// bound and no first token).
    static func firstToken(start: Int64, end: Int64?, seconds: Double?) -> Int64? {
        guard let seconds, let end, seconds.isFinite, seconds >= 0, end >= start else { return nil }
        let (length, overflow) = end.subtractingReportingOverflow(start)
        guard !overflow, let nanoseconds = Int64(exactly: (seconds * 1e9).rounded()), nanoseconds <= length else { return nil }
        return start + nanoseconds
    }
}

extension DefaultToolCall {
    /// The default set's view of a tool-call span that has a start. The
    /// set's turn rows name a call as its start does (`unknown` without a
    /// name), as version 1 always has; the views name it by the start, else
    /// the end (``StructureSpan/toolName``).
    init(_ call: StructureSpan, span: Int) {
        self.init(span: span, spanID: call.spanID, name: call.startTool ?? "unknown", parentSpanID: call.parentSpanID,
                  start: call.start ?? 0, startSequence: call.startSequence ?? 0, end: call.clampedEnd)
    }
}
