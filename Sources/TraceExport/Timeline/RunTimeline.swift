import TraceAnalysis
import TraceLog

/// A run's queries, turns, inferences and tool calls as time spans: what the
/// timeline, the report and the database draw from the events.
///
/// Rules (record order): a query start opens a query; events naming a query
/// belong to it, events naming none to the most recently started open query;
/// a query end closes it (an end without an id closes the most recent open
/// query). Inference and tool ends close the start with the same span id; an
/// end without one closes the most recent open inference, or the most recent
/// open call of the same tool. Spans that never ended have a nil end. Turns
/// follow the default metric set: turn k spans from inference k's start to
/// inference k+1's start (by start time), the last ends at the query's end.
public struct RunTimeline: Sendable {
    /// The run's id.
    public var runID: String
    /// The earliest timestamp of any event (samples included).
    public var start: Int64
    /// The latest timestamp of any event.
    public var end: Int64
    /// The queries, in the order they started (record order).
    public var queries: [TimelineQuery]

    /// Builds the timeline of a run from its events in record order.
    public init(runID: String, events: [TraceEvent]) {
        self.runID = runID
        start = events.map(\.timestamp).min() ?? 0
        end = events.map(\.timestamp).max() ?? 0
        var queries: [TimelineQuery] = []
        var lastEvent: [Int64] = []
        var ended: [Bool] = []
        var byID: [String: Int] = [:]
        var open: [Int] = []
        var openInferences: [[Int]] = []
        var openTools: [[Int]] = []

        func query(for id: String?, at time: Int64) -> Int? {
            if let id {
                if let index = byID[id] { return index }
                return nil
            }
            return open.last
        }
        for event in events {
            let time = event.timestamp
            switch event.payload {
            case .queryStart(let s):
                let id = s.queryID ?? "query-\(queries.count + 1)"
                if let existing = byID[id], !ended[existing] { continue }
                byID[id] = queries.count
                open.append(queries.count)
                queries.append(TimelineQuery(queryID: id, start: time, end: time))
                lastEvent.append(time)
                ended.append(false)
                openInferences.append([])
                openTools.append([])
            case .queryEnd(let e):
                guard let q = query(for: e.queryID, at: time), !ended[q] else { continue }
                queries[q].end = max(time, queries[q].start)
                queries[q].status = e.status
                queries[q].error = e.error
                ended[q] = true
                open.removeAll { $0 == q }
            case .sample, .runStart:
                continue
            default:
                guard let q = query(for: event.payload.queryID, at: time) else { continue }
                lastEvent[q] = max(lastEvent[q], time)
                switch event.payload {
                case .inferenceStart(let s):
                    queries[q].inferences.append(TimelineInference(spanID: s.spanID, model: s.model, start: time))
                    openInferences[q].append(queries[q].inferences.count - 1)
                case .inferenceEnd(let e):
                    let position = e.spanID.flatMap { id in openInferences[q].lastIndex { queries[q].inferences[$0].spanID == id } }
                        ?? (e.spanID == nil ? openInferences[q].indices.last : nil)
                    guard let position else { continue }
                    let i = openInferences[q].remove(at: position)
                    var inference = queries[q].inferences[i]
                    inference.end = max(time, inference.start)
                    inference.model = inference.model ?? e.model
                    inference.routedModel = e.routedModel
                    inference.promptTokens = e.promptTokens
                    inference.completionTokens = e.completionTokens
                    inference.cachedTokens = e.cachedTokens
                    inference.costUSD = e.costUSD
                    inference.timeToFirstTokenSeconds = e.timeToFirstTokenSeconds
                    inference.status = e.status
                    inference.error = e.error
                    inference.stopReason = e.stopReason
                    queries[q].inferences[i] = inference
                case .toolStart(let s):
                    queries[q].tools.append(TimelineTool(spanID: s.spanID, tool: s.tool ?? "unknown",
                                                         parentSpanID: s.parentSpanID, start: time))
                    openTools[q].append(queries[q].tools.count - 1)
                case .toolEnd(let e):
                    let name = e.tool ?? "unknown"
                    let tools = queries[q].tools
                    let position = e.spanID.flatMap { id in openTools[q].lastIndex { tools[$0].spanID == id } }
                        ?? openTools[q].lastIndex { tools[$0].tool == name && (e.spanID == nil || tools[$0].spanID == nil) }
                    guard let position else { continue }
                    let i = openTools[q].remove(at: position)
                    queries[q].tools[i].end = max(time, tools[i].start)
                    queries[q].tools[i].ok = e.ok
                    queries[q].tools[i].error = e.error
                    queries[q].tools[i].outputBytes = e.outputBytes
                default:
                    continue
                }
            }
        }
        for q in queries.indices {
            if !ended[q] { queries[q].end = max(queries[q].start, lastEvent[q]) }
            let inferences = queries[q].inferences
            let order = inferences.indices.sorted { (inferences[$0].start, $0) < (inferences[$1].start, $1) }
            queries[q].turns = order.enumerated().map { position, i in
                let end = position + 1 < order.count
                    ? inferences[order[position + 1]].start : max(queries[q].end, inferences[i].start)
                return TimelineTurn(index: position, inference: i, start: inferences[i].start, end: end)
            }
        }
        self.queries = queries
    }

    /// The timeline of a run read from logs.
    public init(_ run: RunEvents) {
        self.init(runID: run.runID, events: run.events)
    }
}
