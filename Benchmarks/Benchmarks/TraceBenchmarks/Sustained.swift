import Benchmark
import Foundation
import TraceLog
import TraceRecorder

/// Sustained recording of a realistic mix: how fast the callers hand
/// events over, how fast the background writer compresses and writes them
/// (events/s from the first record to `close()` returning), that nothing
/// is dropped, and the bytes each event takes on disk.
func sustainedBenchmarks() {
    let count = 500_000
    let events = Payloads.realisticMix(count: count)
    let custom: [BenchmarkMetric] = [
        .custom("caller ns/event"), .custom("writer kevents/s", polarity: .prefersLarger),
        .custom("file bytes per 100 events"), .custom("dropped events"),
    ]
    Benchmark("sustained recording, realistic mix (500k events)", configuration: .init(
        metrics: [.wallClock, .peakMemoryResident] + custom, maxDuration: .seconds(10), maxIterations: 10)) { benchmark in
        let recorder = scratchRecorder("sustained")
        let start = MonotonicClock.nanoseconds()
        for payload in events { recorder.record(payload) }
        let handedOver = MonotonicClock.nanoseconds()
        try? recorder.close()
        let written = MonotonicClock.nanoseconds()
        let stats = recorder.statistics
        unlink(recorder.path)
        benchmark.measurement(custom[0], Int((handedOver - start) / Int64(count)))
        benchmark.measurement(custom[1], Int(Int64(count) * 1_000_000 / max(1, written - start)))
        benchmark.measurement(custom[2], Int(stats.fileBytes * 100 / UInt64(count)))
        benchmark.measurement(custom[3], Int(stats.droppedEvents) + (Int(stats.events) - count))
    }
}
