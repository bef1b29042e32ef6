import Testing
import TraceLog
@testable import TraceAnalysis

/// The streamed default set (``DefaultRunStream``) must give what
/// ``DefaultMetricSet/analyze(_:)`` gives on the whole run, bit for bit:
/// rows, flags and diagnostics, on runs full of the awkward cases.
@Suite("DefaultRunStream: the streamed default set equals the whole-run one")
struct DefaultRunStreamTests {
    /// Both analyses rendered as text (JSON keeps every digit; NaN-safe).
    static func rendered(_ result: AnalysisResult) -> String {
        let identity = DefaultMetricSet.identity
        return [result.turns, result.queries, result.runs].map { JSONRenderer().render($0, metricSet: identity) }
            .joined(separator: "\n") + "\n" + result.diagnostics.map(\.description).joined(separator: "\n")
    }

    /// The streamed analysis of `run`: every event surveyed, then every
    /// sample attributed, in record order. Nil when it says it cannot stream.
    static func streamed(_ run: RunEvents, metricSet: DefaultMetricSet = DefaultMetricSet()) -> AnalyzedRun? {
        let stream = DefaultRunStream(runID: run.runID, metricSet: metricSet)
        for event in run.events {
            if case .sample(let sample) = event.payload, event.sequence % 2 == 0 {
                // Both entry points, unwrapped and wrapped, are exercised.
                stream.survey(sample: sample, sequence: event.sequence, timestamp: event.timestamp)
            } else {
                stream.survey(event)
            }
        }
        guard stream.isStreamable else { return nil }
        stream.beginAttribution()
        for event in run.events { stream.attribute(event) }
        return stream.finish()
    }

    /// A random run: overlapping queries, multi-turn inferences with and
    /// without span and parent ids, tools, failed queries, and several
    /// sources per domain with wraps, resets, NaN, -1, gaps and power-only
    /// readings, all in time order.
    static func randomRun(seed: UInt64) -> RunEvents {
        var random = SplitMix(seed: seed)
        var timed: [(Int64, EventPayload)] = []
        let queries = Int.random(in: 1...6, using: &random)
        for q in 0..<queries {
            let id = "q\(q)"
            var t = ns(Double(q) * Double.random(in: 0.5...3, using: &random))
            timed.append((t, .queryStart(QueryStart(queryID: id, labels: [Label("data_id", "d\(q % 2)")]))))
            t += ns(Double.random(in: 0...0.3, using: &random))
            let withIDs = Bool.random(using: &random)
            for turn in 0..<Int.random(in: 0...4, using: &random) {
                let span = "\(id)c\(turn)"
                timed.append((t, .inferenceStart(InferenceStart(spanID: withIDs ? span : nil, queryID: id, model: "m"))))
                t += ns(Double.random(in: 0.01...1.5, using: &random))
                timed.append((t, .inferenceEnd(InferenceEnd(
                    spanID: withIDs ? span : nil, queryID: id, promptTokens: Int64.random(in: 1...900, using: &random),
                    completionTokens: Bool.random(using: &random) ? Int64.random(in: 1...90, using: &random) : nil))))
                for k in 0..<Int.random(in: 0...2, using: &random) {
                    let tool = "\(span)t\(k)"
                    timed.append((t, .toolStart(ToolStart(spanID: withIDs ? tool : nil, queryID: id, tool: "search",
                                                          parentSpanID: withIDs ? span : nil))))
                    t += ns(Double.random(in: 0.001...0.8, using: &random))
                    timed.append((t, .toolEnd(ToolEnd(spanID: withIDs ? tool : nil, queryID: id, tool: "search",
                                                      ok: Bool.random(using: &random)))))
                }
                t += ns(Double.random(in: 0...0.2, using: &random))
            }
            if Int.random(in: 0..<5, using: &random) > 0 {
                let status = Bool.random(using: &random) ? "completed" : "failed"
                timed.append((t, .queryEnd(QueryEnd(queryID: id, status: status, resolved: Bool.random(using: &random)))))
            }
        }
        let end = max((timed.map(\.0).max() ?? 0) + ns(2), ns(10))
        let period = [0.05, 0.1, 0.5, 1.0][Int.random(in: 0..<4, using: &random)]
        var counters: [Double] = [100, 5000, 7, 0]
        var t = -ns(1)
        while t < end {
            for (s, source) in ["gpu0", "gpu1", "cpu-package-0", "psu"].enumerated() {
                if Int.random(in: 0..<10, using: &random) == 0 { continue }  // a missed reading
                let watts = Double.random(in: 20...300, using: &random)
                counters[s] += watts * period
                var sample = TelemetrySample(source: source)
                var value: Double? = counters[s]
                switch Int.random(in: 0..<40, using: &random) {
                case 0: value = .nan
                case 1: value = -1
                case 2: value = .infinity
                case 3: counters[s] = 3; value = 3  // a reset (no wrap range)
                default: break
                }
                switch source {
                case "gpu0", "gpu1":
                    sample.gpuEnergyJoules = value
                    sample.gpuPowerWatts = Bool.random(using: &random) ? watts : nil
                case "cpu-package-0":
                    // A RAPL-like counter wrapping at 1000 J.
                    counters[s] = counters[s].truncatingRemainder(dividingBy: 1000)
                    sample.cpuEnergyJoules = value.map { $0.truncatingRemainder(dividingBy: 1000) }
                    sample.energyWrapJoules = 1000
                    sample.dramPowerWatts = watts / 10
                default:
                    sample.gpuPowerWatts = watts  // power only
                }
                timed.append((t, .sample(sample)))
            }
            t += ns(period * Double.random(in: 0.9...1.1, using: &random)) + (Int.random(in: 0..<50, using: &random) == 0 ? ns(5) : 0)
        }
        // Record order = time order (stable), as a recorder writes it.
        let ordered = timed.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
        let events = ordered.enumerated().map { index, entry in
            TraceEvent(runID: "r", sequence: UInt64(index), timestamp: entry.element.0, payload: entry.element.1)
        }
        return RunEvents(runID: "r", events: events)
    }

    @Test("random runs: identical rows, flags and diagnostics", arguments: 0..<40)
    func randomRuns(seed: Int) throws {
        let run = Self.randomRun(seed: UInt64(seed))
        let whole = DefaultMetricSet().analyze(run)
        let stream = try #require(Self.streamed(run))
        #expect(Self.rendered(stream.result) == Self.rendered(whole))
        #expect(stream.events.events.allSatisfy { $0.payload.kind != .sample })
    }

    @Test("the random runs reach the cases that matter")
    func coverage() {
        var text = ""
        for seed in 0..<40 { text += Self.rendered(DefaultMetricSet().analyze(Self.randomRun(seed: UInt64(seed)))) }
        for flag in ["concurrent_queries", "counter_reset", "power_integrated", "long_gap_interpolated",
                     "partial_coverage", "shorter_than_sampling_interval", "no_samples"] {
            #expect(text.contains(flag), "no random run has \(flag)")
        }
        #expect(text.contains("unusable value(s) skipped"))
    }

    @Test("linear shaping and another gap factor are followed too")
    func otherOptions() throws {
        let set = DefaultMetricSet(options: EnergySeries.Options(shape: .linear, gapFactor: 1.5))
        for seed in 100..<110 {
            let run = Self.randomRun(seed: UInt64(seed))
            let stream = try #require(Self.streamed(run, metricSet: set))
            #expect(Self.rendered(stream.result) == Self.rendered(set.analyze(run)))
        }
    }

    @Test("implausible timestamps are left out with the same diagnostic")
    func implausibleTimestamps() throws {
        var run = Self.randomRun(seed: 7)
        run.events[3].timestamp = Int64.max - 5
        run.events[run.events.count - 2].timestamp = Int64.min + 5
        let stream = try #require(Self.streamed(run))
        let whole = DefaultMetricSet().analyze(run)
        #expect(whole.diagnostics.contains { $0.message.contains("146 years") })
        #expect(Self.rendered(stream.result) == Self.rendered(whole))
    }

    @Test("a run without samples, and an empty run")
    func noSamples() throws {
        var run = Self.randomRun(seed: 3)
        run.events.removeAll { $0.payload.kind == .sample }
        let stream = try #require(Self.streamed(run))
        #expect(Self.rendered(stream.result) == Self.rendered(DefaultMetricSet().analyze(run)))
        let empty = try #require(Self.streamed(RunEvents(runID: "e", events: [])))
        #expect(Self.rendered(empty.result) == Self.rendered(DefaultMetricSet().analyze(RunEvents(runID: "e", events: []))))
    }

    @Test("readings out of time order, or events out of record order, cannot stream")
    func unorderedInput() {
        var run = Self.randomRun(seed: 11)
        let samples = run.events.indices.filter { run.events[$0].payload.kind == .sample }
        // Two samples of one source swap their timestamps.
        let gpu = samples.filter {
            if case .sample(let s) = run.events[$0].payload { return s.source == "gpu0" } else { return false }
        }
        let (a, b) = (gpu[0], gpu[1])
        (run.events[a].timestamp, run.events[b].timestamp) = (run.events[b].timestamp, run.events[a].timestamp)
        #expect(Self.streamed(run) == nil)

        var shuffled = Self.randomRun(seed: 12)
        shuffled.events.swapAt(4, 9)
        #expect(Self.streamed(shuffled) == nil)
    }
}
