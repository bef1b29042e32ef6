import EnergySimulation
import Foundation
import Testing
import TraceLog
import TraceRecorder

/// An agent on one host and the model served on another: two logs of one
/// run, joined by `trace-analyze agent.zst gpu.zst`, the GPU host's clock
/// 40 ms ahead.
@Suite("Two hosts, one run")
struct TwoHostTests {
    /// Writes the simulated run: its spans into `agent` (recorder host-a),
    /// its samples into `gpu` (recorder host-b, a telemetry-only run start,
    /// timestamps `ahead` seconds late); or everything into `agent` alone
    /// when `gpu` is nil.
    static func write(
        _ run: PowerSimulator.Run, agent: String, gpu: String?, ahead: Double, handshakes: [ClockOffsetMark] = []
    ) throws {
        let agentRecorder = try Recorder(path: agent, configuration: RecorderConfiguration(
            flushInterval: .seconds(3600), runID: "exp7", anchor: .identity, recorderID: "host-a"))
        let gpuRecorder = try gpu.map {
            try Recorder(path: $0, configuration: RecorderConfiguration(
                flushInterval: .seconds(3600), runID: "exp7", anchor: .identity, recorderID: "host-b"))
        }
        agentRecorder.record(.runStart(RunStart(runID: "exp7", host: "agent-host")), at: run.events[0].timestamp)
        for handshake in handshakes { agentRecorder.record(.mark(handshake.mark), at: run.events[0].timestamp) }
        for event in run.events {
            switch event.payload {
            case .runStart(var start):
                start.runID = "exp7"
                start.host = "gpu-host"
                start.labels.append(Label("recording", "telemetry_only"))
                (gpuRecorder ?? agentRecorder).record(.runStart(start), at: event.timestamp)
            case .sample:
                if let gpuRecorder {
                    gpuRecorder.record(event.payload, at: event.timestamp + Int64((ahead * 1e9).rounded()))
                } else {
                    agentRecorder.record(event.payload, at: event.timestamp)
                }
            default:
                agentRecorder.record(event.payload, at: event.timestamp)
            }
        }
        try agentRecorder.close()
        try gpuRecorder?.close()
    }

    /// One simulated run written as one host's log (`single`) and as two
    /// hosts' (`agent`, `gpu`, the GPU host 40 ms ahead, the agent's log
    /// holding `handshakes`).
    static func logs(handshakes: [ClockOffsetMark] = []) throws -> (single: String, agent: String, gpu: String) {
        let run = PowerSimulator(.init(seed: 31, samplingHz: 50, queries: 10, sensor: .nvmlTypical)).run()
        let dir = temporaryDirectory()
        let single = dir.appendingPathComponent("single.zst").path
        let agent = dir.appendingPathComponent("agent.zst").path
        let gpu = dir.appendingPathComponent("gpu.zst").path
        try write(run, agent: single, gpu: nil, ahead: 0)
        try write(run, agent: agent, gpu: gpu, ahead: 0.040, handshakes: handshakes)
        return (single, agent, gpu)
    }

    private func json(_ arguments: [String]) throws -> (rows: [[String: Any]], stderr: String) {
        let result = try runProcess(traceAnalyzeBinary, arguments + ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        return (rows, result.stderr)
    }

    @Test("--clock-offset gpu0=-40 gives the one-host energies; without it the run is flagged and the offset named")
    func clockOffset() throws {
        let (single, agent, gpu) = try Self.logs()

        let reference = try json([single, "--by", "query"]).rows
        let aligned = try json([agent, gpu, "--by", "query", "--clock-offset", "gpu0=-40"]).rows
        #expect(reference.count == 10 && aligned.count == 10)
        for (a, b) in zip(reference, aligned) {
            let x = try #require(a["total_gpu_energy_joules"] as? Double)
            let y = try #require(b["total_gpu_energy_joules"] as? Double)
            #expect(abs(x - y) <= 0.01 * x, "\(a["query_id"] ?? "")")
            #expect(b["gpu_alignment_joules_per_ms"] as? Double != nil)
        }
        let alignedRun = try json([agent, gpu, "--by", "run", "--clock-offset", "gpu0=-40"]).rows[0]
        #expect(!((alignedRun["flags"] as? [String]) ?? []).contains("gpu:clock_offset_suspected"))

        let (rows, stderr) = try json([agent, gpu, "--by", "run"])
        let flags = (rows.first?["flags"] as? [String]) ?? []
        #expect(flags.contains("gpu:clock_offset_suspected"), "\(rows)")
        #expect(stderr.contains("--clock-offset gpu0=-"), "\(stderr)")
        // The other host's sources are named in the sensor models.
        let models = (rows.first?["sensor_models"] as? [String]) ?? []
        #expect(models.contains { $0.hasPrefix("gpu0 gpu: counter updates every 100.0 ms (declared); power average (declared)") })
    }

    @Test("A clock offset measured by a handshake (a clock_offset mark) is applied: the one-host energies, in either file order")
    func measuredOffset() throws {
        // Two measurements: the one with the shorter round trip is used.
        let (single, agent, gpu) = try Self.logs(handshakes: [
            ClockOffsetMark(host: "gpu-host", offsetNanoseconds: -52_000_000, roundTripNanoseconds: 9_000_000, exchanges: 16, peer: "http://gpu-host:4319"),
            ClockOffsetMark(host: "gpu-host", offsetNanoseconds: -40_100_000, roundTripNanoseconds: 300_000, exchanges: 16, peer: "http://gpu-host:4319"),
        ])

        let reference = try json([single, "--by", "query"]).rows
        for files in [[agent, gpu], [gpu, agent]] {
            let measured = try json(files + ["--by", "query"]).rows
            #expect(measured.count == 10)
            for (a, b) in zip(reference, measured) {
                let x = try #require(a["total_gpu_energy_joules"] as? Double)
                let y = try #require(b["total_gpu_energy_joules"] as? Double)
                #expect(abs(x - y) <= 0.01 * x, "\(a["query_id"] ?? "")")
            }
            let (runs, stderr) = try json(files + ["--by", "run"])
            let flags = (runs.first?["flags"] as? [String]) ?? []
            // 40 ms apart, more than the 20 ms sampling period: flagged, not suspected.
            #expect(flags.contains("gpu:clock_offset_measured") && !flags.contains("gpu:clock_offset_suspected"), "\(flags)")
            #expect(!stderr.contains("--clock-offset gpu0="), "\(stderr)")
            let models = (runs.first?["sensor_models"] as? [String]) ?? []
            #expect(models.contains { $0.hasPrefix("gpu0 gpu:") && $0.contains("clock offset measured: -40.1 ms (round trip 0.3 ms), applied") },
                    "\(models)")
        }
        // A given offset wins over the measured one.
        let given = try json([agent, gpu, "--by", "run", "--clock-offset", "gpu0=-52"]).rows[0]
        #expect(!((given["sensor_models"] as? [String]) ?? []).contains { $0.contains("measured") })
        // Version 2 keeps its numbers: no offset applied.
        let old = try json([agent, gpu, "--by", "query", "--metrics", "default@2"]).rows
        let oldUnaligned = try json([agent, gpu, "--by", "query", "--metrics", "default@2", "--clock-offset", "gpu0=0"]).rows
        #expect(old.map { $0["total_gpu_energy_joules"] as? Double } == oldUnaligned.map { $0["total_gpu_energy_joules"] as? Double })
    }

    @Test("--clock-offset takes SOURCE=±MS only, and only default sets")
    func clockOffsetArguments() throws {
        let log = bundledLogs().last!.path
        let bad = try runProcess(traceAnalyzeBinary, [log, "--clock-offset", "gpu0=forty"])
        #expect(bad.status != 0 && bad.stderr.contains("expected SOURCE=±MS"))
        let ipw = try runProcess(traceAnalyzeBinary, [log, "--metrics", "ipw", "--clock-offset", "gpu0=+5"])
        #expect(ipw.status != 0 && ipw.stderr.contains("takes no clock offsets"))
        let old = try runProcess(traceAnalyzeBinary, [log, "--metrics", "default@2", "--clock-offset", "gpu0=+5", "--by", "run"])
        #expect(old.status == 0, "\(old.stderr)")
    }
}
