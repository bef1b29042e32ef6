import Testing
import TraceLog
@testable import TraceAnalysis

@Suite struct IPWRenderingTests {
    var result: AnalysisResult {
        var log = LogBuilder()
        log.queryStart(0, "q0001")
        log.sample(0, gpuJ: 0, gpuW: 300, cpuJ: 0, cpuW: 50)
        log.inferenceStart(0)
        log.sample(500, gpuJ: 150, gpuW: 310, cpuJ: 20, cpuW: 55)
        log.inferenceEnd(1000, prompt: 812, completion: 64, cost: 0.0042)
        log.toolStart(1000, "web_search_with_a_long_name")
        log.toolEnd(1250, "web_search_with_a_long_name")
        log.inferenceStart(1300)
        log.sample(1500, gpuJ: 210, gpuW: 305, cpuJ: 30, cpuW: 52)
        log.sample(2000, gpuJ: 400, gpuW: 320, cpuJ: 41, cpuW: 60)
        log.inferenceEnd(2000, prompt: 900, completion: 12)
        log.queryEnd(2100, "q0001")
        return log.analyze()
    }

    @Test func tablesFitEightyColumns() {
        let identity = IPWMetricSet.identity
        for rows in [result.turns, result.queries, result.runs] {
            let table = OutputFormat.table.render(rows, metricSet: identity)
            #expect(table.split(separator: "\n").allSatisfy { $0.count <= 80 })
            #expect(table.hasSuffix("metric set: ipw@2 · \(rows.count) \(rows.count == 1 ? "row" : "rows")\n"))
        }
    }

    @Test func csvAndJSONOfQueries() {
        // Durations as the reference computes them: float seconds since the epoch.
        let wall = ipwSpan(0, 2100)
        let csv = OutputFormat.csv.render(result.queries, metricSet: IPWMetricSet.identity)
        #expect(csv == """
            query_id,completed,num_turns,total_input_tokens,total_output_tokens,tool_call_count,\
            total_gpu_energy_joules,total_cpu_energy_joules,total_cost_usd,total_wall_clock_s,per_token_ms,\
            throughput_tokens_per_sec,metric_set
            q0001,true,2,1712,76,1,340.0,31.0,0.0042,\(wall),\(wall * 1000 / 76),\(76 / wall),ipw@2

            """)
        let json = OutputFormat.json.render(result.turns, metricSet: IPWMetricSet.identity)
        #expect(json == """
            [
            {"query_id":"q0001","turn_index":0,"input_tokens":812,"output_tokens":64,"tools_called":[],\
            "tool_latencies_s":{},"wall_clock_s":\(ipwSpan(0, 1000)),"gpu_energy_joules":150.0,"cpu_energy_joules":20.0,\
            "gpu_power_avg_watts":305.0,"cpu_power_avg_watts":52.5,"metric_set":"ipw@2"},
            {"query_id":"q0001","turn_index":1,"input_tokens":900,"output_tokens":12,\
            "tools_called":["web_search_with_a_long_name"],"tool_latencies_s":{"web_search_with_a_long_name":\(ipwSpan(1000, 1250))},\
            "wall_clock_s":\(ipwSpan(1300, 2000)),"gpu_energy_joules":190.0,"cpu_energy_joules":11.0,\
            "gpu_power_avg_watts":312.5,"cpu_power_avg_watts":56.0,"metric_set":"ipw@2"}
            ]

            """)
    }
}
