import TraceAnalysis
import TraceLog

/// A run's queries, turns, inferences and tool calls as time spans: what the
/// timeline, the report and the database draw, read off the run's
/// ``RunStructure`` (its pairing rules are the only ones; see
/// docs/METRICS.md, "Run structure").
///
/// Spans recorded with a start are drawn; ends without a start have no
/// place in time and are left out (the views count them). Spans that never
/// ended have a nil end. Turns are the structure's.
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
        let run = RunEvents(runID: runID, events: events)
        self.init(RunStructure(run), spanning: run)
    }

    /// The timeline of a run's structure (built from `run` already),
    /// spanning the run's plausible timestamps.
    public init(_ structure: RunStructure, spanning run: RunEvents) {
        var first: Int64?
        var last: Int64?
        for event in run.withPlausibleTimestamps().run.events {
            first = min(first ?? event.timestamp, event.timestamp)
            last = max(last ?? event.timestamp, event.timestamp)
        }
        self.init(structure, start: first ?? 0, end: last ?? 0)
    }

    /// The timeline of a run read from logs.
    public init(_ run: RunEvents) {
        self.init(runID: run.runID, events: run.events)
    }

    /// The timeline of a run's structure spanning `start...end`.
    public init(_ structure: RunStructure, start: Int64, end: Int64) {
        runID = structure.runID
        self.start = start
        self.end = end
        queries = structure.queries.indices.map { Self.query($0, of: structure) }
    }

    /// The timeline of query `index` of a structure: what the initialisers
    /// give as `queries[index]`, made alone (so a writer can make one query
    /// at a time instead of holding every query's timeline).
    public static func query(_ index: Int, of structure: RunStructure) -> TimelineQuery {
        let query = structure.queries[index]
        var out = TimelineQuery(queryID: query.queryID, start: query.start, end: query.end)
        out.status = query.status
        out.error = query.error
        var position: [Int: Int] = [:]
        // Arrays of exactly their size: a run holds one per query.
        let inferenceCount = query.spans.reduce(0) { count, index in
            let span = structure.spans[index]
            return count + (span.start != nil && span.kind == .inference ? 1 : 0)
        }
        out.inferences.reserveCapacity(inferenceCount)
        out.tools.reserveCapacity(query.spans.count - inferenceCount)
        for index in query.spans {
            let span = structure.spans[index]
            guard let spanStart = span.start else { continue }
            switch span.kind {
            case .inference:
                position[index] = out.inferences.count
                out.inferences.append(TimelineInference(
                    spanID: span.spanID, model: span.startModel ?? span.endModel, routedModel: span.routedModel,
                    start: spanStart, end: span.clampedEnd, promptTokens: span.promptTokens,
                    completionTokens: span.completionTokens, cachedTokens: span.cachedTokens,
                    costUSD: span.costUSD, timeToFirstTokenSeconds: span.timeToFirstTokenSeconds,
                    status: span.status, error: span.error, stopReason: span.stopReason))
            case .tool:
                out.tools.append(TimelineTool(
                    spanID: span.spanID, tool: span.toolName, parentSpanID: span.parentSpanID, start: spanStart,
                    end: span.clampedEnd, ok: span.ok, error: span.error, outputBytes: span.outputBytes))
            }
        }
        out.turns = query.turns.enumerated().map { turnIndex, turn in
            TimelineTurn(index: turnIndex, inference: position[turn.inference] ?? 0, start: turn.start, end: turn.end)
        }
        return out
    }
}
