import Foundation
import Testing
import TraceLog
@testable import TraceAnalysis

@Suite struct PricingCostTests {
    static let prices = #"""
        {"version": "a", "models": {
          "gpt-4o": {"input_usd_per_mtok": 2.50, "output_usd_per_mtok": 10.00, "cached_input_usd_per_mtok": 1.25},
          "gpt-4o-mini": {"input_usd_per_mtok": 0.15, "output_usd_per_mtok": 0.60},
          "llama": {"input_usd_per_mtok": 0.88, "output_usd_per_mtok": 0.88}
        }}
        """#

    @Test func costByModelIsExactToTheCent() throws {
        let table = try PriceTable.test(Self.prices)
        var log = ViewsEventBuilder()
        log.queryStart(0, "q1")
        // gpt-4o-mini: 1 234 567 × 0.15 + 89 012 × 0.60 = 185 185.05 + 53 407.2 µ$ → $0.23859225
        log.inference(10, 20, span: "c1", model: "gpt-4o-mini", prompt: 1_234_567, completion: 89_012)
        // gpt-4o, 1000 prompt of which 200 cached, 500 completion:
        // 800 × 2.5 + 200 × 1.25 + 500 × 10 = 7250 µ$ → $0.00725
        log.inference(30, 40, span: "c2", model: "gpt-4o", prompt: 1000, completion: 500, cached: 200)
        // and again, uncached: 3000 × 2.5 + 1000 × 10 = 17 500 µ$ → $0.0175
        log.inference(50, 60, span: "c3", model: "gpt-4o", prompt: 3000, completion: 1000, cached: 0)
        log.queryEnd(70, "q1")
        let result = ModelView.rows([log.run], prices: table)
        #expect(result.unpricedModels.isEmpty)
        #expect(result.rows == [
            AnalysisRow([
                ("run_id", .string("r1")), ("model", .string("gpt-4o")), ("calls", .int(2)), ("input_tokens", .int(4000)),
                ("output_tokens", .int(1500)), ("cached_tokens", .int(200)), ("calls_without_usage", .int(0)),
                ("cost_usd", .double(0.02475)), ("unpriced_calls", .int(0)), ("gpu_energy_joules", .null),
                ("calls_without_energy", .int(2)),
            ]),
            AnalysisRow([
                ("run_id", .string("r1")), ("model", .string("gpt-4o-mini")), ("calls", .int(1)),
                ("input_tokens", .int(1_234_567)), ("output_tokens", .int(89_012)), ("cached_tokens", .null),
                ("calls_without_usage", .int(0)), ("cost_usd", .double(0.23859225)), ("unpriced_calls", .int(0)),
                ("gpu_energy_joules", .null), ("calls_without_energy", .int(1)),
            ]),
        ])
    }

    @Test func cachedTokensWithoutACachedPricePayTheInputPrice() throws {
        let table = try PriceTable.test(Self.prices)
        let price = try #require(table.price(for: "gpt-4o-mini"))
        // (1000 − 400) × 0.15 + 400 × 0.15 + 100 × 0.6 = 210 µ$
        #expect(price.picoUSD(promptTokens: 1000, completionTokens: 100, cachedTokens: 400) == 210_000_000)
        let cachedPrice = try #require(table.price(for: "gpt-4o"))
        // (1000 − 400) × 2.5 + 400 × 1.25 + 100 × 10 = 3000 µ$
        #expect(cachedPrice.picoUSD(promptTokens: 1000, completionTokens: 100, cachedTokens: 400) == 3_000_000_000)
        // Cached beyond the prompt is clamped: all 1000 cached.
        #expect(cachedPrice.picoUSD(promptTokens: 1000, completionTokens: 0, cachedTokens: 5000) == 1_250_000_000)
        // Unknown counts give no cost (absent is not zero).
        #expect(cachedPrice.picoUSD(promptTokens: 1000, completionTokens: nil, cachedTokens: nil) == nil)
        #expect(cachedPrice.picoUSD(promptTokens: nil, completionTokens: 1, cachedTokens: nil) == nil)
    }

    @Test func theProviderCostWinsOverTheTable() throws {
        let table = try PriceTable.test(Self.prices)
        var log = ViewsEventBuilder()
        log.queryStart(0, "q1")
        log.inference(10, 20, span: "c1", model: "gpt-4o", prompt: 1000, completion: 500, cost: 0.5)
        log.inference(30, 40, span: "c2", model: "gpt-4o", prompt: 1000, completion: 500, cost: .nan)  // not reported
        log.inference(50, 60, span: "c3", model: "unpriced-model", cost: 0.25)  // reported: needs no table
        log.queryEnd(70, "q1")
        let spans = RunSpans(log.run).inferences
        #expect(spans.map { InferenceCost.usd(of: $0, prices: table) } == [0.5, 0.0075, 0.25])
        let models = ModelView.rows([log.run], prices: table)
        #expect(models.rows.map { $0.value("cost_usd") } == [.double(0.5075), .double(0.25)])
        #expect(models.unpricedModels.isEmpty)
        let queries = QueryView.rows([log.analyzed], prices: table)
        #expect(queries.rows.map { $0.value("total_cost_usd") } == [.double(0.7575)])
    }

    @Test func anUnpricedModelCostsNullAndIsListedOnce() throws {
        let table = try PriceTable.test(Self.prices)
        var first = ViewsEventBuilder()
        first.queryStart(0, "q1")
        first.inference(10, 20, span: "c1", model: "mystery", prompt: 10, completion: 10)
        first.inference(30, 40, span: "c2", model: "gpt-4o", prompt: 1_000_000, completion: 0)
        first.inference(50, 60, span: "c3", model: "mystery", prompt: 10, completion: 10)
        first.queryEnd(70, "q1")
        var second = ViewsEventBuilder()
        second.runID = "r2"
        second.queryStart(0, "q1")
        second.inference(10, 20, span: "c1", model: "another", routed: "mystery")
        second.queryEnd(70, "q1")
        let models = ModelView.rows([first.run, second.run], prices: table, poolRuns: true)
        #expect(models.unpricedModels == ["mystery"])
        #expect(models.rows.map { $0.value("model") } == [.string("gpt-4o"), .string("mystery")])
        #expect(models.rows.map { $0.value("cost_usd") } == [.double(2.5), .null])
        #expect(models.rows.map { $0.value("unpriced_calls") } == [.int(0), .int(3)])
        #expect(models.rows[1].value("calls") == .int(3))
        // Group totals are the sums of the known counts, with a count of the
        // calls that had none beside them.
        #expect(models.rows[1].value("input_tokens") == .int(20))
        #expect(models.rows[1].value("calls_without_usage") == .int(1))
        // Run by run: r1's gpt-4o and mystery, r2's mystery.
        let perRun = ModelView.rows([first.run, second.run], prices: table)
        #expect(perRun.rows.map { $0.value("run_id") } == [.string("r1"), .string("r1"), .string("r2")])
        #expect(perRun.rows[2].value("input_tokens") == .null)
        let queries = QueryView.rows([first.analyzed, second.analyzed], prices: table)
        #expect(queries.unpricedModels == ["mystery"])
        // One unpriced call no longer blanks the query's cost: the known part
        // is summed and the unpriced calls counted.
        #expect(queries.rows.map { $0.value("total_cost_usd") } == [.double(2.5), .null])
        #expect(queries.rows.map { $0.value("unpriced_calls") } == [.int(2), .int(1)])
    }

    @Test func repricingChangesTheCostsAndNothingElse() throws {
        let cheap = try PriceTable.test(Self.prices)
        let dear = try PriceTable.test(Self.prices.replacingOccurrences(of: "10.00", with: "20.00"))
        #expect(cheap.identity.sha256 != dear.identity.sha256)
        var log = ViewsEventBuilder()
        log.queryStart(0, "q1")
        log.sample(0, gpuJ: 0)
        log.inference(10, 1010, span: "c1", model: "gpt-4o", prompt: 1000, completion: 500, cached: 200)
        log.tool(1100, 1300, span: "t1", "search")
        log.inference(1400, 2400, span: "c2", model: "gpt-4o", prompt: 2000, completion: 100)
        log.sample(2500, gpuJ: 250)
        log.queryEnd(2500, "q1")
        let runs = [log.analyzed]
        for view in [ViewKind.turn, .query, .tool, .model, .label("data_id")] {
            let a = view.rows(runs, prices: cheap).rows
            let b = view.rows(runs, prices: dear).rows
            #expect(a.count == b.count)
            for (x, y) in zip(a, b) {
                #expect(x.names == y.names)
                let changed = zip(x.columns, y.columns).filter { $0.value != $1.value }.map(\.0.name)
                let expected: [String] = switch view {
                case .tool: []
                case .turn: ["cost_usd"]
                case .model: ["cost_usd"]
                default: ["total_cost_usd"]
                }
                #expect(changed == expected, "\(view)")
            }
        }
        // 800 × 2.5 + 200 × 1.25 + 500 × 10 + 2000 × 2.5 + 100 × 10 = 13 250 µ$; output at 20: 19 250 µ$.
        #expect(ViewKind.query.rows(runs, prices: cheap).rows[0].value("total_cost_usd") == .double(0.01325))
        #expect(ViewKind.query.rows(runs, prices: dear).rows[0].value("total_cost_usd") == .double(0.01925))
    }
}
