import Foundation
import Testing
import TraceLog
import TraceRecorder
@testable import TraceTelemetry

@Suite("Background sampler")
struct SamplerTests {
    @Test("samples every source in the background and once more at stop, into the log")
    func samplesIntoLog() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sampler-\(UUID().uuidString).zst").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let recorder = try Recorder(path: path)
        let rapl = try RAPLSource(root: Fixtures.twoPackages)
        let sampler = TelemetrySampler(sources: [SyntheticSource(), rapl], recorder: recorder, rate: 200)
        sampler.start()
        Thread.sleep(forTimeInterval: 0.1)
        sampler.stop()
        sampler.stop()
        try recorder.close()
        let stats = sampler.statistics
        #expect(stats.readings >= 2)
        #expect(stats.samples == stats.readings * 7)

        let log = LogReader.read([path])
        #expect(log.diagnostics.isEmpty)
        let events = try #require(log.runs.first?.events)
        let samples = events.compactMap { event -> (Int64, TelemetrySample)? in
            if case .sample(let sample) = event.payload { return (event.timestamp, sample) }
            return nil
        }
        #expect(samples.count == stats.samples)
        #expect(zip(samples, samples.dropFirst()).allSatisfy { $0.0 <= $1.0 })
        let gpu = samples.compactMap { $0.1.source == "synthetic-gpu0" ? $0.1.gpuEnergyJoules : nil }
        #expect(zip(gpu, gpu.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(Set(samples.compactMap(\.1.source)).count == 7)
    }

    @Test("the rate is clamped to something sane")
    func rate() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sampler-\(UUID().uuidString).zst").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let recorder = try Recorder(path: path)
        #expect(TelemetrySampler(sources: [], recorder: recorder, rate: .nan).rate == 20)
        #expect(TelemetrySampler(sources: [], recorder: recorder, rate: 0).rate == 0.01)
        #expect(TelemetrySampler(sources: [], recorder: recorder, rate: 1e9).rate == 10_000)
        try recorder.close()
    }
}
