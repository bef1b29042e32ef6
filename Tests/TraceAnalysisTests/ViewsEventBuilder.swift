import TraceLog
@testable import TraceAnalysis

/// Builds a run's events for the view tests, with span ids, models, labels
/// and outcomes; timestamps in milliseconds after a fixed epoch.
struct ViewsEventBuilder {
    var runID = "r1"
    var events: [TraceEvent] = []

    mutating func add(_ ms: Int64, _ payload: EventPayload) {
        events.append(TraceEvent(
            runID: runID, sequence: UInt64(events.count), timestamp: LogBuilder.epoch + ms * 1_000_000,
            payload: payload))
    }

    mutating func runStart(_ labels: [Label] = []) {
        add(0, .runStart(RunStart(runID: runID, labels: labels)))
    }
    mutating func queryStart(_ ms: Int64, _ id: String, labels: [Label] = []) {
        add(ms, .queryStart(QueryStart(queryID: id, labels: labels)))
    }
    mutating func queryEnd(
        _ ms: Int64, _ id: String, resolved: Bool? = nil, score: Double? = nil, status: String = "completed",
        error: String? = nil
    ) {
        add(ms, .queryEnd(QueryEnd(queryID: id, status: status, error: error, resolved: resolved, score: score)))
    }
    /// An inference from `start` to `end` ms.
    mutating func inference(
        _ start: Int64, _ end: Int64, span: String, model: String?, prompt: Int64? = nil, completion: Int64? = nil,
        cached: Int64? = nil, cost: Double? = nil, ttft: Double? = nil, routed: String? = nil
    ) {
        add(start, .inferenceStart(InferenceStart(spanID: span, model: model)))
        add(end, .inferenceEnd(InferenceEnd(
            spanID: span, routedModel: routed, promptTokens: prompt, completionTokens: completion, cachedTokens: cached,
            costUSD: cost, timeToFirstTokenSeconds: ttft)))
    }
    /// A tool call from `start` to `end` ms.
    mutating func tool(_ start: Int64, _ end: Int64, span: String, _ name: String, ok: Bool? = true, error: String? = nil) {
        add(start, .toolStart(ToolStart(spanID: span, tool: name)))
        add(end, .toolEnd(ToolEnd(spanID: span, tool: name, ok: ok, error: error)))
    }
    mutating func sample(_ ms: Int64, gpuJ: Double) {
        add(ms, .sample(TelemetrySample(source: "gpu0", gpuEnergyJoules: gpuJ)))
    }

    var run: RunEvents { RunEvents(runID: runID, events: events) }
    var analyzed: AnalyzedRun { AnalyzedRun(events: run, metricSet: IPWMetricSet()) }
}

extension PriceTable {
    /// A table parsed from JSON text, named `test.json`.
    static func test(_ json: String) throws -> PriceTable {
        try PriceTable(bytes: Array(json.utf8), fileName: "test.json")
    }
}
