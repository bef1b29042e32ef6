import Foundation
import Synchronization
import TraceLog

/// The recorder's background thread: closes segments on time, compresses
/// closed segments, appends them to the file and answers flushes.
final class SegmentWriter: @unchecked Sendable {
    private let file: LogFileWriter
    private let compressor: ZstdCompressor
    private let flushIntervalNanoseconds: Int64
    private let errorHandler: (@Sendable (RecorderError) -> Void)?
    private let shared = RecorderMutex(Shared())
    private let finished = DispatchSemaphoreBox()

    private struct Shared {
        var errors: [RecorderError] = []
        var statistics = RecorderStatistics()
    }

    init(file: LogFileWriter, configuration: RecorderConfiguration) {
        self.file = file
        self.compressor = ZstdCompressor(level: configuration.compressionLevel)
        let interval = configuration.flushInterval.components
        self.flushIntervalNanoseconds = max(
            1_000_000, interval.seconds * 1_000_000_000 + interval.attoseconds / 1_000_000_000)
        self.errorHandler = configuration.errorHandler
    }

    var errors: [RecorderError] { shared.withLock { $0.errors } }
    var statistics: RecorderStatistics { shared.withLock { $0.statistics } }

    func start(core: RecorderCore) {
        let thread = Thread { [self] in
            self.run(core: core)
            self.finished.signal()
        }
        thread.name = "agent-trace writer"
        thread.start()
    }

    func join() { finished.wait() }

    private func run(core: RecorderCore) {
        let wakeup = core.wakeup
        var work: [RecordBuffer] = []
        work.reserveCapacity(64)
        var workTimes: [Int64] = []
        workTimes.reserveCapacity(64)
        var tickets: [FlushTicket] = []
        var watchedGeneration: UInt64 = .max
        var watchedSince: Int64 = 0
        var pendingError: RecorderError?
        let checkInterval = max(flushIntervalNanoseconds / 4, 1_000_000)
        // When the previous check looked at the open segment. A segment
        // first seen holding events got its first event after that, so
        // closing it by `previousCheck + flushInterval` bounds how long any
        // event waits by the flush interval (checks come at most
        // `checkInterval` apart, hence the margin below).
        var previousCheck = MonotonicClock.nanoseconds()

        while true {
            _ = wakeup.wait(nanoseconds: checkInterval)
            let now = MonotonicClock.nanoseconds()
            var behind = false
            let stop = core.state.withLock { state -> Bool in
                if !state.encoder.isEmpty {
                    if state.generation != watchedGeneration {
                        watchedGeneration = state.generation
                        watchedSince = previousCheck
                    }
                    if now - watchedSince >= flushIntervalNanoseconds - checkInterval {
                        behind = state.closeSegment()
                    }
                }
                previousCheck = now
                swap(&work, &state.closedSegments)
                swap(&workTimes, &state.closedTimes)
                state.writingSince = workTimes.first ?? 0
                state.writingRemaining = work.count
                swap(&tickets, &state.flushTickets)
                return state.isClosed
            }
            if behind { core.reportBehind() }
            // Room in the queue: a caller waiting for it goes on.
            if !work.isEmpty { core.drained.signal() }
            for (index, buffer) in work.enumerated() {
                noteWait(since: workTimes[index], core: core)
                if let error = write(buffer) { pendingError = pendingError ?? error }
                buffer.removeAll()
                let next = index + 1 < workTimes.count ? workTimes[index + 1] : 0
                core.state.withLock {
                    $0.writingSince = next
                    $0.writingRemaining -= 1
                }
            }
            if !work.isEmpty { noteCaughtUp(core: core) }
            workTimes.removeAll(keepingCapacity: true)
            if !tickets.isEmpty {
                do throws(FileError) {
                    if stop { try file.close() } else { try file.sync() }
                } catch {
                    report(RecorderError(message: error.description))
                    pendingError = pendingError ?? RecorderError(message: error.description)
                }
                for ticket in tickets { ticket.finish(pendingError) }
                pendingError = nil
                tickets.removeAll(keepingCapacity: true)
            }
            if !work.isEmpty {
                core.state.withLock { state in state.spares.append(contentsOf: work.prefix(8 - min(8, state.spares.count))) }
                work.removeAll(keepingCapacity: true)
            }
            if stop { return }
        }
    }

    /// Before a segment is written: counts how long it waited, and reports
    /// the writer behind when that is longer than the slack.
    private func noteWait(since closed: Int64, core: RecorderCore) {
        let now = MonotonicClock.nanoseconds()
        shared.withLock {
            $0.statistics.longestSegmentWaitNanoseconds = max($0.statistics.longestSegmentWaitNanoseconds, now - closed)
        }
        let lag = core.state.withLock { state in state.markBehind(ifWaitingSince: closed, now: now) ? state.lag(now: now) : nil }
        if let lag { core.lagHandler?(lag) }
    }

    /// After a batch: reports the writer caught up when it was behind and
    /// no closed segment waits any more.
    private func noteCaughtUp(core: RecorderCore) {
        let lag = core.state.withLock { state -> RecorderLag? in
            guard state.isBehind, state.closedSegments.isEmpty else { return nil }
            state.isBehind = false
            return state.lag(now: MonotonicClock.nanoseconds())
        }
        if let lag { core.lagHandler?(lag) }
    }

    /// Compresses and appends one segment; returns the error if it was lost.
    private func write(_ content: RecordBuffer) -> RecorderError? {
        do {
            let written = try compressor.compress(content.bytes) { frame in
                Result { () throws(FileError) in try file.append(frame); return frame.count }
            }.get()
            shared.withLock {
                $0.statistics.segmentsWritten += 1
                $0.statistics.contentBytes += UInt64(content.count)
                $0.statistics.fileBytes += UInt64(written)
            }
            return nil
        } catch {
            let failure = RecorderError(message: "\(error); a segment of \(content.count) bytes was lost", lostSegments: 1)
            shared.withLock { $0.statistics.segmentsLost += 1 }
            report(failure)
            return failure
        }
    }

    private func report(_ error: RecorderError) {
        shared.withLock {
            $0.errors.append(error)
            if $0.errors.count > 100 { $0.errors.removeFirst($0.errors.count - 100) }
        }
        errorHandler?(error)
    }
}

