import TraceLog

/// Builds a ``RunStructure``: the one place where starts and ends are paired
/// and turns are made (docs/METRICS.md, "Run structure").
///
/// Rules, applied to each query's events in record order (and separately
/// to the events outside any query, grouped by the query they name):
/// 1. An inference or tool start opens a span. A start whose span id is
///    already open in the same group opens a second span (reported); ends
///    close the latest.
/// 2. An inference end with a span id closes the latest open inference with
///    that id; without a span id, the latest open inference. A tool end
///    with a span id closes the latest open call with that id, else the
///    latest open call of the same tool name that has no span id; without a
///    span id, the latest open call of the same tool name. Tool names are
///    the start's, else the end's (`unknown` when neither names one), so a
///    call whose end names the tool differently is still paired by its id.
/// 3. An end that closes nothing is an end-only span (reported): it counts
///    as a call, has no latency and belongs to no turn.
/// 4. A start never closed is an unfinished span (reported): it runs to its
///    query's end for energy and has no latency.
/// 5. Turns: a query's inference starts sorted by start time (record order
///    among equal times); turn *k* spans `[start k, start k+1)`, the last
///    ends at the query's end. A tool call joins the turn whose inference's
///    span id is its `parentSpanID`, else the last turn starting at or
///    before it; calls before the first inference are in no turn.
struct RunStructureBuilder {
    var runID: String
    /// The pairing's problems (the windows' are the splitter's), each
    /// group's added when it is paired.
    private var diagnostics: [AnalysisDiagnostic] = []
    private var splitter: QueryWindowSplitter
    /// The open windows' pairings, in the splitter's order of open windows:
    /// each event is paired as it arrives, none is held.
    private var open: [SpanPairing] = []
    /// The windows paired but not yet assembled (a window before them is
    /// still open), by their position in start order: each one's query,
    /// with indices into its own spans.
    private var paired: [Int: (query: StructureQuery, spans: [StructureSpan])] = [:]
    /// The events that belong to no window, in record order.
    private var outside: [TraceEvent] = []
    /// The hosts and labels of the run-start records seen, in record order.
    private(set) var runStarts: [(host: String?, labels: [Label])] = []
    /// The labels of the run-start records seen, in record order.
    var runLabels: [[Label]] { runStarts.map { $0.labels } }
    /// The windows before this one are in `queries` and `assembled`.
    private var nextToAssemble = 0
    /// The spans of the windows before `nextToAssemble`, renumbered.
    private var assembled: [StructureSpan] = []
    private var queries: [StructureQuery] = []
    /// Diagnostics that come before the splitter's (timestamps left out).
    private var leading: [AnalysisDiagnostic] = []

    init(runID: String) {
        self.runID = runID
        self.splitter = QueryWindowSplitter(runID: runID)
        splitter.keepsEvents = false
    }

    /// The whole run at once: events with implausible timestamps left out
    /// (one diagnostic), the rest taken in record order.
    mutating func build(_ run: RunEvents) -> RunStructure {
        let (plausible, timeDiagnostics) = run.withPlausibleTimestamps()
        leading = timeDiagnostics
        for event in plausible.eventsInRecordOrder { add(event) }
        return finish()
    }

    /// Takes the run's next event in record order (samples are ignored).
    /// Starts and ends are paired as they arrive, in their query's window
    /// (``QueryWindowSplitter``); a query's turns are made when it ends.
    mutating func add(_ event: TraceEvent) {
        if case .runStart(let start) = event.payload { runStarts.append((start.host, start.labels)) }
        switch splitter.add(event) {
        case .none:
            return
        case .opened:
            open.append(SpanPairing(runID: runID, query: splitter.started - 1, queryID: splitter.lastOpenedID))
        case .joined(let position):
            open[position].add(event)
        case .outside(let event):
            outside.append(event)
        case .closed(let index, let position, let window):
            let pairing = open.remove(at: position)
            close(window, index: index, pairing: pairing)
            assembleClosed()
        }
    }

    /// The structure of the events taken. Queries never ended are closed
    /// at their last event and reported.
    mutating func finish() -> RunStructure {
        let pairings = open
        open = []
        for ((index, window), pairing) in zip(splitter.finish(), pairings) {
            close(window, index: index, pairing: pairing)
        }
        assembleClosed()
        // The slack of the assembled array is never touched, so not
        // resident: it is kept rather than copied.
        var spans = assembled
        assembled = []
        // Outside any query: grouped by the query the events name.
        var groups: [SpanPairing] = []
        for event in outside {
            let id = event.payload.queryID
            if let index = groups.firstIndex(where: { $0.queryID == id }) {
                groups[index].add(event)
            } else {
                groups.append(SpanPairing(runID: runID, query: nil, queryID: id))
                groups[groups.count - 1].add(event)
            }
        }
        outside = []
        for var group in groups {
            group.finish(runsToQueryEnd: false)
            diagnostics += group.warnings
            spans += group.spans
        }
        let sorted = (leading + splitter.diagnostics + diagnostics).enumerated()
            .sorted { ($0.element.sequence ?? .max, $0.offset) < ($1.element.sequence ?? .max, $1.offset) }
            .map(\.element)
        var structure = RunStructure(runID: runID, queries: queries, spans: spans, diagnostics: sorted)
        structure.runLabels = runLabels
        queries = []
        diagnostics = []
        leading = []
        return structure
    }

    /// Ends a closed window's pairing and makes its query, with indices
    /// into its own spans, assembled at once when it is the next in start
    /// order.
    private mutating func close(_ window: QueryWindow, index q: Int, pairing: SpanPairing) {
        var pairing = pairing
        pairing.finish(runsToQueryEnd: true)
        diagnostics += pairing.warnings
        let status = window.endStatus
        let start = window.start.timestamp
        let end = max(window.endTimestamp, start)
        var error: String?
        var resolved: Bool?
        var score: Double?
        if case .queryEnd(let e)? = window.end?.payload { (error, resolved, score) = (e.error, e.resolved, e.score) }
        var labels: [Label] = []
        if case .queryStart(let e) = window.start.payload { labels = e.labels }
        let (turns, outside) = Self.makeTurns(pairing.spans, queryEnd: end)
        let query = StructureQuery(
            queryID: window.queryID, start: start, startSequence: window.start.sequence, end: end,
            ended: window.end != nil, status: status, error: error,
            completed: window.end != nil && status != "failed" && status != "timed_out",
            labels: labels, resolved: resolved, score: score,
            spans: Array(pairing.spans.indices), turns: turns, toolsOutsideTurns: outside)
        if q == nextToAssemble {
            assemble(query, pairing.spans)
        } else {
            paired[q] = (query, pairing.spans)
        }
    }

    /// Appends a query and its spans, the next in start order, its span
    /// indices renumbered: spans stay query by query in start order
    /// whatever order the queries end in.
    private mutating func assemble(_ query: StructureQuery, _ own: [StructureSpan]) {
        var renumbered = query
        let offset = assembled.count
        if offset > 0 {
            renumbered.spans = query.spans.map { $0 + offset }
            renumbered.toolsOutsideTurns = query.toolsOutsideTurns.map { $0 + offset }
            for t in renumbered.turns.indices {
                renumbered.turns[t].inference += offset
                renumbered.turns[t].tools = renumbered.turns[t].tools.map { $0 + offset }
            }
        }
        assembled += own
        queries.append(renumbered)
        nextToAssemble += 1
    }

    /// Assembles the paired windows that are next in start order.
    private mutating func assembleClosed() {
        while !paired.isEmpty, let (query, own) = paired.removeValue(forKey: nextToAssemble) {
            assemble(query, own)
        }
    }

    /// A query's turns and the calls in no turn (rule 5), from its spans.
    private static func makeTurns(_ spans: [StructureSpan], queryEnd: Int64) -> (turns: [StructureTurn], outside: [Int]) {
        // (start, index) of the inferences and of the calls with a start,
        // in record order: usually already in start order.
        var inferences: [(start: Int64, index: Int)] = []
        var tools: [(start: Int64, index: Int)] = []
        for index in spans.indices {
            guard let start = spans[index].start else { continue }
            if spans[index].kind == .inference {
                inferences.append((start, index))
            } else {
                tools.append((start, index))
            }
        }
        func inStartOrder(_ list: inout [(start: Int64, index: Int)]) {
            guard zip(list, list.dropFirst()).contains(where: { $0.start > $1.start }) else { return }
            list.sort { ($0.start, $0.index) < ($1.start, $1.index) }
        }
        inStartOrder(&inferences)
        inStartOrder(&tools)
        var turns: [StructureTurn] = []
        turns.reserveCapacity(inferences.count)
        for (position, inference) in inferences.enumerated() {
            let end = position + 1 < inferences.count ? inferences[position + 1].start : max(queryEnd, inference.start)
            turns.append(StructureTurn(inference: inference.index, start: inference.start, end: end, tools: []))
        }
        var outside: [Int] = []
        for tool in tools {
            var turn: Int?
            if let parent = spans[tool.index].parentSpanID {
                turn = turns.firstIndex { spans[$0.inference].spanID == parent }
            }
            if turn == nil { turn = turns.lastIndex { $0.start <= tool.start } }
            if let turn {
                turns[turn].tools.append(tool.index)
            } else {
                outside.append(tool.index)
            }
        }
        return (turns, outside)
    }
}

/// One group's starts and ends paired as they arrive in record order
/// (rules 1 to 4 of ``RunStructureBuilder``): a query window's, or the
/// events outside every window that name one query.
struct SpanPairing {
    let runID: String
    /// The query's position in start order (nil outside every window).
    let query: Int?
    let queryID: String?
    /// The group's spans in record order of their first record.
    private(set) var spans: [StructureSpan] = []
    /// The problems met, in the order met (``finish(runsToQueryEnd:)``
    /// adds the spans never ended).
    private(set) var warnings: [AnalysisDiagnostic] = []
    private var openInferences: [Int] = []
    private var openTools: [Int] = []

    init(runID: String, query: Int?, queryID: String?) {
        self.runID = runID
        self.query = query
        self.queryID = queryID
    }

    private mutating func warn(_ sequence: UInt64, _ message: String) {
        warnings.append(AnalysisDiagnostic(runID: runID, queryID: queryID, sequence: sequence, message: message))
    }

    /// Takes the group's next event in record order (those that are not
    /// starts or ends of spans are ignored).
    mutating func add(_ event: TraceEvent) {
        switch event.payload {
        case .inferenceStart(let s):
            if let id = s.spanID, openInferences.contains(where: { spans[$0].spanID == id }) {
                warn(event.sequence, "inference start reuses the open span id \"\(id)\" (ends close the latest)")
            }
            var span = StructureSpan(kind: .inference, state: .unfinished, spanID: s.spanID, query: query, queryID: queryID)
            span.start = event.timestamp
            span.startSequence = event.sequence
            span.startModel = s.model
            spans.append(span)
            openInferences.append(spans.count - 1)
        case .inferenceEnd(let e):
            let position: Int?
            if let id = e.spanID {
                position = openInferences.lastIndex { spans[$0].spanID == id }
            } else {
                position = openInferences.indices.last
            }
            let index: Int
            if let position {
                index = openInferences.remove(at: position)
                spans[index].state = .finished
            } else {
                warn(event.sequence, "inference end without a start (no latency, in no turn)")
                spans.append(StructureSpan(kind: .inference, state: .endOnly, spanID: e.spanID, query: query, queryID: queryID))
                index = spans.count - 1
            }
            spans[index].end = event.timestamp
            spans[index].endSequence = event.sequence
            spans[index].endModel = e.model
            spans[index].routedModel = e.routedModel
            spans[index].promptTokens = e.promptTokens
            spans[index].completionTokens = e.completionTokens
            spans[index].cachedTokens = e.cachedTokens
            spans[index].reasoningTokens = e.reasoningTokens
            spans[index].costUSD = e.costUSD
            spans[index].timeToFirstTokenSeconds = e.timeToFirstTokenSeconds
            spans[index].status = e.status
            spans[index].error = e.error
            spans[index].stopReason = e.stopReason
            spans[index].provider = e.provider
            spans[index].cacheWriteTokens = e.cacheWriteTokens
        case .toolStart(let s):
            if let id = s.spanID, openTools.contains(where: { spans[$0].spanID == id }) {
                warn(event.sequence, "tool start reuses the open span id \"\(id)\" (ends close the latest)")
            }
            var span = StructureSpan(kind: .tool, state: .unfinished, spanID: s.spanID, query: query, queryID: queryID)
            span.parentSpanID = s.parentSpanID
            span.start = event.timestamp
            span.startSequence = event.sequence
            span.startTool = s.tool
            spans.append(span)
            openTools.append(spans.count - 1)
        case .toolEnd(let e):
            let name = e.tool ?? "unknown"
            var position: Int?
            if let id = e.spanID { position = openTools.lastIndex { spans[$0].spanID == id } }
            if position == nil {
                position = openTools.lastIndex {
                    spans[$0].toolName == name && (e.spanID == nil || spans[$0].spanID == nil)
                }
            }
            let index: Int
            if let position {
                index = openTools.remove(at: position)
                spans[index].state = .finished
                if spans[index].spanID == nil { spans[index].spanID = e.spanID }
            } else {
                warn(event.sequence, "tool end without a start (tool \"\(name)\", no latency, in no turn)")
                spans.append(StructureSpan(kind: .tool, state: .endOnly, spanID: e.spanID, query: query, queryID: queryID))
                index = spans.count - 1
            }
            spans[index].end = event.timestamp
            spans[index].endSequence = event.sequence
            spans[index].endTool = e.tool
            spans[index].ok = e.ok
            spans[index].error = e.error
            spans[index].outputBytes = e.outputBytes
        default:
            return
        }
    }

    /// Reports the spans never ended (in a query window they run to the
    /// query's end).
    mutating func finish(runsToQueryEnd: Bool) {
        let whereTo = runsToQueryEnd ? ", runs to the query's end" : ""
        for index in openInferences {
            warn(spans[index].startSequence ?? 0, "inference never ended (no latency\(whereTo))")
        }
        for index in openTools {
            warn(spans[index].startSequence ?? 0,
                 "tool call never ended (tool \"\(spans[index].toolName)\", no latency\(whereTo))")
        }
        openInferences = []
        openTools = []
    }
}
