import Testing
import TraceLog
@testable import TraceAnalysis

@Suite struct ExportTests {
    @Test func csvQuotesCommasQuotesAndNewlinesInToolNamesAndTexts() {
        var log = ViewsEventBuilder()
        log.queryStart(0, "q1")
        log.tool(10, 20, span: "t1", "say \"hi\", then\nleave", ok: false, error: "bad, \"very\"")
        log.tool(30, 40, span: "t2", "plain")
        log.queryEnd(50, "q1")
        let rows = ToolView.rows([log.run]).rows
        let csv = CSVRenderer().render(rows, metricSet: IPWMetricSet.identity)
        #expect(csv == """
            run_id,tool,calls,errors,latency_p50_s,latency_p95_s,gpu_energy_joules,calls_without_energy,metric_set
            r1,plain,1,0,0.01,0.01,,1,ipw@2
            r1,"say ""hi"", then
            leave",1,1,0.01,0.01,,1,ipw@2

            """)
    }

    @Test func exportProducesTheFilesInOrder() throws {
        var log = ViewsEventBuilder()
        log.queryStart(0, "q,1", labels: [Label("data_id", "d1")])
        log.sample(0, gpuJ: 0)
        log.inference(100, 900, span: "c1", model: "gpt-4o", prompt: 1000, completion: 400, cached: 200)
        log.tool(1000, 1500, span: "t1", "search")
        log.sample(2000, gpuJ: 80)
        log.queryEnd(2000, "q,1", resolved: true)
        let runs = [log.analyzed]
        let prices = PriceTable.default
        let turns = TurnView.rows(runs, prices: prices)
        let queries = QueryView.rows(runs, prices: prices)
        let tools = ToolView.rows(runs.map(\.events))
        let models = ModelView.rows(runs.map(\.events), prices: prices)
        let input = Export.Input(
            turns: turns.rows, queries: queries.rows, tools: tools.rows, models: models.rows,
            metricSet: IPWMetricSet.identity, priceTable: prices.identity, logSHA256: ContentDigest.hex("log bytes"),
            unpricedModels: models.unpricedModels)
        let files = Export.files(input)
        #expect(files.map(\.fileName) == Export.fileNames)
        #expect(files.map(\.fileName) == ["turns.csv", "queries.csv", "tools.csv", "models.csv", "summary.json"])
        // One CSV line per row of the matching view, same renderer as --format csv.
        let csv = CSVRenderer()
        #expect(files[0].contents == csv.render(turns.rows, metricSet: IPWMetricSet.identity))
        #expect(files[1].contents == csv.render(queries.rows, metricSet: IPWMetricSet.identity))
        // ipw leaves the tool (ended after the only inference) out of the turns: 0 tool calls.
        #expect(files[1].contents.split(separator: "\n")[1]
            == "r1,\"q,1\",true,completed,,1,1000,400,0,0,80.0,,0.00625,0,2.0,5.0,200.0,0.2,0.8,0.5,0,2.0,500.0,"
            + "true,,\"{\"\"data_id\"\":\"\"d1\"\"}\",ipw@2")
        #expect(files[3].contents == """
            run_id,model,calls,input_tokens,output_tokens,cached_tokens,calls_without_usage,cost_usd,unpriced_calls,\
            gpu_energy_joules,calls_without_energy,metric_set
            r1,gpt-4o,1,1000,400,200,0,0.00625,0,,1,ipw@2

            """)
        // 800 × 2.5 + 200 × 1.25 + 400 × 10 = 6250 µ$.
        let hash = prices.identity.sha256
        #expect(files[4].contents == """
            {"metric_set":"ipw","metric_set_version":"2",\
            "price_table":{"file":"default-prices.json","version":"2025-01-31","sha256":"\(hash)"},\
            "log_sha256":"\(ContentDigest.hex("log bytes"))","unpriced_models":[],\
            "totals":{"runs":1,"queries":1,"turns":1,"inference_calls":1,"tool_calls":1,"tool_errors":0,\
            "input_tokens":1000,"output_tokens":400,"cached_tokens":200,"calls_without_usage":0,\
            "cost_usd":0.00625,"unpriced_calls":0,\
            "gpu_energy_joules":80.0,"queries_without_energy":0,"wall_clock_s":2.0},\
            "latency":{"inference_latency_s":{"p50":0.8,"p95":0.8,"p99":0.8},\
            "query_wall_clock_s":{"p50":2.0,"p95":2.0,"p99":2.0}}}

            """)
        #expect(Export.files(input).map(\.contents) == files.map(\.contents))
    }
}
