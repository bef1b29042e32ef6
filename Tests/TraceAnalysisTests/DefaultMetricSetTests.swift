import Testing
@testable import TraceAnalysis
import TraceLog

@Suite("DefaultMetricSet")
struct DefaultMetricSetTests {
    /// Builds events in record order from (seconds, payload).
    private func run(_ entries: [(Double, EventPayload)]) -> RunEvents {
        RunEvents(runID: "r1", events: entries.enumerated().map { index, entry in
            TraceEvent(runID: "r1", sequence: UInt64(index), timestamp: ns(entry.0), payload: entry.1)
        })
    }

    /// Samples of a constant 100 W GPU and 10 W CPU every `period` seconds over [0, 20].
    private func samples(period: Double = 0.5) -> [(Double, EventPayload)] {
        stride(from: 0.0, through: 20, by: period).map { t in
            (t, .sample(TelemetrySample(source: "node", gpuEnergyJoules: 100 * t, gpuPowerWatts: 100,
                                        cpuEnergyJoules: 10 * t, cpuPowerWatts: 10)))
        }
    }

    private func query(_ id: String, at t: Double, parent: Bool = true) -> [(Double, EventPayload)] {
        [
            (t, .queryStart(QueryStart(queryID: id))),
            (t + 1, .inferenceStart(InferenceStart(spanID: "\(id)c1", queryID: id))),
            (t + 2, .inferenceEnd(InferenceEnd(spanID: "\(id)c1", queryID: id, promptTokens: 10, completionTokens: 5, costUSD: 0.5))),
            (t + 2.5, .toolStart(ToolStart(spanID: "\(id)t1", queryID: id, tool: "search", parentSpanID: parent ? "\(id)c1" : nil))),
            (t + 3.5, .toolEnd(ToolEnd(spanID: "\(id)t1", queryID: id, tool: "search", ok: true))),
            (t + 4, .inferenceStart(InferenceStart(spanID: "\(id)c2", queryID: id))),
            (t + 5, .inferenceEnd(InferenceEnd(spanID: "\(id)c2", queryID: id, promptTokens: 20, completionTokens: 5))),
            (t + 5.5, .queryEnd(QueryEnd(queryID: id, status: "completed"))),
        ]
    }

    @Test func identity() {
        #expect(DefaultMetricSet.identity.tag == "default@3")
    }

    @Test func turnRowsCarryWindowAndParts() throws {
        let result = DefaultMetricSet().analyze(run(samples() + query("q1", at: 1)))
        #expect(result.turns.count == 2)
        let first = result.turns[0]
        #expect(first.names == [
            "query_id", "turn_index", "input_tokens", "output_tokens", "tools_called", "tool_latencies_s",
            "wall_clock_s", "gpu_energy_joules", "cpu_energy_joules", "gpu_power_avg_watts", "cpu_power_avg_watts",
            "inference_s", "inference_gpu_energy_joules", "tool_gpu_energy_joules", "inference_cpu_energy_joules",
            "tool_cpu_energy_joules", "gpu_alignment_joules_per_ms", "cpu_alignment_joules_per_ms", "flags",
        ])
        #expect(DefaultMetricSetV2().analyze(run(samples() + query("q1", at: 1))).turns[0].names
            == first.names.filter { !$0.hasSuffix("_alignment_joules_per_ms") })
        #expect(first["tools_called"] == .strings(["search"]))
        #expect(close(first["wall_clock_s"]?.doubleValue, 3))
        #expect(close(first["gpu_energy_joules"]?.doubleValue, 300))
        #expect(close(first["inference_gpu_energy_joules"]?.doubleValue, 100))
        #expect(close(first["tool_gpu_energy_joules"]?.doubleValue, 100))
        #expect(close(first["cpu_energy_joules"]?.doubleValue, 30))
        #expect(close(first["gpu_power_avg_watts"]?.doubleValue, 100))
        #expect(first["flags"] == .strings([]))
        let second = result.turns[1]
        #expect(close(second["wall_clock_s"]?.doubleValue, 1.5))
        #expect(close(second["gpu_energy_joules"]?.doubleValue, 150))

        let q = result.queries[0]
        #expect(close(q["total_gpu_energy_joules"]?.doubleValue, 550))
        #expect(close(q["overhead_gpu_energy_joules"]?.doubleValue, 100))
        #expect(q["total_input_tokens"] == .int(30))
        #expect(q["tool_call_count"] == .int(1))
        #expect(close(q["total_cost_usd"]?.doubleValue, 0.5))

        let r = result.runs[0]
        #expect(close(r["gpu_energy_joules"]?.doubleValue, 2000))
        #expect(close(r["gpu_attributed_joules"]?.doubleValue, 550))
        #expect(close(r["gpu_idle_joules"]?.doubleValue, 1450))
        #expect(r["dram_energy_joules"] == .null)
    }

    @Test func toolsWithoutParentGoToTheWindowTheyStartIn() {
        let result = DefaultMetricSet().analyze(run(samples() + query("q1", at: 1, parent: false)))
        #expect(result.turns[0]["tools_called"] == .strings(["search"]))
        #expect(result.turns[1]["tools_called"] == .strings([]))
    }

    @Test func overlappingQueriesConserve() {
        let result = DefaultMetricSet().analyze(run(samples() + query("a", at: 1) + query("b", at: 3)))
        let a = result.queries[0]["total_gpu_energy_joules"]!.doubleValue!
        let b = result.queries[1]["total_gpu_energy_joules"]!.doubleValue!
        // Union of the windows [1, 8.5) at 100 W.
        #expect(close(a + b, 750))
        #expect(result.queries[0]["flags"] == .strings(["gpu:concurrent_queries", "cpu:concurrent_queries"]))
    }

    @Test func noTelemetryGivesNullEnergyAndFlags() {
        let result = DefaultMetricSet().analyze(run(query("q1", at: 1)))
        #expect(result.turns[0]["gpu_energy_joules"] == .null)
        #expect(result.turns[0]["gpu_power_avg_watts"] == .null)
        #expect(result.queries[0]["total_gpu_energy_joules"] == .null)
        #expect(result.turns[0]["flags"] == .strings(["gpu:no_samples", "cpu:no_samples"]))
        #expect(result.runs[0]["gpu_energy_joules"] == .null)
    }

    @Test func sparseSamplingIsFlaggedAndStillAttributed() {
        let result = DefaultMetricSet().analyze(run(samples(period: 4) + query("q1", at: 1)))
        let first = result.turns[0]
        #expect(close(first["gpu_energy_joules"]?.doubleValue, 300))
        #expect(first["flags"] == .strings([
            "gpu:shorter_than_sampling_interval", "gpu:part_shorter_than_sampling_interval",
            "cpu:shorter_than_sampling_interval", "cpu:part_shorter_than_sampling_interval",
        ]))
    }

    @Test func outputIsDeterministic() {
        let events = run(samples() + query("a", at: 1) + query("b", at: 3))
        #expect(DefaultMetricSet().analyze(events) == DefaultMetricSet().analyze(events))
    }
}
