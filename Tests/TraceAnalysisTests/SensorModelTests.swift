import EnergySimulation
import Testing
@testable import TraceAnalysis
import TraceLog

/// Version 3 of the default set on real-sensor behaviour: staircase
/// counters, averaged power, short windows, concurrency and other hosts'
/// clocks.
@Suite("Sensor model (default@3)")
struct SensorModelTests {
    /// A staircase counter: updates every `period` seconds ± `jitter` of it
    /// (uniform, each interval drawn anew), read every `sampling` seconds
    /// with ±20 % jitter, at 200 W.
    private func staircase(period: Double, jitter: Double, sampling: Double, seconds: Double, seed: UInt64) -> CounterSteps {
        var random = SplitMix(seed: seed)
        func uniform(_ range: ClosedRange<Double>) -> Double {
            range.lowerBound + (range.upperBound - range.lowerBound) * Double(random.next() >> 11) / Double(1 << 53)
        }
        var updates: [Double] = [0]
        while updates.last! < seconds + 1 { updates.append(updates.last! + period * (1 + uniform(-jitter...jitter))) }
        var steps = CounterSteps()
        var k = 1.0
        var u = 0
        while k * sampling < seconds {
            let t = k * sampling + uniform(-0.2...0.2) * sampling
            k += 1
            while u + 1 < updates.count, updates[u + 1] <= t { u += 1 }
            steps.add(time: ns(t), value: (200 * updates[u] * 1000).rounded(.down) / 1000, wrap: nil)
        }
        return steps
    }

    @Test("the update period and its jitter are found from a staircase counter's repeated values")
    func updatePeriodDetection() throws {
        for (sampling, seed) in [(0.02, UInt64(1)), (0.01, 2), (0.05, 3)] {
            let steps = staircase(period: 0.1, jitter: 0.1, sampling: sampling, seconds: 120, seed: seed)
            #expect(steps.isStaircase)
            let found = try #require(steps.detectedPeriod)
            // 100 ms ± 10 % uniform: mean 100 ms, standard deviation 5.8 ms.
            #expect(abs(Double(found.period) / 1e6 - 100) < 3, "sampling \(sampling): \(found.period)")
            #expect(Double(found.jitter) / 1e6 < 12, "sampling \(sampling): jitter \(found.jitter)")
        }
        // Without jitter the spread left is the sampling's alone.
        let steady = try #require(staircase(period: 0.1, jitter: 0, sampling: 0.02, seconds: 120, seed: 4).detectedPeriod)
        #expect(abs(Double(steady.period) / 1e6 - 100) < 1)
        // A counter read at its own instants (a new value every reading) is no staircase.
        var exact = CounterSteps()
        for k in 0..<500 { exact.add(time: ns(Double(k) * 0.05), value: Double(k) * 10, wrap: nil) }
        #expect(!exact.isStaircase && exact.detectedPeriod == nil)
    }

    @Test("a time to first token is used only where it lands inside its span")
    func firstTokenBounds() {
        let start: Int64 = 1_000_000_000
        #expect(DefaultInference.firstToken(start: start, end: start + 500_000_000, seconds: 0.2) == start + 200_000_000)
        #expect(DefaultInference.firstToken(start: start, end: start + 500_000_000, seconds: 0) == start)
        #expect(DefaultInference.firstToken(start: start, end: start + 500_000_000, seconds: 0.5) == start + 500_000_000)
        #expect(DefaultInference.firstToken(start: start, end: start + 500_000_000, seconds: 0.6) == nil)
        #expect(DefaultInference.firstToken(start: start, end: start + 500_000_000, seconds: -0.1) == nil)
        #expect(DefaultInference.firstToken(start: start, end: start + 500_000_000, seconds: .nan) == nil)
        #expect(DefaultInference.firstToken(start: start, end: start + 500_000_000, seconds: .infinity) == nil)
        #expect(DefaultInference.firstToken(start: start, end: start + 500_000_000, seconds: 1e300) == nil)
        #expect(DefaultInference.firstToken(start: start, end: nil, seconds: 0.1) == nil)
        #expect(DefaultInference.firstToken(start: start, end: start + 500_000_000, seconds: nil) == nil)
        #expect(DefaultInference.firstToken(start: start, end: start - 1, seconds: 0) == nil)
        #expect(DefaultInference.firstToken(start: .min, end: .max, seconds: 9.3e9) == nil)
        #expect(DefaultInference.firstToken(start: 0, end: .max, seconds: 9.2e9) == 9_200_000_000_000_000_000)
    }

    @Test("the run row names each source's sensor model, detected or declared")
    func sensorModelsAreNamed() throws {
        let detected = PowerSimulator(.init(seed: 5, samplingHz: 50, queries: 6, sensor: .nvmlTypical,
                                            declaresUpdatePeriod: false)).run()
        let run = DefaultMetricSet().analyze(RunEvents(runID: "sim", events: detected.events)).runs[0]
        guard case .strings(let models)? = run["sensor_models"] else { Issue.record("no sensor_models"); return }
        #expect(models.count == 1)
        let model = try #require(models.first)
        #expect(model.hasPrefix("gpu0 gpu: counter updates every "))
        #expect(model.contains("detected") && model.contains("power average (declared)") && model.hasSuffix("span_fit"))
        let ms = try #require(Double(model.split(separator: " ")[5]))
        #expect(abs(ms - 100) < 4, "\(model)")
        let declared = PowerSimulator(.init(seed: 5, samplingHz: 10, queries: 6, sensor: .nvmlTypical)).run()
        let row = DefaultMetricSet().analyze(RunEvents(runID: "sim", events: declared.events)).runs[0]
        #expect(row["sensor_models"] == .strings(["gpu0 gpu: counter updates every 100.0 ms (declared); power average (declared); span_fit"]))
        // Version 2 has no sensor model.
        #expect(DefaultMetricSetV2().analyze(RunEvents(runID: "sim", events: declared.events)).runs[0]["sensor_models"] == nil)
    }

    @Test("a staircase counter with instant power: spread by the spans where the run has some, by the power where it has none")
    func staircaseWithInstantPower() throws {
        let run = PowerSimulator(.init(seed: 8, samplingHz: 20, queries: 6, sensor: .nvmlInstantTypical)).run()
        let withSpans = DefaultMetricSet().analyze(RunEvents(runID: "sim", events: run.events)).runs[0]
        #expect(withSpans["sensor_models"] == .strings(["gpu0 gpu: counter updates every 100.0 ms (declared); power instant (declared); span_fit"]))
        // The GPU host's log alone: samples, no spans.
        let samples = run.events.filter {
            switch $0.payload {
            case .sample, .runStart: return true
            default: return false
            }
        }
        let alone = DefaultMetricSet().analyze(RunEvents(runID: "sim", events: samples)).runs[0]
        #expect(alone["sensor_models"] == .strings(["gpu0 gpu: counter updates every 100.0 ms (declared); power instant (declared); instant_power"]))
        // Every joule between the first and last update is there.
        let device = try #require(alone["gpu_energy_joules"]?.doubleValue)
        let v2 = try #require(DefaultMetricSetV2().analyze(RunEvents(runID: "sim", events: samples)).runs[0]["gpu_energy_joules"]?.doubleValue)
        #expect(abs(device - v2) < 0.01 * v2)
    }

    @Test("averaged power places no energy: any power readings give the same result, while version 2 follows them")
    func averagedPowerIsNotUsed() {
        let run = PowerSimulator(.init(seed: 6, samplingHz: 20, queries: 8, sensor: .nvmlTypical)).run()
        var scrambled = run.events
        var random = SplitMix(seed: 9)
        for index in scrambled.indices {
            guard case .sample(var sample) = scrambled[index].payload else { continue }
            sample.gpuPowerWatts = Double(random.next() % 1000)
            scrambled[index].payload = .sample(sample)
        }
        func energies(_ set: any MetricSet, _ events: [TraceEvent]) -> [Double?] {
            set.analyze(RunEvents(runID: "sim", events: events)).turns.map { $0["gpu_energy_joules"]?.doubleValue }
        }
        #expect(energies(DefaultMetricSet(), run.events) == energies(DefaultMetricSet(), scrambled))
        #expect(energies(DefaultMetricSetV2(), run.events) != energies(DefaultMetricSetV2(), scrambled))
    }

    /// Per domain: run = Σ queries + idle; query = Σ turns + overhead; turn
    /// = inference + tool + unspanned; every energy ≥ 0.
    private func expectConservation(_ result: AnalysisResult, _ comment: Comment) {
        let run = result.runs[0]
        for domain in ["gpu"] {
            let device = run["\(domain)_energy_joules"]!.doubleValue!
            let idle = run["\(domain)_idle_joules"]!.doubleValue!
            let queries = result.queries.compactMap { $0["total_\(domain)_energy_joules"]?.doubleValue }
            var sum = idle
            for q in queries { sum += q }
            #expect(abs(device - sum) <= 1e-9 * device, comment)
            for query in result.queries {
                let id = query["query_id"]!.stringValue!
                let total = query["total_\(domain)_energy_joules"]!.doubleValue!
                var parts = query["overhead_\(domain)_energy_joules"]!.doubleValue!
                for turn in result.turns where turn["query_id"]!.stringValue == id {
                    let joules = turn["\(domain)_energy_joules"]!.doubleValue!
                    #expect(joules >= 0, comment)
                    parts += joules
                }
                #expect(abs(total - parts) <= 1e-9 * max(total, 1), comment)
            }
        }
    }

    @Test("conservation holds to 1e-9 with the sensor model, under concurrency and at every rate")
    func conservationUnderConcurrency() {
        for (rate, scenario) in [(10.0, PowerSimulator.Scenario.overlapping), (20, .overlapping), (1, .overlapping), (20, .sequential)] {
            let run = PowerSimulator(.init(seed: 11, samplingHz: rate, queries: 12, scenario: scenario, sensor: .nvmlTypical)).run()
            let result = DefaultMetricSet().analyze(RunEvents(runID: "sim", events: run.events))
            expectConservation(result, "\(rate) Hz \(scenario)")
            if scenario == .overlapping {
                #expect(result.turns.contains { row in
                    if case .strings(let flags)? = row["flags"] { return flags.contains("gpu:concurrent_queries") }
                    return false
                })
            }
        }
    }

    @Test("a window shorter than the counter's update period is flagged, keeps energy ≥ 0 and conserves")
    func windowShorterThanTheUpdatePeriod() throws {
        // 200 W, counter updated every 100 ms, read at 50 Hz; one query of
        // two turns, the second 30 ms long.
        var events: [TraceEvent] = []
        func add(_ t: Double, _ payload: EventPayload) {
            events.append(TraceEvent(runID: "r", sequence: UInt64(events.count), timestamp: ns(t), payload: payload))
        }
        add(0, .runStart(RunStart(runID: "r", labels: [Label("gpu0.power", "average")])))
        var samples: [(Double, EventPayload)] = []
        for k in 1...250 {
            let t = Double(k) * 0.02
            let update = (t / 0.1).rounded(.down) * 0.1
            samples.append((t, .sample(TelemetrySample(source: "gpu0", gpuEnergyJoules: 1000 + 200 * update, gpuPowerWatts: 200))))
        }
        let spans: [(Double, EventPayload)] = [
            (1.0, .queryStart(QueryStart(queryID: "q1"))),
            (1.05, .inferenceStart(InferenceStart(spanID: "c1", queryID: "q1", model: "m"))),
            (2.5, .inferenceEnd(InferenceEnd(spanID: "c1", queryID: "q1", promptTokens: 1, completionTokens: 1))),
            (2.51, .inferenceStart(InferenceStart(spanID: "c2", queryID: "q1", model: "m"))),
            (2.54, .inferenceEnd(InferenceEnd(spanID: "c2", queryID: "q1", promptTokens: 1, completionTokens: 1))),
            (2.54, .queryEnd(QueryEnd(queryID: "q1", status: "completed"))),
        ]
        for (t, payload) in (samples + spans).sorted(by: { $0.0 < $1.0 }) { add(t, payload) }
        let result = DefaultMetricSet().analyze(RunEvents(runID: "r", events: events))
        expectConservation(result, "short window")
        let short = try #require(result.turns.last)
        #expect(short["wall_clock_s"]?.doubleValue.map { abs($0 - 0.03) < 1e-9 } == true)
        let joules = try #require(short["gpu_energy_joules"]?.doubleValue)
        #expect(joules >= 0)
        guard case .strings(let flags)? = short["flags"] else { Issue.record("no flags"); return }
        #expect(flags.contains("gpu:shorter_than_sensor_update"))
        #expect(flags.contains("gpu:mostly_reconstructed"))
        // The long turn is measured: neither flag.
        guard case .strings(let longFlags)? = result.turns[0]["flags"] else { Issue.record("no flags"); return }
        #expect(!longFlags.contains("gpu:shorter_than_sensor_update") && !longFlags.contains("gpu:mostly_reconstructed"))
    }

    /// The simulated run as two hosts record it: the agent's spans, and
    /// the GPU host's samples and run start with its clock `ahead` seconds
    /// ahead.
    private func twoHosts(_ run: PowerSimulator.Run, ahead: Double) -> [TraceEvent] {
        var events = [TraceEvent(runID: "r", sequence: 0, timestamp: PowerSimulator.epoch,
                                 payload: .runStart(RunStart(runID: "r", host: "agent-host")))]
        for event in run.events {
            var event = event
            event.sequence = UInt64(events.count)
            switch event.payload {
            case .runStart(var start):
                start.host = "gpu-host"
                start.labels.append(Label("recording", "telemetry_only"))
                event.payload = .runStart(start)
            case .sample:
                event.timestamp += ns(ahead)
            default:
                break
            }
            events.append(event)
        }
        return events
    }

    @Test("a second host's clock 40 ms ahead: given as --clock-offset, the result is the one-host result; not given, the run is flagged")
    func twoHostsWithAClockOffset() throws {
        let run = PowerSimulator(.init(seed: 21, samplingHz: 50, queries: 15, sensor: .nvmlTypical)).run()
        let single = DefaultMetricSet().analyze(RunEvents(runID: "r", events: run.events))
        let events = twoHosts(run, ahead: 0.040)
        let given = DefaultMetricSet(options: .init(clockOffsets: [SourceClockOffset(source: "gpu0", nanoseconds: -40_000_000)]))
            .analyze(RunEvents(runID: "r", events: events))
        let singleQueries = single.queries.map { $0["total_gpu_energy_joules"]!.doubleValue! }
        let givenQueries = given.queries.map { $0["total_gpu_energy_joules"]!.doubleValue! }
        #expect(singleQueries.count == givenQueries.count)
        for (a, b) in zip(singleQueries, givenQueries) { #expect(abs(a - b) <= 0.01 * a) }
        for (a, b) in zip(single.turns, given.turns) {
            let x = a["gpu_energy_joules"]!.doubleValue!, y = b["gpu_energy_joules"]!.doubleValue!
            #expect(abs(x - y) <= 0.01 * x)
        }
        guard case .strings(let givenFlags)? = given.runs[0]["flags"] else { Issue.record("no flags"); return }
        #expect(!givenFlags.contains("gpu:clock_offset_suspected"))

        let unaligned = DefaultMetricSet().analyze(RunEvents(runID: "r", events: events))
        guard case .strings(let flags)? = unaligned.runs[0]["flags"] else { Issue.record("no flags"); return }
        #expect(flags.contains("gpu:clock_offset_suspected"))
        guard case .strings(let models)? = unaligned.runs[0]["sensor_models"], let model = models.first else {
            Issue.record("no sensor_models")
            return
        }
        // The offset to give is found to within a few milliseconds.
        let suggested = try #require(model.split(separator: "=").last.flatMap { Double($0) })
        #expect(abs(suggested + 40) <= 5, "\(model)")
        #expect(unaligned.diagnostics.contains { $0.message.contains("--clock-offset gpu0=-") })
        // On one host nothing is suspected.
        guard case .strings(let singleFlags)? = single.runs[0]["flags"] else { Issue.record("no flags"); return }
        #expect(!singleFlags.contains("gpu:clock_offset_suspected"))
        // Every row says how much its energy depends on the alignment.
        #expect(unaligned.turns.allSatisfy { ($0["gpu_alignment_joules_per_ms"]?.doubleValue ?? -1) >= 0 })
    }
}
