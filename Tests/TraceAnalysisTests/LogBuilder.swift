import TraceLog
@testable import TraceAnalysis

/// Builds a run's events in record order, with timestamps in milliseconds
/// after a fixed epoch.
struct LogBuilder {
    static let epoch: Int64 = 1_700_000_000_000_000_000
    var runID = "r1"
    var events: [TraceEvent] = []

    mutating func add(_ ms: Int64, _ payload: EventPayload) {
        events.append(TraceEvent(
            runID: runID, sequence: UInt64(events.count), timestamp: Self.epoch + ms * 1_000_000, payload: payload))
    }

    mutating func queryStart(_ ms: Int64, _ id: String?) { add(ms, .queryStart(QueryStart(queryID: id))) }
    mutating func queryEnd(_ ms: Int64, _ id: String?, status: String? = "completed") {
        add(ms, .queryEnd(QueryEnd(queryID: id, status: status)))
    }
    mutating func inferenceStart(_ ms: Int64, query: String? = nil) {
        add(ms, .inferenceStart(InferenceStart(queryID: query)))
    }
    mutating func inferenceEnd(
        _ ms: Int64, prompt: Int64? = nil, completion: Int64? = nil, cost: Double? = nil, query: String? = nil
    ) {
        add(ms, .inferenceEnd(InferenceEnd(queryID: query, promptTokens: prompt, completionTokens: completion, costUSD: cost)))
    }
    mutating func toolStart(_ ms: Int64, _ tool: String?, query: String? = nil) {
        add(ms, .toolStart(ToolStart(queryID: query, tool: tool)))
    }
    mutating func toolEnd(_ ms: Int64, _ tool: String?, query: String? = nil) {
        add(ms, .toolEnd(ToolEnd(queryID: query, tool: tool)))
    }
    mutating func sample(
        _ ms: Int64, gpuJ: Double? = nil, gpuW: Double? = nil, cpuJ: Double? = nil, cpuW: Double? = nil
    ) {
        add(ms, .sample(TelemetrySample(
            source: "gpu0", gpuEnergyJoules: gpuJ, gpuPowerWatts: gpuW, cpuEnergyJoules: cpuJ, cpuPowerWatts: cpuW)))
    }

    func analyze() -> AnalysisResult {
        IPWMetricSet().analyze(RunEvents(runID: runID, events: events))
    }
}

extension AnalysisRow {
    /// A column's value, failing loudly on a missing column.
    func value(_ name: String) -> AnalysisValue {
        guard let value = self[name] else { return .string("<missing column \(name)>") }
        return value
    }
}

/// A duration as the reference runner computes it between two of the
/// builder's times (ms after the epoch): the difference of the two
/// timestamps as `time.time()` floats (whole seconds exactly, else
/// `Double(ns) / 1e9`).
func ipwSpan(_ startMs: Int64, _ endMs: Int64) -> Double {
    func float(_ ns: Int64) -> Double { ns % 1_000_000_000 == 0 ? Double(ns / 1_000_000_000) : Double(ns) / 1e9 }
    return float(LogBuilder.epoch + endMs * 1_000_000) - float(LogBuilder.epoch + startMs * 1_000_000)
}
