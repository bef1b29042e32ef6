import TraceLog
import TraceRecorder

/// A simulated agent run on a simulated clock: queries of several turns,
/// each an inference (a prefill spike then a decode plateau) followed by
/// tool calls (the GPU near idle, the CPU busier), with idle gaps between
/// queries. Telemetry is sampled at `sampleHz` with jitter from two
/// sources: `gpu0` (energy counter and power) and `cpu-package-0` (a RAPL
/// style counter that wraps, and power). Everything is driven by a seeded
/// generator, so the same arguments give the same log bytes.
struct DemoAgent {
    var queries = 6
    var sampleHz = 20.0
    var seed: UInt64 = 2024

    /// One phase of constant power.
    struct Phase {
        var start: Int64
        var end: Int64
        var gpuWatts: Double
        var cpuWatts: Double
    }

    /// Runs the simulation and records it through `recorder` (whose clock
    /// anchor maps simulated monotonic nanoseconds to wall-clock time).
    func run(into recorder: Recorder) {
        var rng = SplitMix64(seed: seed)
        var events: [(Int64, EventPayload)] = []
        var phases: [Phase] = []
        var now: Int64 = 1_000_000_000  // 1 s of idle first
        let idle = (gpu: 62.0, cpu: 18.0)
        let models = ["gpt-4o", "llama-3.1-70b"]
        let tools = ["search", "read_file", "python", "web_fetch"]

        events.append((0, .runStart(RunStart(
            runID: recorder.runID, host: "demo-host", recorderVersion: Recorder.version,
            labels: [Label("scenario", "demo"), Label("git_sha", "0000000"), Label("trial", "1")]))))

        func phase(_ seconds: Double, gpu: Double, cpu: Double) {
            let end = now + Int64(seconds * 1e9)
            phases.append(Phase(start: now, end: end, gpuWatts: gpu, cpuWatts: cpu))
            now = end
        }

        for q in 0..<queries {
            let queryID = "q\(String(repeating: "0", count: max(0, 3 - String(q + 1).count)))\(q + 1)"
            let model = models[q % models.count]
            phase(rng.uniform(0.3, 1.2), gpu: idle.gpu, cpu: idle.cpu)
            events.append((now, .queryStart(QueryStart(
                queryID: queryID, workloadType: "agentic", text: "Task \(q + 1): summarise the findings, with sources",
                labels: [Label("data_id", "d\(q % 3 + 1)"), Label("combo_id", "c\(q % 2 + 1)"), Label("agent_id", "react")]))))
            phase(rng.uniform(0.02, 0.08), gpu: idle.gpu + 10, cpu: 30)  // query setup
            let turns = 2 + Int(rng.next() % 3)
            var context: Int64 = 600 + Int64(rng.next() % 400)
            let fails = q == 4
            for turn in 0..<turns {
                let span = "\(queryID)-c\(turn + 1)"
                events.append((now, .inferenceStart(InferenceStart(spanID: span, queryID: queryID, model: model))))
                let prefill = rng.uniform(0.04, 0.12)
                phase(prefill, gpu: rng.uniform(420, 480), cpu: 42)
                let completion = Int64(rng.uniform(30, 260))
                let decodeSeconds = Double(completion) / rng.uniform(45, 75)
                phase(decodeSeconds, gpu: rng.uniform(300, 340), cpu: 38)
                let cached = turn > 0 ? context / 2 : nil
                events.append((now, .inferenceEnd(InferenceEnd(
                    spanID: span, queryID: queryID, model: model, routedModel: model + "-2024-08-06",
                    promptTokens: context, completionTokens: completion, cachedTokens: cached,
                    timeToFirstTokenSeconds: (prefill * 1000).rounded() / 1000,
                    status: "ok", stopReason: turn == turns - 1 ? "stop" : "tool_calls"))))
                context += completion
                if turn == turns - 1 { break }
                for call in 0..<(1 + Int(rng.next() % 2)) {
                    let tool = tools[Int(rng.next() % UInt64(tools.count))]
                    let toolSpan = "\(span)-t\(call + 1)"
                    events.append((now, .toolStart(ToolStart(
                        spanID: toolSpan, queryID: queryID, tool: tool, parentSpanID: span,
                        arguments: "{\"q\": \"step \(turn + 1)\"}"))))
                    phase(rng.uniform(0.1, 1.4), gpu: idle.gpu + 4, cpu: rng.uniform(45, 70))
                    let failed = rng.next() % 7 == 0
                    let output = Int64(rng.uniform(200, 9000))
                    events.append((now, .toolEnd(ToolEnd(
                        spanID: toolSpan, queryID: queryID, tool: tool, ok: !failed,
                        error: failed ? "timeout after 30s" : nil, outputBytes: failed ? nil : output))))
                    context += failed ? 20 : output / 4
                }
                if fails && turn == 0 { break }
            }
            phase(0.03, gpu: idle.gpu, cpu: 25)
            events.append((now, .queryEnd(fails
                ? QueryEnd(queryID: queryID, status: "failed", error: "agent raised: tool loop exceeded budget")
                : QueryEnd(queryID: queryID, status: "completed", response: "Summary of task \(q + 1).",
                    resolved: rng.next() % 4 != 0))))
        }
        phase(1.0, gpu: idle.gpu, cpu: idle.cpu)

        // Telemetry: exact integrals of the phase power, sampled with jitter.
        let period = 1e9 / sampleHz
        var gpuEnergy = 183_402.5
        var cpuEnergy = 262_100.0  // close to the RAPL wrap, so the demo wraps
        let cpuWrap = 262_143.328850
        var phaseIndex = 0
        var lastTime: Int64 = 0
        var k = 0.0
        while true {
            let jitter = rng.uniform(-0.15, 0.15) * period
            let t = Int64(k * period + jitter) + 500_000
            if t > now { break }
            k += 1
            // Integrate power from lastTime to t.
            var cursor = lastTime
            var gpuWatts = idle.gpu, cpuWatts = idle.cpu
            while cursor < t {
                while phaseIndex < phases.count && phases[phaseIndex].end <= cursor { phaseIndex += 1 }
                let p = phaseIndex < phases.count && phases[phaseIndex].start <= cursor ? phases[phaseIndex] : nil
                let segmentEnd = min(t, p?.end ?? (phaseIndex < phases.count ? phases[phaseIndex].start : t))
                gpuWatts = p?.gpuWatts ?? idle.gpu
                cpuWatts = p?.cpuWatts ?? idle.cpu
                let dt = Double(segmentEnd - cursor) / 1e9
                gpuEnergy += gpuWatts * dt
                cpuEnergy += cpuWatts * dt
                cursor = segmentEnd
            }
            if cpuEnergy >= cpuWrap { cpuEnergy -= cpuWrap }
            lastTime = t
            let noise = rng.uniform(-0.02, 0.02)
            events.append((t, .sample(TelemetrySample(
                source: "gpu0", gpuEnergyJoules: (gpuEnergy * 1000).rounded() / 1000,
                gpuPowerWatts: (gpuWatts * (1 + noise) * 100).rounded() / 100,
                gpuUtilizationPercent: gpuWatts > 200 ? 97 : 3, temperatureCelsius: gpuWatts > 200 ? 71 : 44))))
            events.append((t + 40_000, .sample(TelemetrySample(
                source: "cpu-package-0", cpuEnergyJoules: (cpuEnergy * 1_000_000).rounded() / 1_000_000,
                cpuPowerWatts: (cpuWatts * 100).rounded() / 100, energyWrapJoules: cpuWrap))))
        }

        // Record in time order (stable for equal times), as a live agent would.
        let ordered = events.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
        for (_, (t, payload)) in ordered { recorder.record(payload, at: t) }
    }
}

/// SplitMix64: a small seeded generator.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [low, high).
    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * Double(next() >> 11) / Double(1 << 53)
    }
}
