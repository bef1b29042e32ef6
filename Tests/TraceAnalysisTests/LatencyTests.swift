import Testing
import TraceLog
@testable import TraceAnalysis

@Suite struct LatencyTests {
    @Test func nearestRankPercentilesOnKnownData() {
        let oneToTwenty: [Double?] = (1...20).map { Double($0) }
        #expect(Percentile.nearestRank(50, of: oneToTwenty) == 10)
        #expect(Percentile.nearestRank(95, of: oneToTwenty) == 19)
        #expect(Percentile.nearestRank(99, of: oneToTwenty) == 20)
        #expect(Percentile.nearestRank(100, of: oneToTwenty) == 20)
        // Unsorted input, nulls and NaN excluded: known values 15, 20, 35, 40, 50.
        let values: [Double?] = [40, nil, 15, .nan, 50, 35, 20]
        #expect(Percentile.nearestRank(30, of: values) == 20)  // rank ceil(1.5) = 2
        #expect(Percentile.nearestRank(40, of: values) == 20)  // rank 2 exactly
        #expect(Percentile.nearestRank(50, of: values) == 35)  // rank ceil(2.5) = 3
        #expect(Percentile.nearestRank(95, of: values) == 50)
        #expect(Percentile.nearestRank(1, of: values) == 15)
        #expect(Percentile.nearestRank(50, of: [1, 2, 3, 4]) == 2)
        #expect(Percentile.nearestRank(50, of: [nil, nil]) == nil)
        #expect(Percentile.nearestRank(50, of: []) == nil)
    }

    @Test func turnLatencyTimeToFirstTokenAndThroughput() throws {
        let table = try PriceTable.test(#"{"models": {}}"#)
        var log = ViewsEventBuilder()
        log.queryStart(0, "q1")
        log.inference(100, 2100, span: "c1", model: "m", prompt: 10, completion: 400, ttft: 0.25)
        log.tool(2200, 2450, span: "t1", "search")
        log.inference(2500, 3000, span: "c2", model: "m", prompt: 10, completion: 0)
        log.queryEnd(3100, "q1")
        let turns = TurnView.rows([log.analyzed], prices: table)
        #expect(turns.unpricedModels == ["m"])
        #expect(turns.rows.count == 2)
        let first = turns.rows[0]
        #expect(first.value("model") == .string("m"))
        #expect(first.value("cost_usd") == .null)
        #expect(first.value("inference_latency_s") == .double(2))
        #expect(first.value("ttft_s") == .double(0.25))
        #expect(first.value("inference_ms_per_output_token") == .double(5))
        #expect(first.value("inference_output_tokens_per_s") == .double(200))
        let second = turns.rows[1]
        #expect(second.value("inference_latency_s") == .double(0.5))
        #expect(second.value("ttft_s") == .null)
        // No output tokens: no rate (never a division by zero).
        #expect(second.value("inference_ms_per_output_token") == .null)
        #expect(second.value("inference_output_tokens_per_s") == .null)

        let query = QueryView.rows([log.analyzed], prices: table).rows[0]
        #expect(query.value("inference_latency_s") == .double(2.5))
        #expect(query.value("tool_latency_s") == .double(0.25))
        #expect(query.value("inference_ms_per_output_token") == .double(6.25))
        #expect(query.value("inference_output_tokens_per_s") == .double(160))
        // The set's own columns are kept in place; total_cost_usd is replaced in place.
        #expect(query.names == [
            "run_id", "query_id", "completed", "status", "error", "num_turns", "total_input_tokens",
            "total_output_tokens", "calls_without_usage", "tool_call_count",
            "total_gpu_energy_joules", "total_cpu_energy_joules", "total_cost_usd", "unpriced_calls", "total_wall_clock_s",
            "per_token_ms", "throughput_tokens_per_sec",
            "energy_per_output_token_joules", "inference_latency_s", "tool_latency_s", "unfinished_calls",
            "inference_ms_per_output_token", "inference_output_tokens_per_s", "resolved", "score", "labels",
        ])
    }

    @Test func toolLatencyIsPerCallNotPerName() {
        var log = ViewsEventBuilder()
        log.queryStart(0, "q1")
        // Two overlapping calls of the same tool, matched by span id.
        log.add(100, .toolStart(ToolStart(spanID: "a", tool: "search")))
        log.add(200, .toolStart(ToolStart(spanID: "b", tool: "search")))
        log.add(300, .toolEnd(ToolEnd(spanID: "a", tool: "search", ok: true)))
        log.add(1200, .toolEnd(ToolEnd(spanID: "b", tool: "search", ok: false, error: "timeout")))
        // Without span ids the latest open call of the same name is closed.
        log.add(1300, .toolStart(ToolStart(tool: "fetch")))
        log.add(1400, .toolEnd(ToolEnd(tool: "fetch", ok: true)))
        log.add(1500, .toolStart(ToolStart(tool: "fetch")))  // never ended
        log.queryEnd(1600, "q1")
        let spans = RunSpans(log.run)
        #expect(spans.toolCalls.map(\.tool) == ["search", "search", "fetch", "fetch"])
        #expect(spans.toolCalls.map(\.latencySeconds) == [0.2, 1.0, 0.1, nil])
        #expect(spans.diagnostics.map(\.description) == [
            "run r1, query q1, record 7: tool call never ended (tool \"fetch\", no latency, runs to the query's end)",
        ])
        let rows = ToolView.rows([log.run]).rows
        #expect(rows == [
            AnalysisRow([
                ("run_id", .string("r1")), ("tool", .string("fetch")), ("calls", .int(2)), ("errors", .int(0)),
                ("latency_p50_s", .double(0.1)), ("latency_p95_s", .double(0.1)), ("gpu_energy_joules", .null),
                ("calls_without_energy", .int(2)),
            ]),
            AnalysisRow([
                ("run_id", .string("r1")), ("tool", .string("search")), ("calls", .int(2)), ("errors", .int(1)),
                ("latency_p50_s", .double(0.2)), ("latency_p95_s", .double(1.0)), ("gpu_energy_joules", .null),
                ("calls_without_energy", .int(2)),
            ]),
        ])
    }
}
