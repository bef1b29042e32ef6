import Testing
import TraceLog
@testable import TraceAnalysis

@Suite struct IPWQueryTests {
    @Test func failedQueryKeepsNoTurns() {
        var log = LogBuilder()
        log.queryStart(0, "q1")
        log.sample(0, gpuJ: 0, cpuJ: 0)
        log.inferenceStart(100)
        log.inferenceEnd(900, prompt: 10, completion: 10, cost: 0.5)
        log.toolStart(1000, "search")
        log.toolEnd(1200, "search")
        log.sample(2500, gpuJ: 100, cpuJ: 10)
        log.queryEnd(2500, "q1", status: "failed")
        let result = log.analyze()
        #expect(result.turns.isEmpty)
        #expect(result.queries == [
            AnalysisRow([
                ("query_id", .string("q1")), ("completed", .bool(false)), ("num_turns", .int(0)),
                ("total_input_tokens", .int(0)), ("total_output_tokens", .int(0)),
                ("tool_call_count", .int(0)),
                ("total_gpu_energy_joules", .null), ("total_cpu_energy_joules", .null),
                ("total_cost_usd", .null), ("total_wall_clock_s", .double(2.5)),
                ("per_token_ms", .null), ("throughput_tokens_per_sec", .null),
            ]),
        ])
    }

    @Test func unmatchedStartsAndEnds() {
        var log = LogBuilder()
        log.queryStart(0, "q1")            // 0
        log.inferenceEnd(200, prompt: 3)   // 1: no start, wall 0
        log.toolEnd(300, "search")         // 2: no start
        log.toolStart(400, "fetch")        // 3: never ended
        log.inferenceStart(500)            // 4: never ended
        log.queryEnd(600, "q1")            // 5
        log.queryEnd(700, "qX")            // 6: unknown query
        log.queryStart(800, "q2")          // 7: never ended
        log.inferenceStart(900)            // 8
        log.inferenceEnd(1400, prompt: 1, completion: 2)  // 9
        let result = log.analyze()
        #expect(result.diagnostics.map(\.description) == [
            "run r1, query q1, record 1: inference end without a start",
            "run r1, query q1, record 2: tool end without a start (tool \"search\")",
            "run r1, query q1, record 3: tool start never ended (tool \"fetch\")",
            "run r1, query q1, record 4: inference start never ended",
            "run r1, query qX, record 6: end of unknown query (ignored)",
            "run r1, query q2, record 7: query without an end (counted as not completed, window closed at its last event)",
        ])
        #expect(result.turns[0].value("wall_clock_s") == .double(0))
        // The tool ended after the turn's inference: it waits for a next turn
        // that never comes, so no turn lists it.
        #expect(result.turns[0].value("tools_called") == .strings([]))
        #expect(result.turns[0].value("tool_latencies_s") == .object([]))
        #expect(result.turns[0].value("output_tokens") == .null)
        #expect(result.queries[0].value("total_input_tokens") == .int(3))
        #expect(result.queries[0].value("total_output_tokens") == .null)
        #expect(result.queries[0].value("per_token_ms") == .null)
        // The unended query is not completed and its window ends at its last event.
        #expect(result.queries[1].value("completed") == .bool(false))
        #expect(result.queries[1].value("num_turns") == .int(1))
        #expect(result.queries[1].value("total_wall_clock_s") == .double(ipwSpan(800, 1400)))
        #expect(result.runs[0].value("num_queries") == .int(2))
        #expect(result.runs[0].value("wall_clock_s") == .double(1.4))
    }

    @Test func eventsWithoutQueryGoToTheLatestOpenQuery() {
        var log = LogBuilder()
        log.queryStart(0, "a")
        log.queryStart(100, "b")
        log.inferenceStart(200, query: "a")
        log.inferenceStart(300)                  // b
        log.inferenceEnd(500, prompt: 1, completion: 1)  // b
        log.queryEnd(600, nil)                   // closes b, the latest open
        log.inferenceEnd(700, prompt: 2, completion: 2) // a, the only one open
        log.queryEnd(800, "a")
        let result = log.analyze()
        #expect(result.queries.map { $0.value("query_id") } == [.string("a"), .string("b")])
        #expect(result.turns.map { $0.value("query_id") } == [.string("a"), .string("b")])
        #expect(result.turns.map { $0.value("wall_clock_s") } == [.double(ipwSpan(200, 700)), .double(ipwSpan(300, 500))])
        #expect(result.diagnostics.isEmpty)
    }

    @Test func outputIsDeterministic() {
        var log = LogBuilder()
        log.queryStart(0, "q1")
        log.toolStart(10, "b")
        log.toolStart(20, "a")
        log.toolStart(30, "c")
        log.queryEnd(40, "q1")
        let first = log.analyze()
        for _ in 0..<5 { #expect(log.analyze() == first) }
        // Open starts are reported in record order, not hash order.
        #expect(first.diagnostics.map(\.sequence) == [1, 2, 3])
    }

    /// A query that ends before one started earlier is made when it ends
    /// and its rows wait for the earlier one's: each query's rows, energy
    /// included, are those it has when analysed alone with the same
    /// readings.
    @Test func aQueryClosingBeforeAnEarlierOneKeepsItsOwnRows() {
        func log(_ queries: Set<String>) -> LogBuilder {
            var log = LogBuilder()
            var samples = 0
            func readings(until ms: Int64) {
                while Int64(samples) * 100 <= ms {
                    let t = Int64(samples) * 100
                    log.sample(t, gpuJ: Double(t) * 0.3, gpuW: 300, cpuJ: Double(t) * 0.05, cpuW: 50)
                    samples += 1
                }
            }
            func step(_ ms: Int64, _ query: String, _ event: (inout LogBuilder) -> Void) {
                readings(until: ms)
                if queries.contains(query) { event(&log) }
            }
            step(0, "a") { $0.queryStart(0, "a") }
            step(150, "a") { $0.inferenceStart(150, query: "a") }
            step(400, "b") { $0.queryStart(400, "b") }
            step(450, "b") { $0.inferenceStart(450, query: "b") }
            step(700, "b") { $0.inferenceEnd(700, prompt: 7, completion: 3, cost: 0.25, query: "b") }
            step(900, "b") { $0.queryEnd(900, "b") }
            step(1100, "a") { $0.inferenceEnd(1100, prompt: 11, completion: 5, cost: 0.5, query: "a") }
            step(1300, "a") { $0.inferenceStart(1300, query: "a") }
            step(1650, "a") { $0.inferenceEnd(1650, prompt: 13, completion: 2, query: "a") }
            step(1800, "a") { $0.queryEnd(1800, "a") }
            readings(until: 2000)
            return log
        }
        let both = log(["a", "b"]).analyze()
        let a = log(["a"]).analyze()
        let b = log(["b"]).analyze()
        #expect(both.queries == a.queries + b.queries)
        #expect(both.turns == a.turns + b.turns)
        #expect(both.turns.map { $0.value("query_id") } == [.string("a"), .string("a"), .string("b")])
        // The windows saw readings: the energy is there, not absent.
        #expect(both.queries.allSatisfy { $0.value("total_gpu_energy_joules").doubleValue ?? 0 > 0 })
        #expect(both.diagnostics.isEmpty)
    }
}
