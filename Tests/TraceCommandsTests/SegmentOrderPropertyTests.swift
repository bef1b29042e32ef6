import Foundation
import Testing
import TraceAnalysis
import TraceLog
@testable import TraceCommands

/// Random runs — overlapping queries, retries after a timeout, calls never
/// ended, ends without starts, missing span ids, tool names that differ
/// between start and end — analyse to the same bytes under every metric set
/// whichever order their segments and files are read in (streamed in order,
/// read whole and sorted otherwise), and the views agree with each other.
@Suite("Random runs: segment order does not matter, views agree")
struct SegmentOrderPropertyTests {
    /// A small deterministic generator (SplitMix64).
    struct Mix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    }

    /// One random run's events, in time order (times in ns after `t0`).
    static func randomRun(seed: UInt64) -> [(EventPayload, Int64)] {
        var rng = Mix(state: seed)
        var timed: [(time: Int64, order: Int, payload: EventPayload)] = []
        func add(_ time: Int64, _ payload: EventPayload) { timed.append((time, timed.count, payload)) }
        let ms: Int64 = 1_000_000
        let queries = 2 + rng.below(4)
        var end: Int64 = 0
        for q in 0..<queries {
            let id = "q\(q)"
            // Queries start every 300 ms and may overlap the next.
            var t = Int64(q) * 300 * ms + Int64(rng.below(50)) * ms
            add(t, .queryStart(QueryStart(queryID: id)))
            let turns = 1 + rng.below(4)
            for k in 0..<turns {
                let span: String? = rng.chance(15) ? nil : "\(id)-c\(k)"
                let model = ["alpha", "beta", "gamma"][rng.below(3)]
                t += Int64(1 + rng.below(20)) * ms
                if rng.chance(20) {
                    // A call that times out, then its retry.
                    add(t, .inferenceStart(InferenceStart(spanID: "\(id)-timeout\(k)", queryID: id, model: model)))
                    t += Int64(5 + rng.below(30)) * ms
                }
                add(t, .inferenceStart(InferenceStart(spanID: span, queryID: id, model: model)))
                t += Int64(10 + rng.below(100)) * ms
                add(t, .inferenceEnd(InferenceEnd(
                    spanID: span, queryID: id, promptTokens: Int64(100 + rng.below(900)),
                    completionTokens: Int64(1 + rng.below(99)))))
                for c in 0..<rng.below(3) {
                    let toolSpan: String? = rng.chance(20) ? nil : "\(id)-c\(k)-t\(c)"
                    let name = ["search", "fetch", "read"][rng.below(3)]
                    add(t, .toolStart(ToolStart(spanID: toolSpan, queryID: id, tool: name, parentSpanID: span)))
                    t += Int64(1 + rng.below(60)) * ms
                    if rng.chance(10) { continue }  // never ended
                    let endName = toolSpan != nil && rng.chance(20) ? name + ".v2" : name
                    add(t, .toolEnd(ToolEnd(spanID: toolSpan, queryID: id, tool: endName, ok: !rng.chance(15))))
                }
            }
            if rng.chance(10) {
                add(t, .toolEnd(ToolEnd(spanID: "\(id)-ghost", queryID: id, tool: "search", ok: false)))
            }
            t += Int64(rng.below(20)) * ms
            add(t, .queryEnd(QueryEnd(queryID: id, status: rng.chance(10) ? "failed" : "completed")))
            end = max(end, t)
        }
        // A GPU energy counter and CPU power, sampled every 25 ms.
        var joules = 1000.0
        var s: Int64 = 0
        while s <= end + 25 * ms {
            joules += 1 + Double(rng.below(1000)) / 100
            add(s, .sample(TelemetrySample(source: "gpu0", gpuEnergyJoules: joules, gpuPowerWatts: 100)))
            add(s + ms / 2, .sample(TelemetrySample(source: "cpu0", cpuPowerWatts: Double(20 + rng.below(10)))))
            s += 25 * ms
        }
        timed.sort { ($0.time, $0.order) < ($1.time, $1.order) }
        return timed.map { ($0.payload, Catalogue.t0 + $0.time) }
    }

    /// Every view of the default set as CSV, and the diagnostics, for `paths`
    /// as `trace-analyze` analyses them (streamed when it can, else whole).
    static func outputs(_ paths: [String]) -> [String] {
        let inputs = try! LogInputs.parse(paths)
        var out: [String] = []
        for set in MetricSets.all {
            let analyzed = inputs.analyze(with: set, quiet: true)
            for view in [AnalysisView.turn, .query, .run, .view(.tool), .view(.model)] {
                let report = AnalysisReport(metricSet: set, view: view, format: .csv)
                let (text, notes) = report.render(analyzed: analyzed.runs, spanEnergy: analyzed.spanEnergy)
                out.append(text + notes.diagnostics.map(\.description).joined(separator: "\n"))
            }
        }
        return out
    }

    @Test("40 random runs, segments in order, reversed, shuffled and spread over files")
    func segmentOrderDoesNotMatter() throws {
        for seed in UInt64(1)...40 {
            var rng = Mix(state: seed &* 7919)
            let frames = Catalogue.frames(Self.randomRun(seed: seed), perSegment: 20 + rng.below(60))
            var shuffled = frames
            for i in shuffled.indices.reversed() { shuffled.swapAt(i, rng.below(i + 1)) }
            let reference = Self.outputs(StreamedAnalysisTests.write([frames.flatMap { $0 }]))
            let arrangements: [[[UInt8]]] = [
                [frames.reversed().flatMap { $0 }],
                [shuffled.flatMap { $0 }],
                shuffled.map { $0 },
                frames.reversed().map { $0 },
            ]
            for (k, files) in arrangements.enumerated() {
                let output = Self.outputs(StreamedAnalysisTests.write(files))
                #expect(output == reference, "seed \(seed), arrangement \(k)")
            }
        }
    }

    @Test("the views agree: Σ turns = query, tool calls = tool spans, model tokens = Σ inferences")
    func viewsAgree() throws {
        // The cases the runs are made to cover, counted over all seeds.
        var unfinished = 0, endOnly = 0, renamed = 0, withoutIDs = 0
        defer {
            #expect(unfinished > 5 && endOnly > 0 && renamed > 0 && withoutIDs > 5,
                    "cases covered: \(unfinished) unfinished, \(endOnly) end-only, \(renamed) renamed, \(withoutIDs) without ids")
        }
        for seed in UInt64(1)...40 {
            let frames = Catalogue.frames(Self.randomRun(seed: seed), perSegment: 50)
            let paths = StreamedAnalysisTests.write([frames.flatMap { $0 }])
            let analyzed = try LogInputs.parse(paths).analyze(with: DefaultMetricSet(), quiet: true)
            let run = try #require(analyzed.runs.first)
            let prices = PriceTable.default
            let turns = ViewKind.turn.rows(analyzed.runs, prices: prices).rows
            let queries = ViewKind.query.rows(analyzed.runs, prices: prices).rows
            let tools = ViewKind.tool.rows(analyzed.runs, prices: prices).rows
            let models = ViewKind.model.rows(analyzed.runs, prices: prices).rows
            let structure = run.structure
            unfinished += structure.spans.filter { $0.state == .unfinished }.count
            endOnly += structure.spans.filter { $0.state == .endOnly }.count
            renamed += structure.spans.filter { $0.endTool != nil && $0.startTool != nil && $0.endTool != $0.startTool }.count
            withoutIDs += structure.spans.filter { $0.spanID == nil && $0.state == .finished }.count
            #expect(!turns.isEmpty && !queries.isEmpty)
            // Σ turns = query, per query: turn count, output tokens (known ones) and tool calls.
            for query in queries {
                let id = try #require(query["query_id"]?.stringValue)
                let mine = turns.filter { $0["query_id"]?.stringValue == id }
                #expect(query["num_turns"]?.intValue == Int64(mine.count), "seed \(seed) \(id)")
                let turnTokens = mine.map { $0["output_tokens"]?.intValue }
                let known = turnTokens.compactMap { $0 }
                if known.isEmpty && !turnTokens.isEmpty {
                    #expect(query["total_output_tokens"] == .null, "seed \(seed) \(id)")
                } else {
                    #expect(query["total_output_tokens"]?.intValue == known.reduce(0, +), "seed \(seed) \(id)")
                }
                let withoutUsage = mine.filter { $0["input_tokens"]?.intValue == nil || $0["output_tokens"]?.intValue == nil }
                #expect(query["calls_without_usage"]?.intValue == Int64(withoutUsage.count), "seed \(seed) \(id)")
                let called = mine.reduce(0) { total, row in
                    guard case .strings(let names)? = row["tools_called"] else { return total }
                    return total + names.count
                }
                let outside = structure.queries.first { $0.queryID == id }?.toolsOutsideTurns.count ?? 0
                #expect(query["tool_call_count"]?.intValue == Int64(called + outside), "seed \(seed) \(id)")
            }
            // Tool view calls = tool spans; model view tokens = Σ ended inferences.
            let toolCalls = tools.compactMap { $0["calls"]?.intValue }.reduce(0, +)
            #expect(Int(toolCalls) == structure.spans.filter { $0.kind == .tool }.count, "seed \(seed)")
            let ended = structure.spans.filter { $0.kind == .inference && $0.endSequence != nil }
            #expect(models.compactMap { $0["calls"]?.intValue }.reduce(0, +) == Int64(ended.count), "seed \(seed)")
            #expect(models.compactMap { $0["input_tokens"]?.intValue }.reduce(0, +)
                == ended.compactMap(\.promptTokens).reduce(0, +), "seed \(seed)")
            // Every turn row is joined to its own inference: unfinished ones are flagged, others carry its model.
            for (row, reference) in zip(turns, run.result.turnInferences) {
                let span = try #require(structure.inferenceStarts[reference.startSequence ?? .max])
                #expect(row["model"] == .string(structure.spans[span].model), "seed \(seed)")
                guard case .strings(let flags)? = row["flags"] else { continue }
                #expect(flags.contains("inference:unfinished") == (structure.spans[span].state == .unfinished))
            }
        }
    }
}
