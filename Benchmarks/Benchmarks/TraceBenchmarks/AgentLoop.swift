import Benchmark
import Foundation
import Synchronization
import TraceLog
import TraceRecorder

/// A simulated agent loop: 1000 queries × 5 turns, each turn an inference
/// and a tool call doing fixed CPU work (a stand-in for the agent's own
/// work; far shorter than real LLM and tool latencies, so this is a worst
/// case), with a sampler thread reading two telemetry sources at 20 Hz.
/// Compare the p50 wall time of "recording on" with "recording off".
func agentLoopBenchmarks() {
    for recording in [false, true] {
        Benchmark("agent loop 1000×5, recording \(recording ? "on" : "off")", configuration: .init(
            metrics: [.wallClock, .mallocCountTotal], warmupIterations: 2, maxDuration: .seconds(20), maxIterations: 21)) { benchmark in
            let recorder = recording ? scratchRecorder("agent") : nil
            let sampler = Sampler(recorder: recorder)
            sampler.start()
            benchmark.startMeasurement()
            let checksum = AgentLoop.run(queries: 1000, turns: 5, recorder: recorder)
            benchmark.stopMeasurement()
            sampler.stop()
            blackHole(checksum)
            if let recorder { removeScratch(recorder) }
        }
    }
}

enum AgentLoop {
    /// Fixed CPU work standing in for the agent's processing.
    @inline(never)
    static func work(_ units: Int, seed: UInt64) -> UInt64 {
        var x = seed | 1
        for _ in 0..<units {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
        }
        return x
    }

    static func run(queries: Int, turns: Int, recorder: Recorder?) -> UInt64 {
        var checksum: UInt64 = 0
        let queryIDs = (0..<queries).map { "q\($0)" }
        let spans = (0..<turns).map { "c\($0)" }
        let toolSpans = (0..<turns).map { "t\($0)" }
        for q in 0..<queries {
            let query = queryIDs[q]
            recorder?.record(.queryStart(QueryStart(queryID: query, workloadType: "agentic")))
            for t in 0..<turns {
                recorder?.record(.inferenceStart(InferenceStart(spanID: spans[t], queryID: query, model: "gpt-4o")))
                checksum &+= work(40_000, seed: UInt64(q * turns + t))
                recorder?.record(.inferenceEnd(InferenceEnd(
                    spanID: spans[t], queryID: query, promptTokens: 800, completionTokens: 64, status: "ok")))
                recorder?.record(.toolStart(ToolStart(spanID: toolSpans[t], queryID: query, tool: "search", parentSpanID: spans[t])))
                checksum &+= work(20_000, seed: checksum)
                recorder?.record(.toolEnd(ToolEnd(spanID: toolSpans[t], queryID: query, tool: "search", ok: true)))
            }
            recorder?.record(.queryEnd(QueryEnd(queryID: query, status: "completed")))
        }
        return checksum
    }
}

/// A 20 Hz telemetry sampler on its own thread (two sources per tick).
final class Sampler: Sendable {
    let recorder: Recorder?
    let stopFlag = Atomic<Bool>(false)
    let done = Atomic<Bool>(false)

    init(recorder: Recorder?) { self.recorder = recorder }

    func start() {
        Thread { [self] in
            var energy = 1000.0
            while !stopFlag.load(ordering: .relaxed) {
                energy += 15.3
                recorder?.record(.sample(TelemetrySample(source: "gpu0", gpuEnergyJoules: energy, gpuPowerWatts: 306)))
                recorder?.record(.sample(TelemetrySample(source: "cpu-package-0", cpuEnergyJoules: energy / 8, cpuPowerWatts: 38)))
                usleep(50_000)
            }
            done.store(true, ordering: .releasing)
        }.start()
    }

    func stop() {
        stopFlag.store(true, ordering: .relaxed)
        while !done.load(ordering: .acquiring) { usleep(1000) }
    }
}
