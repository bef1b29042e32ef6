import TraceLog

/// One inference of a query, as the default set pairs its start and end.
struct DefaultInference {
    var spanID: String?
    var start: Int64
    /// Record sequence of the start event.
    var startSequence: UInt64 = 0
    var end: Int64?
    var promptTokens: Int64?
    var completionTokens: Int64?
    var costUSD: Double?
}

/// One tool call of a query, as the default set pairs its start and end.
struct DefaultToolCall {
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

/// Builds the default set's turns from one query's events.
///
/// - Inference and tool ends close the start with the same span id; an end
///   without a span id closes the most recent open inference, or the most
///   recent open call of the same tool name.
/// - Turn k spans `[start of inference k, start of inference k+1)`; the last
///   turn ends at the query's end. Time before the first inference is the
///   query's overhead.
/// - A tool call belongs to the inference named by its `parentSpanID`;
///   without one (or naming no inference of the query), to the turn whose
///   window holds the call's start. Calls starting before the first
///   inference belong to no turn.
/// - Spans that never ended run until the query's end (reported).
struct DefaultTurnBuilder {
    var runID: String
    var queryID: String
    private(set) var diagnostics: [AnalysisDiagnostic] = []

    init(runID: String, queryID: String) {
        self.runID = runID
        self.queryID = queryID
    }

    private mutating func warn(_ sequence: UInt64, _ message: String) {
        diagnostics.append(AnalysisDiagnostic(runID: runID, queryID: queryID, sequence: sequence, message: message))
    }

    /// The turns of a query whose events are given in record order and
    /// whose window ends at `queryEnd`, and the calls belonging to no turn.
    mutating func build(_ events: [TraceEvent], queryEnd: Int64) -> (turns: [DefaultTurn], unassignedTools: [DefaultToolCall]) {
        var inferences: [DefaultInference] = []
        var inferenceSequences: [UInt64] = []
        var tools: [DefaultToolCall] = []
        var toolSequences: [UInt64] = []
        var openInferences: [Int] = []
        var openTools: [Int] = []

        for event in events {
            switch event.payload {
            case .inferenceStart(let start):
                inferences.append(DefaultInference(spanID: start.spanID, start: event.timestamp, startSequence: event.sequence))
                inferenceSequences.append(event.sequence)
                openInferences.append(inferences.count - 1)
            case .inferenceEnd(let end):
                let position = end.spanID.flatMap { id in openInferences.lastIndex { inferences[$0].spanID == id } }
                    ?? (end.spanID == nil ? openInferences.indices.last : nil)
                guard let position else {
                    warn(event.sequence, "inference end without a start (ignored)")
                    continue
                }
                let index = openInferences.remove(at: position)
                inferences[index].end = max(event.timestamp, inferences[index].start)
                inferences[index].promptTokens = end.promptTokens
                inferences[index].completionTokens = end.completionTokens
                inferences[index].costUSD = end.costUSD
            case .toolStart(let start):
                tools.append(DefaultToolCall(spanID: start.spanID, name: start.tool ?? "unknown",
                                             parentSpanID: start.parentSpanID, start: event.timestamp,
                                             startSequence: event.sequence))
                toolSequences.append(event.sequence)
                openTools.append(tools.count - 1)
            case .toolEnd(let end):
                let name = end.tool ?? "unknown"
                let position = end.spanID.flatMap { id in openTools.lastIndex { tools[$0].spanID == id } }
                    ?? openTools.lastIndex { tools[$0].name == name && (end.spanID == nil || tools[$0].spanID == nil) }
                guard let position else {
                    warn(event.sequence, "tool end without a start (tool \"\(name)\", ignored)")
                    continue
                }
                let index = openTools.remove(at: position)
                tools[index].end = max(event.timestamp, tools[index].start)
            default:
                continue
            }
        }
        for index in openInferences {
            warn(inferenceSequences[index], "inference never ended (runs to the query's end)")
        }
        for index in openTools {
            warn(toolSequences[index], "tool call never ended (tool \"\(tools[index].name)\", runs to the query's end)")
        }

        let order = inferences.indices.sorted { (inferences[$0].start, $0) < (inferences[$1].start, $1) }
        var turns: [DefaultTurn] = order.enumerated().map { position, index in
            let end = position + 1 < order.count ? inferences[order[position + 1]].start : max(queryEnd, inferences[index].start)
            return DefaultTurn(inference: inferences[index], start: inferences[index].start, end: end, tools: [])
        }
        var unassigned: [DefaultToolCall] = []
        let toolOrder = tools.indices.sorted { (tools[$0].start, $0) < (tools[$1].start, $1) }
        for index in toolOrder {
            let tool = tools[index]
            var turnIndex: Int?
            if let parent = tool.parentSpanID {
                turnIndex = turns.firstIndex { $0.inference.spanID == parent }
            }
            if turnIndex == nil {
                turnIndex = turns.lastIndex { $0.start <= tool.start }
            }
            if let turnIndex {
                turns[turnIndex].tools.append(tool)
            } else {
                unassigned.append(tool)
            }
        }
        return (turns, unassigned)
    }
}
