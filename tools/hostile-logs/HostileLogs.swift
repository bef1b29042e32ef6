import EnergySimulation
import TraceLog
import TraceRecorder

/// Well-formed logs full of extreme values, for the structure-aware fuzzer
/// (`tools/fuzz.sh structured N`, and a short run in the tests): every
/// record decodes, but timestamps sit at the bounds of Int64 or go
/// backwards, doubles are NaN, ±infinity or huge, counts are negative or
/// Int64 extremes, strings are empty, 1 MB long or full of control
/// characters, and ids are reused or all different. The same seed always
/// gives the same log.
public enum HostileLogs {
    /// A deterministic generator: the simulator's SplitMix64, seeded apart
    /// from it.
    public struct Generator: RandomNumberGenerator {
        var base: SplitMix
        public init(seed: UInt64) { base = SplitMix(seed: seed &+ 0x9E37_79B9_7F4A_7C15) }
        public mutating func next() -> UInt64 { base.next() }
        mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &self) < percent }
        mutating func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &self)] }
    }

    /// The events of log `seed`, each with its timestamp (ns since the epoch).
    public static func events(seed: UInt64) -> [(EventPayload, Int64)] {
        var g = Generator(seed: seed)
        let base: Int64 = 1_800_000_000_000_000_000
        let extremes: [Int64] = [
            .min, .max, 0, -1, 1, 1 << 62, -(1 << 62), (1 << 62) + 1, -(1 << 62) - 1, -8_000_000_000_000_000_000,
            8_000_000_000_000_000_000, base, base - 1,
        ]
        let doubles: [Double] = [
            .nan, .infinity, -.infinity, -0.0, 0, 1e308, -1e308, 5e-324, 1e-300, 0.5, 183_402.789, -12.5, 1e15,
        ]
        let counts: [Int64] = [.min, .max, -1, 0, 1, 1_000_000_000_000, Int64.max / 2, 42]
        let big = String(repeating: "x", count: 1 << 20)
        let strings = ["", "q", "=cmd|' /C calc'!A0", "\u{1B}]0;T\u{07}\u{1B}[2J", "\u{202E}evil", "名前", "a\nb\tc", "\0"]
        let idCount = g.pick([1, 2, 3, 50, 2_000])
        var t = base
        func time() -> Int64 {
            if g.chance(8) { return g.pick(extremes) }
            // Mostly forward, sometimes backwards.
            t = t &+ Int64.random(in: -1_000_000...50_000_000, using: &g)
            return t
        }
        func text() -> String? {
            if g.chance(20) { return nil }
            if g.chance(2) { return big }
            return g.chance(30) ? g.pick(strings) : "v\(Int.random(in: 0..<idCount, using: &g))"
        }
        func id(_ prefix: String) -> String? {
            if g.chance(5) { return nil }
            if g.chance(5) { return g.pick(strings) }
            return "\(prefix)\(Int.random(in: 0..<idCount, using: &g))"
        }
        func double() -> Double? {
            if g.chance(15) { return nil }
            return g.chance(40) ? g.pick(doubles) : Double.random(in: 0...500, using: &g)
        }
        func count() -> Int64? {
            if g.chance(15) { return nil }
            return g.chance(40) ? g.pick(counts) : Int64.random(in: 0...5_000, using: &g)
        }
        func labels() -> [Label] {
            (0..<Int.random(in: 0...3, using: &g)).map { _ in Label(g.pick(["data_id", "trial", "", "x"]), text() ?? "") }
        }
        var events: [(EventPayload, Int64)] = []
        if g.chance(90) { events.append((.runStart(RunStart(runID: text(), host: text(), labels: labels())), time())) }
        let eventCount = g.pick([0, 1, 5, 40, 300, 2_000])
        for _ in 0..<eventCount {
            let payload: EventPayload
            switch Int.random(in: 0..<10, using: &g) {
            case 0: payload = .queryStart(QueryStart(queryID: id("q"), workloadType: text(), text: text(), labels: labels()))
            case 1:
                payload = .queryEnd(QueryEnd(
                    queryID: id("q"), status: g.chance(50) ? g.pick(["completed", "failed", "timed_out"]) : text(),
                    response: text(), error: text(), resolved: g.chance(50) ? g.chance(50) : nil, score: double()))
            case 2: payload = .inferenceStart(InferenceStart(spanID: id("c"), queryID: id("q"), model: text()))
            case 3:
                payload = .inferenceEnd(InferenceEnd(
                    spanID: id("c"), queryID: id("q"), model: text(), routedModel: text(), promptTokens: count(),
                    completionTokens: count(), cachedTokens: count(), reasoningTokens: count(), costUSD: double(),
                    timeToFirstTokenSeconds: double(), cached: nil, status: text(), error: text(), stopReason: text()))
            case 4: payload = .toolStart(ToolStart(spanID: id("t"), queryID: id("q"), tool: text(), parentSpanID: id("c"), arguments: text()))
            case 5:
                payload = .toolEnd(ToolEnd(
                    spanID: id("t"), queryID: id("q"), tool: text(), ok: g.chance(50) ? g.chance(70) : nil, error: text(),
                    outputBytes: count()))
            case 6: payload = .mark(Mark(name: text(), queryID: id("q"), spanID: id("c"), text: text()))
            default:
                payload = .sample(TelemetrySample(
                    source: g.chance(10) ? text() : g.pick(["gpu0", "cpu-package-0", "gpu1"]),
                    gpuEnergyJoules: double(), gpuPowerWatts: double(), cpuEnergyJoules: double(), cpuPowerWatts: double(),
                    dramEnergyJoules: g.chance(20) ? double() : nil, dramPowerWatts: nil,
                    energyWrapJoules: g.chance(20) ? double() : nil, gpuUtilizationPercent: double(),
                    cpuUtilizationPercent: double(), memoryBytes: double(), temperatureCelsius: double()))
            }
            events.append((payload, time()))
        }
        return events
    }

    /// Writes log `seed` to `path` through the recorder (small segments, so
    /// a log has several).
    public static func write(seed: UInt64, to path: String) throws {
        let recorder = try Recorder(path: path, configuration: RecorderConfiguration(
            segmentBytes: 4096, flushInterval: .seconds(3600), runID: "hostile-\(seed % 3)", anchor: .identity,
            recorderID: "fuzz-\(seed)"))
        for (payload, timestamp) in events(seed: seed) { recorder.record(payload, at: timestamp) }
        try recorder.close()
    }

    /// The argument lists the fuzzer runs `trace-analyze` with on a log
    /// (`log`), writing outputs into `dir`: every set and view, every
    /// format once, and every other command.
    public static func commands(log: String, dir: String) -> [[String]] {
        var all: [[String]] = []
        for set in ["default", "default@1", "ipw"] {
            for view in ["turn", "query", "run", "tool", "model", "label:data_id"] {
                all.append([log, "--metrics", set, "--by", view, "--format", view == "turn" ? "csv" : view == "query" ? "json" : "table"])
            }
        }
        all += [
            [log, "--by", "turn", "--all-columns"], [log, "--by", "tool", "--pool-runs"],
            ["export", log, "-o", dir + "/export"], ["db", log, "-o", dir + "/runs.sqlite"],
            ["report", log, "-o", dir + "/report.html"], ["perfetto", log, "-o", dir + "/trace.json"],
            ["compare", log, "--metrics", "ipw", "--metrics", "default"], ["dump", log], ["verify", log],
        ]
        return all
    }
}
