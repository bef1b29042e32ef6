import Foundation
import Synchronization
import TraceLog
import TraceRecorder

/// Reads telemetry sources on a background thread at a fixed rate and
/// records every reading as a raw ``TelemetrySample`` through a recorder.
///
/// ```swift
/// let sampler = TelemetrySampler(sources: [try RAPLSource()], recorder: recorder, rate: 20)
/// sampler.start()
/// … // run the workload
/// sampler.stop()  // takes a last reading, then returns
/// ```
///
/// Readings are scheduled on absolute deadlines of the monotonic clock, so
/// the rate does not drift; a deadline missed (a slow read) is skipped, not
/// made up. All samples of one reading carry the same timestamp.
public final class TelemetrySampler: Sendable {
    /// Readings per second.
    public let rate: Double
    private let recorder: Recorder
    private let sources: Mutex<[any TelemetrySource]>
    private let stopping = Atomic<Bool>(false)
    private let started = Atomic<Bool>(false)
    private let wakeup = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let counts = Mutex((readings: 0, samples: 0))

    /// Creates a sampler; nothing is read before ``start()``.
    ///
    /// - Parameters:
    ///   - sources: the sources, read in order at every tick.
    ///   - recorder: where samples go.
    ///   - rate: readings per second (default 20); clamped to 0.01…10 000.
    public init(sources: [any TelemetrySource], recorder: Recorder, rate: Double = 20) {
        self.sources = Mutex(sources)
        self.recorder = recorder
        self.rate = min(max(rate.isFinite ? rate : 20, 0.01), 10_000)
    }

    /// Readings taken so far, and samples recorded.
    public var statistics: (readings: Int, samples: Int) { counts.withLock { $0 } }

    /// Takes one reading of every source now and records it.
    public func sampleNow() {
        let now = MonotonicClock.nanoseconds()
        var recorded = 0
        sources.withLock { sources in
            for index in sources.indices {
                for sample in sources[index].read(at: now) {
                    recorder.record(.sample(sample), at: now)
                    recorded += 1
                }
            }
        }
        counts.withLock {
            $0.readings += 1
            $0.samples += recorded
        }
    }

    /// Starts the background thread; the first reading is taken at once.
    /// Calling it again does nothing.
    public func start() {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in
            self.run()
            self.finished.signal()
        }
        thread.name = "agent-trace telemetry"
        thread.start()
    }

    /// Stops the thread after a last reading (so the counters' final values
    /// are in the log) and waits for it. Calling it again does nothing.
    public func stop() {
        guard started.load(ordering: .acquiring),
            !stopping.exchange(true, ordering: .acquiringAndReleasing)
        else { return }
        wakeup.signal()
        finished.wait()
    }

    private func run() {
        let interval = Int64(1e9 / rate)
        var deadline = MonotonicClock.nanoseconds()
        while !stopping.load(ordering: .acquiring) {
            sampleNow()
            deadline += interval
            let now = MonotonicClock.nanoseconds()
            if deadline <= now {
                // Missed: skip to the next deadline in the future.
                deadline = now + interval - (now - deadline) % interval
            }
            _ = wakeup.wait(timeout: .now() + .nanoseconds(Int(deadline - now)))
        }
        sampleNow()
    }
}
