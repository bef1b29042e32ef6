import Testing
@testable import TraceAnalysis
import TraceLog

@Suite("EnergyAttributor")
struct EnergyAttributorTests {
    private func query(_ id: String, _ start: Double, _ end: Double, turns: [TurnInterval] = []) -> QueryInterval {
        QueryInterval(id: id, start: ns(start), end: ns(end), turns: turns)
    }

    private func turn(_ start: Double, _ end: Double, inference: (Double, Double)? = nil,
                      tools: [(Double, Double)] = []) -> TurnInterval {
        var spans: [SpanInterval] = []
        if let inference { spans.append(SpanInterval(kind: .inference, start: ns(inference.0), end: ns(inference.1))) }
        for tool in tools { spans.append(SpanInterval(kind: .tool, start: ns(tool.0), end: ns(tool.1))) }
        return TurnInterval(start: ns(start), end: ns(end), spans: spans)
    }

    @Test func twoGPUsAddUp() {
        let attribution = EnergyAttributor(series: [
            constantSeries("gpu0", watts: 100, from: 0, to: 10),
            constantSeries("gpu1", watts: 50, from: 0, to: 10),
        ]).attribute([query("q", 1, 3)])
        let gpu = attribution[.gpu]
        #expect(gpu.sources == ["gpu0", "gpu1"])
        #expect(close(gpu.queries[0].joules, 300))
        #expect(close(gpu.deviceJoules, 1500))
        #expect(close(gpu.idleJoules, 1200))
        #expect(attribution[.cpu].deviceJoules == nil)
        #expect(attribution[.cpu].queries[0].joules == nil)
        #expect(attribution[.cpu].queries[0].flags.contains(.noSamples))
    }

    @Test func turnWithOneSampleAndTurnWithNone() {
        let attribution = EnergyAttributor(series: [constantSeries(watts: 100, from: 0, to: 10)]).attribute([
            query("q", 0, 3, turns: [turn(0.5, 1.5, inference: (0.5, 1.2)), turn(1.5, 1.9, inference: (1.5, 1.6)),
                                     turn(1.9, 3)]),
        ])
        let turns = attribution[.gpu].queries[0].turns
        #expect(close(turns[0].joules, 100))
        #expect(close(turns[0].inferenceJoules, 70))
        #expect(close(turns[1].joules, 40))
        #expect(close(turns[1].inferenceJoules, 10))
        #expect(close(turns[1].unspannedJoules, 30))
        #expect(turns[1].flags.contains(.shorterThanSamplingInterval))
        #expect(turns[1].flags.contains(.partShorterThanSamplingInterval))
        #expect(!turns[2].flags.contains(.shorterThanSamplingInterval))
        #expect(close(attribution[.gpu].queries[0].overheadJoules, 50))
    }

    @Test func turnPartsAndOverhead() {
        let attribution = EnergyAttributor(series: [constantSeries(watts: 100, from: 0, to: 10, period: 0.1)]).attribute([
            query("q", 0, 5, turns: [
                turn(1, 4, inference: (1, 2), tools: [(2.5, 3.5)]),
                turn(4, 5, inference: (4, 5)),
            ]),
        ])
        let q = attribution[.gpu].queries[0]
        #expect(close(q.overheadJoules, 100))
        #expect(close(q.turns[0].joules, 300))
        #expect(close(q.turns[0].inferenceJoules, 100))
        #expect(close(q.turns[0].toolJoules, 100))
        #expect(close(q.turns[0].unspannedJoules, 100))
        #expect(close(q.turns[1].joules, 100))
        #expect(close(q.joules, 500))
    }

    @Test func overlappingSpansInsideATurnShareEqually() {
        let attribution = EnergyAttributor(series: [constantSeries(watts: 100, from: 0, to: 10)]).attribute([
            query("q", 0, 4, turns: [turn(0, 4, inference: (0, 2), tools: [(1, 3), (1, 3)])]),
        ])
        let t = attribution[.gpu].queries[0].turns[0]
        // 0–1: inference alone 100; 1–2: three spans, 1/3 each; 2–3: two tools; 3–4: unspanned.
        #expect(close(t.inferenceJoules, 100 + 100.0 / 3))
        #expect(close(t.toolJoules, 200.0 / 3 + 100))
        #expect(close(t.unspannedJoules, 100))
    }

    @Test func overlappingQueriesShareAndNeverDoubleCount() {
        let attribution = EnergyAttributor(series: [constantSeries(watts: 100, from: 0, to: 5)]).attribute([
            query("a", 0, 3, turns: [turn(0, 3, inference: (0, 3))]),
            query("b", 1, 4, turns: [turn(1, 4, inference: (1, 4))]),
        ])
        let gpu = attribution[.gpu]
        #expect(close(gpu.queries[0].joules, 200))
        #expect(close(gpu.queries[1].joules, 200))
        // Σ queries = the device's energy over the union of their windows.
        #expect(close(gpu.attributedJoules, 400))
        #expect(close(gpu.idleJoules, 100))
        #expect(gpu.queries[0].flags.contains(.concurrentQueries))
        #expect(gpu.queries[0].turns[0].flags.contains(.concurrentQueries))
    }

    @Test func windowsOutsideTheSamplesHaveNoEnergy() {
        let attribution = EnergyAttributor(series: [constantSeries(watts: 100, from: 2, to: 4)]).attribute([
            query("early", 0, 1, turns: [turn(0, 1)]),
            query("straddling", 1, 3),
        ])
        let gpu = attribution[.gpu]
        #expect(gpu.queries[0].joules == nil)
        #expect(gpu.queries[0].turns[0].joules == nil)
        #expect(gpu.queries[0].flags.contains(.noSamples))
        #expect(close(gpu.queries[1].joules, 100))
        #expect(gpu.queries[1].flags.contains(.partialCoverage))
    }

    @Test func counterResetIsFlaggedOnTheRowsThatSpanIt() {
        let series = EnergySeries(source: "gpu0", domain: .gpu, readings: [
            EnergyReading(timestamp: ns(0), counterJoules: 900),
            EnergyReading(timestamp: ns(1), counterJoules: 1000),
            EnergyReading(timestamp: ns(2), counterJoules: 10),
            EnergyReading(timestamp: ns(3), counterJoules: 110),
        ])
        let gpu = EnergyAttributor(series: [series]).attribute([query("a", 0, 1), query("b", 1.5, 3)])[.gpu]
        #expect(!gpu.queries[0].flags.contains(.counterReset))
        #expect(gpu.queries[1].flags.contains(.counterReset))
        #expect(close(gpu.queries[1].joules, 100))
        #expect(gpu.flags.contains(.counterReset))
    }

    @Test func conservesOnIrregularData() {
        var random = SplitMix(seed: 42)
        func uniform(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &random) }
        // Three sources, irregular sampling, wraps, a reset, glitches.
        var series: [EnergySeries] = []
        for (index, source) in ["gpu0", "gpu1", "cpu0"].enumerated() {
            var readings: [EnergyReading] = []
            var t = uniform(0...0.5)
            var counter = uniform(0...1000)
            while t < 120 {
                let power = uniform(50...400)
                counter += power * uniform(0.05...0.3)
                var value = counter.truncatingRemainder(dividingBy: 5000)
                if Int(t) % 37 == 0 && index == 0 { value = .nan }
                if Int(t) == 60 && index == 1 { counter = 3 ; value = 3 }
                readings.append(EnergyReading(timestamp: ns(t), counterJoules: value, powerWatts: power, wrapJoules: index == 1 ? nil : 5000))
                t += uniform(0.02...0.4)
            }
            series.append(EnergySeries(source: source, domain: index == 2 ? .cpu : .gpu, readings: readings))
        }
        var queries: [QueryInterval] = []
        for q in 0..<25 {
            let start = uniform(-5...115)
            let end = start + uniform(0...20)
            var turns: [TurnInterval] = []
            var cursor = start + uniform(0...1)
            while cursor < end {
                let next = min(end, cursor + uniform(0.01...3))
                let inferenceEnd = cursor + (next - cursor) * uniform(0...1)
                let toolStart = inferenceEnd + uniform(0...0.1)
                turns.append(turn(cursor, next, inference: (cursor, inferenceEnd), tools: [(toolStart, toolStart + uniform(0...2))]))
                cursor = next
            }
            queries.append(query("q\(q)", start, end, turns: turns))
        }
        let attribution = EnergyAttributor(series: series).attribute(queries)
        for domain in [EnergyDomain.gpu, .cpu] {
            let d = attribution[domain]
            let device = series.filter { $0.domain == domain }.map(\.totalJoules).reduce(0, +)
            #expect(close(d.deviceJoules, device))
            let sumQueries = d.queries.compactMap(\.joules).reduce(0, +)
            #expect(close(d.attributedJoules, sumQueries))
            #expect(close(d.deviceJoules, sumQueries + d.idleJoules!))
            for q in d.queries {
                guard let joules = q.joules else { continue }
                let turns = q.turns.compactMap(\.joules).reduce(0, +)
                #expect(close(joules, turns + q.overheadJoules!, absolute: 1e-9 * device))
                for t in q.turns {
                    guard let tj = t.joules else { continue }
                    #expect(close(tj, t.inferenceJoules! + t.toolJoules! + t.unspannedJoules!, absolute: 1e-9 * device))
                }
            }
        }
        #expect(attribution[.gpu].flags.contains(.counterReset))
        #expect(attribution[.gpu].flags.contains(.concurrentQueries) == false)
    }

    @Test func malformedWindowsAreClamped() {
        let attribution = EnergyAttributor(series: [constantSeries(watts: 100, from: 0, to: 10)]).attribute([
            query("q", 2, 1, turns: [turn(0, 5, inference: (0, 9))]),
            query("r", 3, 6, turns: [turn(4, 9, inference: (3, 9)), turn(5, 5.5)]),
        ])
        let gpu = attribution[.gpu]
        #expect(close(gpu.queries[0].joules, 0))
        #expect(close(gpu.queries[1].turns[0].joules, 100))
        #expect(close(gpu.queries[1].turns[0].inferenceJoules, 100))
        #expect(close(gpu.queries[1].turns[1].joules, 50))
        #expect(close(gpu.queries[1].overheadJoules, 150))
    }
}
