import Benchmark
import Foundation
import Synchronization
import TraceLog
import TraceRecorder

/// A recorder writing to a scratch file that the benchmark removes.
func scratchRecorder(_ name: String, segmentBytes: Int = 1 << 20) -> Recorder {
    let path = NSTemporaryDirectory() + "agent-trace-bench-\(name)-\(getpid()).zst"
    return try! Recorder(path: path, configuration: RecorderConfiguration(segmentBytes: segmentBytes, runID: "bench"))
}

func removeScratch(_ recorder: Recorder) {
    try? recorder.close()
    unlink(recorder.path)
}

/// The physical floor: one CLOCK_MONOTONIC read.
func clockBenchmarks() {
    Benchmark("clock read (floor)", configuration: .init(metrics: [.wallClock, .mallocCountTotal], scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(MonotonicClock.nanoseconds()) }
    }
}

/// `Recorder.record` on the caller's thread, per event kind, including the
/// clock read: alone, and with a second thread recording at full speed.
func appendBenchmarks() {
    let metrics: [BenchmarkMetric] = [.wallClock, .mallocCountTotal, .throughput]
    for (kind, payload) in Payloads.byKind {
        let slot = Slot<Recorder>()
        Benchmark("append \(kind), 1 thread", configuration: .init(metrics: metrics, scalingFactor: .kilo, maxDuration: .seconds(2))) { benchmark in
            let recorder = slot.value!
            for _ in benchmark.scaledIterations { recorder.record(payload) }
        } setup: {
            let recorder = scratchRecorder("append")
            for _ in 0..<100_000 { recorder.record(payload) }  // past the first segments
            slot.value = recorder
        } teardown: {
            removeScratch(slot.value!)
            slot.value = nil
        }
    }
    for (kind, payload) in [Payloads.byKind[0], Payloads.byKind[2], Payloads.byKind[3]] {
        let slot = Slot<ContendedRecorder>()
        Benchmark("append \(kind), 2 threads contending", configuration: .init(metrics: metrics, scalingFactor: .kilo, maxDuration: .seconds(2))) { benchmark in
            let recorder = slot.value!.recorder
            for _ in benchmark.scaledIterations { recorder.record(payload) }
        } setup: {
            let state = ContendedRecorder(recorder: scratchRecorder("contended"))
            state.startRival(payload)
            slot.value = state
        } teardown: {
            slot.value!.stopRival()
            removeScratch(slot.value!.recorder)
            slot.value = nil
        }
    }
}

/// A recorder with a second thread recording into it as fast as it can.
final class ContendedRecorder: Sendable {
    let recorder: Recorder
    let stop = Atomic<Bool>(false)
    let stopped = Atomic<Bool>(false)

    init(recorder: Recorder) { self.recorder = recorder }

    func startRival(_ payload: EventPayload) {
        let thread = Thread { [self] in
            while !stop.load(ordering: .relaxed) { recorder.record(payload) }
            stopped.store(true, ordering: .releasing)
        }
        thread.start()
        while recorder.statistics.events < 10_000 { usleep(100) }
    }

    func stopRival() {
        stop.store(true, ordering: .relaxed)
        while !stopped.load(ordering: .acquiring) { usleep(100) }
    }
}

/// Holds a benchmark's state between its setup, runs and teardown (which
/// the harness runs one after the other, never concurrently).
final class Slot<Value>: @unchecked Sendable {
    var value: Value?
}
