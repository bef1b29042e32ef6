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
    /// Scratch for ``pair(_:query:queryID:queryEnd:)``: the spans of the
    /// group being paired (at the end, every span of the run).
    private var spans: [StructureSpan] = []
    /// The pairing's problems (the windows' are the splitter's).
    private var diagnostics: [AnalysisDiagnostic] = []
    private var splitter: QueryWindowSplitter
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
    }

    private mutating func warn(_ sequence: UInt64, _ queryID: String?, _ message: String) {
        diagnostics.append(AnalysisDiagnostic(runID: runID, queryID: queryID, sequence: sequence, message: message))
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
    /// A query's events are paired as soon as its end arrives
    /// (``QueryWindowSplitter``), so only the open queries' events are held.
    mutating func add(_ event: TraceEvent) {
        if case .runStart(let start) = event.payload { runStarts.append((start.host, start.labels)) }
        switch splitter.add(event) {
        case .none:
            return
        case .outside(let event):
            outside.append(event)
        case .closed(let index, let window):
            pairWindow(window, index: index)
            assembleClosed()
        }
    }

    /// The structure of the events taken. Queries never ended are closed
    /// at their last event and reported.
    mutating func finish() -> RunStructure {
        for (index, window) in splitter.finish() { pairWindow(window, index: index) }
        assembleClosed()
        // Exactly sized: the structure is kept for every view.
        spans = []
        spans.reserveCapacity(assembled.count + outside.count)
        spans += assembled
        assembled = []
        // Outside any query: grouped by the query the events name.
        var groups: [(queryID: String?, events: [TraceEvent])] = []
        for event in outside {
            let id = event.payload.queryID
            if let index = groups.firstIndex(where: { $0.queryID == id }) {
                groups[index].events.append(event)
            } else {
                groups.append((id, [event]))
            }
        }
        outside = []
        for group in groups {
            _ = pair(group.events, query: nil, queryID: group.queryID, queryEnd: nil)
        }
        let sorted = (leading + splitter.diagnostics + diagnostics).enumerated()
            .sorted { ($0.element.sequence ?? .max, $0.offset) < ($1.element.sequence ?? .max, $1.offset) }
            .map(\.element)
        var structure = RunStructure(runID: runID, queries: queries, spans: spans, diagnostics: sorted)
        structure.runLabels = runLabels
        spans = []
        queries = []
        diagnostics = []
        leading = []
        return structure
    }

    /// Pairs a closed window's events: its query, with indices into its
    /// own spans.
    private mutating func pairWindow(_ window: QueryWindow, index q: Int) {
        let status = window.endStatus
        let start = window.start.timestamp
        let end = max(window.endTimestamp, start)
        var error: String?
        var resolved: Bool?
        var score: Double?
        if case .queryEnd(let e)? = window.end?.payload { (error, resolved, score) = (e.error, e.resolved, e.score) }
        var labels: [Label] = []
        if case .queryStart(let e) = window.start.payload { labels = e.labels }
        // The next query to assemble (the usual case: queries end in the
        // order they start) pairs straight into the assembled spans, with
        // their final indices; another pairs into spans of its own.
        let inPlace = q == nextToAssemble
        spans = []
        if inPlace { swap(&spans, &assembled) }
        let members = pair(window.events, query: q, queryID: window.queryID, queryEnd: end)
        let (turns, outside) = makeTurns(members, queryEnd: end)
        let query = StructureQuery(
            queryID: window.queryID, start: start, startSequence: window.start.sequence, end: end,
            ended: window.end != nil, status: status, error: error,
            completed: window.end != nil && status != "failed" && status != "timed_out",
            labels: labels, resolved: resolved, score: score,
            spans: members, turns: turns, toolsOutsideTurns: outside)
        if inPlace {
            swap(&spans, &assembled)
            queries.append(query)
            nextToAssemble += 1
        } else {
            paired[q] = (query, spans)
            spans = []
        }
    }

    /// Moves the paired windows at the front into `queries` and
    /// `assembled`, their span indices renumbered: spans stay query by
    /// query in start order whatever order the queries end in.
    private mutating func assembleClosed() {
        while let (query, own) = paired.removeValue(forKey: nextToAssemble) {
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
            assembled.append(contentsOf: own)
            queries.append(renumbered)
            nextToAssemble += 1
        }
    }

    /// Pairs one group's starts and ends; returns the new spans' indices in
    /// record order of their first record.
    private mutating func pair(_ events: [TraceEvent], query: Int?, queryID: String?, queryEnd: Int64?) -> [Int] {
        var members: [Int] = []
        var openInferences: [Int] = []
        var openTools: [Int] = []
        for event in events {
            switch event.payload {
            case .inferenceStart(let s):
                if let id = s.spanID, openInferences.contains(where: { spans[$0].spanID == id }) {
                    warn(event.sequence, queryID, "inference start reuses the open span id \"\(id)\" (ends close the latest)")
                }
                var span = StructureSpan(kind: .inference, state: .unfinished, spanID: s.spanID, query: query, queryID: queryID)
                span.start = event.timestamp
                span.startSequence = event.sequence
                span.startModel = s.model
                spans.append(span)
                members.append(spans.count - 1)
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
                    warn(event.sequence, queryID, "inference end without a start (no latency, in no turn)")
                    spans.append(StructureSpan(kind: .inference, state: .endOnly, spanID: e.spanID, query: query, queryID: queryID))
                    index = spans.count - 1
                    members.append(index)
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
                    warn(event.sequence, queryID, "tool start reuses the open span id \"\(id)\" (ends close the latest)")
                }
                var span = StructureSpan(kind: .tool, state: .unfinished, spanID: s.spanID, query: query, queryID: queryID)
                span.parentSpanID = s.parentSpanID
                span.start = event.timestamp
                span.startSequence = event.sequence
                span.startTool = s.tool
                spans.append(span)
                members.append(spans.count - 1)
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
                    warn(event.sequence, queryID, "tool end without a start (tool \"\(name)\", no latency, in no turn)")
                    spans.append(StructureSpan(kind: .tool, state: .endOnly, spanID: e.spanID, query: query, queryID: queryID))
                    index = spans.count - 1
                    members.append(index)
                }
                spans[index].end = event.timestamp
                spans[index].endSequence = event.sequence
                spans[index].endTool = e.tool
                spans[index].ok = e.ok
                spans[index].error = e.error
                spans[index].outputBytes = e.outputBytes
            default:
                continue
            }
        }
        let whereTo = queryEnd == nil ? "" : ", runs to the query's end"
        for index in openInferences {
            warn(spans[index].startSequence ?? 0, queryID, "inference never ended (no latency\(whereTo))")
        }
        for index in openTools {
            warn(spans[index].startSequence ?? 0, queryID,
                 "tool call never ended (tool \"\(spans[index].toolName)\", no latency\(whereTo))")
        }
        return members
    }

    /// A query's turns and the calls in no turn (rule 5).
    private func makeTurns(_ members: [Int], queryEnd: Int64) -> (turns: [StructureTurn], outside: [Int]) {
        let inferences = members.filter { spans[$0].kind == .inference && spans[$0].start != nil }
        let order = inferences.sorted { (spans[$0].start!, $0) < (spans[$1].start!, $1) }
        var turns: [StructureTurn] = order.enumerated().map { position, index in
            let start = spans[index].start!
            let end = position + 1 < order.count ? spans[order[position + 1]].start! : max(queryEnd, start)
            return StructureTurn(inference: index, start: start, end: end, tools: [])
        }
        var outside: [Int] = []
        let tools = members.filter { spans[$0].kind == .tool && spans[$0].start != nil }
            .sorted { (spans[$0].start!, $0) < (spans[$1].start!, $1) }
        for index in tools {
            var turn: Int?
            if let parent = spans[index].parentSpanID {
                turn = turns.firstIndex { spans[$0.inference].spanID == parent }
            }
            if turn == nil {
                let start = spans[index].start!
                turn = turns.lastIndex { $0.start <= start }
            }
            if let turn {
                turns[turn].tools.append(index)
            } else {
                outside.append(index)
            }
        }
        return (turns, outside)
    }
}
