import TraceLog

/// The inferences and tool calls of one run, matched start to end.
///
/// Rules (record order, by ascending sequence):
/// - Events are attributed to queries as ``IPWMetricSet`` does (query
///   windows); events outside any query keep the query they name, if any.
/// - An inference end with a span id closes the open start with that span
///   id; without one, the most recent open start of the same query. A tool
///   end with a span id closes the open tool start with that span id;
///   without one, the most recent open start of the same tool name in the
///   same query.
/// - An end without a matching start is still a span, with no latency; a
///   start never ended is reported, and is a tool call without latency (an
///   inference start never ended makes no span: nothing was returned).
public struct RunSpans: Sendable {
    /// The run's inferences, in order of their end records.
    public var inferences: [InferenceSpan] = []
    /// The run's tool calls, in order of their end records (calls never ended
    /// at their start record's position).
    public var toolCalls: [ToolCallSpan] = []
    /// Problems met while matching starts and ends.
    public var diagnostics: [AnalysisDiagnostic] = []

    /// Extracts the spans of a run.
    public init(_ run: RunEvents) {
        let ordered = run.eventsInRecordOrder
        var owner: [UInt64: String] = [:]
        for window in QuerySplitter.split(RunEvents(runID: run.runID, events: ordered)).windows {
            for event in window.events { owner[event.sequence] = window.queryID }
        }

        struct OpenStart {
            var event: TraceEvent
            var queryID: String?
            var spanID: String?
            var name: String?
            var model: String?
        }
        var openInferences: [OpenStart] = []
        var openTools: [OpenStart] = []
        var turnCounts: [String: Int] = [:]
        var outsideCount = 0
        // Tool spans with the position (sequence) that orders them.
        var tools: [(order: UInt64, span: ToolCallSpan)] = []

        func seconds(_ start: TraceEvent?, _ end: TraceEvent) -> Double? {
            start.map { Double(end.timestamp - $0.timestamp) / 1e9 }
        }
        func warn(_ event: TraceEvent, _ queryID: String?, _ message: String) {
            diagnostics.append(AnalysisDiagnostic(runID: run.runID, queryID: queryID, sequence: event.sequence, message: message))
        }

        for event in ordered {
            let queryID = owner[event.sequence] ?? event.payload.queryID
            switch event.payload {
            case .inferenceStart(let start):
                openInferences.append(OpenStart(event: event, queryID: queryID, spanID: start.spanID, model: start.model))
            case .inferenceEnd(let end):
                let index = end.spanID.map { id in openInferences.lastIndex { $0.spanID == id } }
                    ?? openInferences.lastIndex { $0.queryID == queryID }
                let start = index.map { openInferences.remove(at: $0) }
                if start == nil { warn(event, queryID, "inference end without a start (no latency)") }
                let turn: Int
                if let queryID {
                    turn = turnCounts[queryID, default: 0]
                    turnCounts[queryID] = turn + 1
                } else {
                    turn = outsideCount
                    outsideCount += 1
                }
                let status = end.status?.lowercased()
                let failedStatus = status.map { !["ok", "completed", "success", "stop"].contains($0) } ?? false
                inferences.append(InferenceSpan(
                    reference: SpanReference(
                        kind: .inference, runID: run.runID, queryID: queryID, spanID: end.spanID ?? start?.spanID,
                        startSequence: start?.event.sequence, endSequence: event.sequence),
                    turnIndex: turn,
                    model: end.routedModel ?? end.model ?? start?.model,
                    promptTokens: end.promptTokens, completionTokens: end.completionTokens,
                    cachedTokens: end.cachedTokens, reasoningTokens: end.reasoningTokens,
                    providerCostUSD: end.costUSD,
                    latencySeconds: seconds(start?.event, event),
                    timeToFirstTokenSeconds: end.timeToFirstTokenSeconds,
                    failed: failedStatus || (end.error.map { !$0.isEmpty } ?? false)))
            case .toolStart(let start):
                openTools.append(OpenStart(event: event, queryID: queryID, spanID: start.spanID, name: start.tool))
            case .toolEnd(let end):
                let index = end.spanID.map { id in openTools.lastIndex { $0.spanID == id } }
                    ?? openTools.lastIndex { $0.queryID == queryID && $0.name == end.tool }
                let start = index.map { openTools.remove(at: $0) }
                let name = end.tool ?? start?.name ?? "unknown"
                if start == nil { warn(event, queryID, "tool end without a start (tool \"\(name)\", no latency)") }
                tools.append((event.sequence, ToolCallSpan(
                    reference: SpanReference(
                        kind: .tool, runID: run.runID, queryID: queryID, spanID: end.spanID ?? start?.spanID,
                        startSequence: start?.event.sequence, endSequence: event.sequence),
                    tool: name, latencySeconds: seconds(start?.event, event), ok: end.ok, error: end.error)))
            default:
                continue
            }
        }
        for open in openInferences {
            warn(open.event, open.queryID, "inference start never ended (not counted)")
        }
        for open in openTools {
            let name = open.name ?? "unknown"
            warn(open.event, open.queryID, "tool start never ended (tool \"\(name)\", counted without latency)")
            tools.append((open.event.sequence, ToolCallSpan(
                reference: SpanReference(
                    kind: .tool, runID: run.runID, queryID: open.queryID, spanID: open.spanID,
                    startSequence: open.event.sequence, endSequence: nil),
                tool: name, latencySeconds: nil, ok: nil, error: nil)))
        }
        toolCalls = tools.enumerated().sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }.map(\.element.span)
        diagnostics = diagnostics.enumerated()
            .sorted { ($0.element.sequence ?? .max, $0.offset) < ($1.element.sequence ?? .max, $1.offset) }
            .map(\.element)
    }
}
