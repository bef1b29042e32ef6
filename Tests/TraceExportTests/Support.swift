import Foundation
import TraceAnalysis
import TraceLog

/// The repository's root, found from this file's path.
let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    fatalError("Package.swift not found above \(#filePath)")
}()

/// The bundled demo log's path.
let demoLogPath = repositoryRoot.appendingPathComponent("fixtures/format-v1/demo-run.zst").path

/// The bundled demo log, read.
let demoLog: LogSet = LogReader.read([demoLogPath])

/// The demo log's runs.
let demoRuns: [RunEvents] = demoLog.runs.map { RunEvents(runID: $0.runID, events: $0.events) }

/// A fresh temporary file path.
func temporaryPath(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agent-trace-export-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
}

/// Events of a small run built by hand: one query, two inferences, a tool
/// call that outlives its turn, and two parallel calls.
func overlappingRun() -> RunEvents {
    let s: Int64 = 1_000_000_000
    var events: [TraceEvent] = []
    func add(_ t: Int64, _ payload: EventPayload) {
        events.append(TraceEvent(runID: "r", sequence: UInt64(events.count), timestamp: t, payload: payload))
    }
    add(0, .runStart(RunStart(runID: "r")))
    add(0, .queryStart(QueryStart(queryID: "q1")))
    add(1 * s, .inferenceStart(InferenceStart(spanID: "c1", queryID: "q1", model: "m")))
    add(2 * s, .inferenceEnd(InferenceEnd(spanID: "c1", queryID: "q1", promptTokens: 10, completionTokens: 5)))
    add(2 * s, .toolStart(ToolStart(spanID: "t1", queryID: "q1", tool: "slow", parentSpanID: "c1")))
    add(3 * s, .toolStart(ToolStart(spanID: "t2", queryID: "q1", tool: "a", parentSpanID: "c1")))
    add(3 * s + s / 2, .toolStart(ToolStart(spanID: "t3", queryID: "q1", tool: "b", parentSpanID: "c1")))
    add(4 * s, .toolEnd(ToolEnd(spanID: "t2", queryID: "q1", tool: "a", ok: true)))
    add(4 * s, .inferenceStart(InferenceStart(spanID: "c2", queryID: "q1", model: "m")))
    add(5 * s, .toolEnd(ToolEnd(spanID: "t3", queryID: "q1", tool: "b", ok: false, error: "boom")))
    add(6 * s, .toolEnd(ToolEnd(spanID: "t1", queryID: "q1", tool: "slow", ok: true)))
    add(7 * s, .inferenceEnd(InferenceEnd(spanID: "c2", queryID: "q1", promptTokens: 20, completionTokens: 7)))
    add(8 * s, .queryEnd(QueryEnd(queryID: "q1", status: "completed")))
    for i in 0...16 {
        let t = Int64(i) * s / 2
        add(t, .sample(TelemetrySample(source: "gpu0", gpuEnergyJoules: Double(i) * 50, gpuPowerWatts: 100)))
    }
    return RunEvents(runID: "r", events: events.sorted { $0.sequence < $1.sequence })
}
