import TraceLog

/// Payloads of every kind, shaped like the demo agent's.
enum Payloads {
    static let sample = EventPayload.sample(TelemetrySample(
        source: "gpu0", gpuEnergyJoules: 183_402.512, gpuPowerWatts: 312.45,
        gpuUtilizationPercent: 97, temperatureCelsius: 71))
    static let inferenceStart = EventPayload.inferenceStart(InferenceStart(spanID: "q0001-c1", queryID: "q0001", model: "gpt-4o"))
    static let inferenceEnd = EventPayload.inferenceEnd(InferenceEnd(
        spanID: "q0001-c1", queryID: "q0001", model: "gpt-4o", routedModel: "gpt-4o-2024-08-06",
        promptTokens: 812, completionTokens: 64, cachedTokens: 406, timeToFirstTokenSeconds: 0.081,
        status: "ok", stopReason: "tool_calls"))
    static let toolStart = EventPayload.toolStart(ToolStart(
        spanID: "q0001-c1-t1", queryID: "q0001", tool: "search", parentSpanID: "q0001-c1", arguments: "{\"q\": \"step 1\"}"))
    static let toolEnd = EventPayload.toolEnd(ToolEnd(spanID: "q0001-c1-t1", queryID: "q0001", tool: "search", ok: true, outputBytes: 4096))
    static let queryStart = EventPayload.queryStart(QueryStart(
        queryID: "q0001", workloadType: "agentic", text: "Task 1: summarise the findings, with sources",
        labels: [Label("data_id", "d1"), Label("combo_id", "c1"), Label("agent_id", "react")]))
    static let queryEnd = EventPayload.queryEnd(QueryEnd(queryID: "q0001", status: "completed", response: "Summary of task 1.", resolved: true))
    static let mark = EventPayload.mark(Mark(name: "thought", queryID: "q0001", spanID: "q0001-c1"))

    static let byKind: [(String, EventPayload)] = [
        ("sample", sample), ("inferenceStart", inferenceStart), ("inferenceEnd", inferenceEnd),
        ("toolStart", toolStart), ("toolEnd", toolEnd), ("queryStart", queryStart), ("queryEnd", queryEnd),
        ("mark", mark),
    ]

    /// A realistic mix of `count` events: per turn an inference and a tool
    /// call, with two telemetry sources sampled at 20 Hz over turns of
    /// about 2 s (so about 90% of events are samples), ids unique per
    /// query and span, values changing like real counters.
    static func realisticMix(count: Int) -> [EventPayload] {
        var events: [EventPayload] = []
        events.reserveCapacity(count + 64)
        var gpuEnergy = 183_402.5, cpuEnergy = 62_100.0
        var q = 0
        while events.count < count {
            q += 1
            let query = "q\(q)"
            events.append(.queryStart(QueryStart(queryID: query, workloadType: "agentic", text: "Task \(q)",
                labels: [Label("data_id", "d\(q % 3)")])))
            for turn in 1...5 {
                let span = "\(query)-c\(turn)", tool = "\(span)-t1"
                events.append(.inferenceStart(InferenceStart(spanID: span, queryID: query, model: "gpt-4o")))
                for i in 0..<40 {
                    gpuEnergy += 15.6 + Double(i % 7) * 0.013
                    cpuEnergy += 1.9 + Double(i % 5) * 0.0007
                    events.append(.sample(TelemetrySample(
                        source: "gpu0", gpuEnergyJoules: (gpuEnergy * 1000).rounded() / 1000,
                        gpuPowerWatts: Double(31_000 + (i * 37) % 900) / 100, gpuUtilizationPercent: 97, temperatureCelsius: 71)))
                    events.append(.sample(TelemetrySample(
                        source: "cpu-package-0", cpuEnergyJoules: (cpuEnergy * 1_000_000).rounded() / 1_000_000,
                        cpuPowerWatts: Double(3_800 + (i * 13) % 300) / 100, energyWrapJoules: 262_143.328850)))
                }
                events.append(.inferenceEnd(InferenceEnd(spanID: span, queryID: query, model: "gpt-4o",
                    promptTokens: Int64(800 + turn * 300), completionTokens: 64, status: "ok", stopReason: "tool_calls")))
                events.append(.toolStart(ToolStart(spanID: tool, queryID: query, tool: "search", parentSpanID: span)))
                events.append(.toolEnd(ToolEnd(spanID: tool, queryID: query, tool: "search", ok: true, outputBytes: 4096)))
            }
            events.append(.queryEnd(QueryEnd(queryID: query, status: "completed", resolved: true)))
        }
        return Array(events.prefix(count))
    }
}
