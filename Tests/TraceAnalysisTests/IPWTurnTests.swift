import Testing
import TraceLog
@testable import TraceAnalysis

@Suite struct IPWTurnTests {
    @Test func multiTurnWithToolsBetweenTurns() {
        var log = LogBuilder()
        log.queryStart(0, "q1")
        log.sample(0, gpuJ: 100, gpuW: 200, cpuJ: 10, cpuW: 20)
        log.inferenceStart(100)
        log.sample(500, gpuJ: 150, gpuW: 250, cpuJ: 12, cpuW: 30)
        log.inferenceEnd(1000, prompt: 100, completion: 20, cost: 0.01)
        log.toolStart(1100, "search")
        log.sample(1500, gpuJ: 300, gpuW: 300, cpuJ: 15, cpuW: 40)
        log.toolEnd(1600, "search")
        log.toolStart(1700, "fetch")
        log.toolEnd(1900, "fetch")
        log.inferenceStart(2000)
        log.sample(2500, gpuJ: 400, gpuW: 100, cpuJ: 17, cpuW: 10)
        log.sample(3000, gpuJ: 460, gpuW: 300, cpuJ: 20, cpuW: 30)
        log.inferenceEnd(3000, prompt: 150, completion: 30, cost: 0.02)
        log.queryEnd(3100, "q1")
        let result = log.analyze()

        #expect(result.turns == [
            AnalysisRow([
                ("query_id", .string("q1")), ("turn_index", .int(0)),
                ("input_tokens", .int(100)), ("output_tokens", .int(20)),
                ("tools_called", .strings([])), ("tool_latencies_s", .object([])),
                ("wall_clock_s", .double(ipwSpan(100, 1000))),
                // One reading in the turn: no energy delta, power from it alone.
                ("gpu_energy_joules", .null), ("cpu_energy_joules", .null),
                ("gpu_power_avg_watts", .double(250)), ("cpu_power_avg_watts", .double(30)),
            ]),
            AnalysisRow([
                ("query_id", .string("q1")), ("turn_index", .int(1)),
                ("input_tokens", .int(150)), ("output_tokens", .int(30)),
                ("tools_called", .strings(["search", "fetch"])),
                ("tool_latencies_s", .object([("search", .double(ipwSpan(1100, 1600))), ("fetch", .double(ipwSpan(1700, 1900)))])),
                ("wall_clock_s", .double(ipwSpan(2000, 3000))),
                ("gpu_energy_joules", .double(60)), ("cpu_energy_joules", .double(3)),
                ("gpu_power_avg_watts", .double(200)), ("cpu_power_avg_watts", .double(20)),
            ]),
        ])
        #expect(result.queries == [
            AnalysisRow([
                ("query_id", .string("q1")), ("completed", .bool(true)), ("num_turns", .int(2)),
                ("total_input_tokens", .int(250)), ("total_output_tokens", .int(50)),
                ("tool_call_count", .int(2)),
                ("total_gpu_energy_joules", .double(60)), ("total_cpu_energy_joules", .double(3)),
                ("total_cost_usd", .double(0.03)), ("total_wall_clock_s", .double(ipwSpan(0, 3100))),
                ("per_token_ms", .double(ipwSpan(0, 3100) * 1000 / 50)),
                ("throughput_tokens_per_sec", .double(50 / ipwSpan(0, 3100))),
            ]),
        ])
        #expect(result.runs == [
            AnalysisRow([("run_id", .string("r1")), ("wall_clock_s", .double(3.1)), ("num_queries", .int(1))]),
        ])
        #expect(result.diagnostics.isEmpty)
    }

    @Test func shortTurnsGetNothingThenTheFallbackSpreadsQueryEnergy() {
        // Samples every second, turns shorter than that: no turn sees two
        // readings, so the query's energy is spread by wall clock. No CPU
        // counters at all: CPU stays null.
        var log = LogBuilder()
        log.queryStart(0, "q1")
        log.sample(0, gpuJ: 0)
        log.inferenceStart(100)
        log.inferenceEnd(300, prompt: 1, completion: 1)
        log.sample(1000, gpuJ: 50)
        log.inferenceStart(1200)
        log.inferenceEnd(1800, prompt: 1, completion: 1)
        log.sample(2000, gpuJ: 120)
        log.queryEnd(2000, "q1")
        let result = log.analyze()
        let (w0, w1) = (ipwSpan(100, 300), ipwSpan(1200, 1800))
        #expect(result.turns.map { $0.value("wall_clock_s") } == [.double(w0), .double(w1)])
        // 120 * (w0 / (w0 + w1)) and 120 * (w1 / (w0 + w1)), as the reference
        // spreads it (not 30 and 90: float seconds since the epoch).
        #expect(result.turns.map { $0.value("gpu_energy_joules") }
            == [.double(120 * (w0 / (w0 + w1))), .double(120 * (w1 / (w0 + w1)))])
        #expect(result.turns.map { $0.value("gpu_energy_joules") } != [.double(30), .double(90)])
        #expect(result.turns.map { $0.value("cpu_energy_joules") } == [.null, .null])
        #expect(result.turns.map { $0.value("gpu_power_avg_watts") } == [.null, .null])
        #expect(result.queries[0].value("total_gpu_energy_joules") == .double(120 * (w0 / (w0 + w1)) + 120 * (w1 / (w0 + w1))))
        #expect(result.queries[0].value("total_cpu_energy_joules") == .null)
    }

    @Test func fallbackIncludesCPUAndOverwritesTurnCPUEnergy() {
        var log = LogBuilder()
        log.queryStart(0, "q1")
        log.sample(0, gpuJ: 10, cpuJ: 5)
        log.inferenceStart(100)
        log.sample(150, cpuJ: 6)
        log.sample(250, cpuJ: 7)
        log.inferenceEnd(400, prompt: 10, completion: 4)
        log.toolStart(400, "x")
        log.toolEnd(600, "x")
        log.inferenceStart(600)
        log.inferenceEnd(900, prompt: 20, completion: 6)
        log.sample(1000, gpuJ: 40, cpuJ: 9)
        log.queryEnd(1000, "q1")
        let result = log.analyze()
        // Turn 0 had 1 J of CPU energy of its own; no turn had GPU energy, so
        // the fallback spreads 30 J GPU and 4 J CPU half and half (0.3 s each).
        #expect(result.turns.map { $0.value("gpu_energy_joules") } == [.double(15), .double(15)])
        #expect(result.turns.map { $0.value("cpu_energy_joules") } == [.double(2), .double(2)])
        #expect(result.turns[1].value("tools_called") == .strings(["x"]))
        #expect(result.turns[1].value("tool_latencies_s") == .object([("x", .double(ipwSpan(400, 600)))]))
        #expect(result.queries[0].value("total_gpu_energy_joules") == .double(30))
        #expect(result.queries[0].value("total_cpu_energy_joules") == .double(4))
        #expect(result.queries[0].value("per_token_ms") == .double(100))
        #expect(result.queries[0].value("throughput_tokens_per_sec") == .double(10))
    }

    @Test func counterResetGivesNull() {
        var log = LogBuilder()
        log.queryStart(0, "q1")
        log.sample(0, gpuJ: 900, cpuJ: 0.5)
        log.inferenceStart(100)
        log.sample(200, gpuJ: 1000, cpuJ: 1)
        log.sample(300, gpuJ: 5, cpuJ: 3)
        log.inferenceEnd(400, prompt: 1, completion: 1)
        log.queryEnd(500, "q1")
        let result = log.analyze()
        // Turn: GPU 5 - 1000 < 0 -> null; CPU 3 - 1 = 2. No turn has GPU
        // energy, so the fallback runs: query GPU 5 - 900 < 0 stays null, and
        // the query's CPU 3 - 0.5 = 2.5 replaces the turn's 2 (one turn).
        #expect(result.turns[0].value("gpu_energy_joules") == .null)
        #expect(result.turns[0].value("cpu_energy_joules") == .double(2.5))
        #expect(result.queries[0].value("total_gpu_energy_joules") == .null)
        #expect(result.queries[0].value("total_cpu_energy_joules") == .double(2.5))
    }

    @Test func nonFiniteReadingsAreSkipped() {
        var log = LogBuilder()
        log.queryStart(0, "q1")
        log.inferenceStart(100)
        log.sample(110, gpuJ: .nan, gpuW: .nan, cpuW: .nan)
        log.sample(120, gpuJ: 10, gpuW: 100, cpuW: .infinity)
        log.sample(130, gpuJ: .infinity, gpuW: 200)
        log.sample(140, gpuJ: 25, gpuW: .infinity)
        log.sample(150, gpuJ: -.infinity)
        log.inferenceEnd(200)
        log.queryEnd(300, "q1")
        let turn = log.analyze().turns[0]
        #expect(turn.value("gpu_energy_joules") == .double(15))
        #expect(turn.value("gpu_power_avg_watts") == .double(150))
        #expect(turn.value("cpu_power_avg_watts") == .null)
        #expect(turn.value("cpu_energy_joules") == .null)
        // Tokens not reported are null, and so are the query's totals.
        #expect(turn.value("input_tokens") == .null)
        #expect(turn.value("output_tokens") == .null)
    }

    @Test func outOfOrderSamplesKeepArrivalOrder() {
        var log = LogBuilder()
        log.queryStart(0, "q1")
        log.inferenceStart(100)
        log.sample(200, gpuJ: 20, gpuW: 1)
        log.sample(800, gpuJ: 80, gpuW: 2)
        log.sample(500, gpuJ: 50, gpuW: 4)
        log.inferenceEnd(900, prompt: 1, completion: 1)
        log.queryEnd(1000, "q1")
        // Last minus first in arrival order: 50 - 20, not 80 - 20.
        #expect(log.analyze().turns[0].value("gpu_energy_joules") == .double(30))
        // A sample recorded out of order still counts when its time is inside.
        var late = LogBuilder()
        late.queryStart(0, "q1")
        late.inferenceStart(100)
        late.sample(300, gpuJ: 30)
        late.inferenceEnd(900, prompt: 1, completion: 1)
        late.queryEnd(1000, "q1")
        late.sample(200, gpuJ: 10)
        #expect(late.analyze().turns[0].value("gpu_energy_joules") == .null)  // 10 - 30 < 0
    }

    @Test func repeatedAndOverlappingSameNameTools() {
        var log = LogBuilder()
        log.queryStart(0, "q1")
        log.toolStart(100, "search")
        log.toolEnd(300, "search")   // 0.2
        log.toolStart(400, "search")
        log.toolStart(500, "search") // replaces the start at 400
        log.toolStart(600, "fetch")
        log.toolEnd(700, "fetch")    // 0.1
        log.toolEnd(900, "search")   // 0.4 from 500, overwrites 0.2 in place
        log.toolEnd(1000, "search")  // no start left
        log.inferenceStart(1100)
        log.inferenceEnd(1200, prompt: 5, completion: 5)
        log.queryEnd(1300, "q1")
        let result = log.analyze()
        #expect(result.turns.count == 1)
        #expect(result.turns[0].value("tools_called") == .strings(["search", "fetch", "search", "search"]))
        #expect(result.turns[0].value("tool_latencies_s") == .object([("search", .double(ipwSpan(500, 900))), ("fetch", .double(ipwSpan(600, 700)))]))
        #expect(result.queries[0].value("tool_call_count") == .int(4))
        #expect(result.diagnostics.map(\.description) == [
            "run r1, query q1, record 3: tool start never ended (tool \"search\", replaced by record 4)",
            "run r1, query q1, record 8: tool end without a start (tool \"search\")",
        ])
    }

    @Test func syntheticTurnWhenNoInferenceEnded() {
        var log = LogBuilder()
        log.queryStart(0, "q1")
        log.toolStart(100, nil)
        log.toolEnd(400, nil)
        log.queryEnd(500, "q1")
        let result = log.analyze()
        #expect(result.turns == [
            AnalysisRow([
                ("query_id", .string("q1")), ("turn_index", .int(0)),
                ("input_tokens", .int(0)), ("output_tokens", .int(0)),
                ("tools_called", .strings(["unknown"])),
                ("tool_latencies_s", .object([("unknown", .double(ipwSpan(100, 400)))])),
                ("wall_clock_s", .double(0)),
                ("gpu_energy_joules", .null), ("cpu_energy_joules", .null),
                ("gpu_power_avg_watts", .null), ("cpu_power_avg_watts", .null),
            ]),
        ])
        #expect(result.queries[0].value("total_output_tokens") == .int(0))
        #expect(result.queries[0].value("per_token_ms") == .null)
        // A query with no inference or tool events has no turn at all.
        var empty = LogBuilder()
        empty.queryStart(0, "q1")
        empty.queryEnd(100, "q1")
        #expect(empty.analyze().turns.isEmpty)
        #expect(empty.analyze().queries[0].value("num_turns") == .int(0))
    }
}
