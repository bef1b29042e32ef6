import Synchronization
import TraceLog

/// Records an agent run into a segmented, zstd-compressed log.
///
/// ```swift
/// let recorder = try Recorder(path: "run.zst")
/// recorder.record(.queryStart(QueryStart(queryID: "q1")))
/// recorder.record(.inferenceStart(InferenceStart(spanID: "c1", queryID: "q1", model: "gpt-4o")))
/// recorder.record(.inferenceEnd(InferenceEnd(spanID: "c1", queryID: "q1", promptTokens: 812, completionTokens: 64)))
/// recorder.record(.queryEnd(QueryEnd(queryID: "q1", status: "completed")))
/// try recorder.close()
/// ```
///
/// `record` is safe from any thread. On the caller's thread it reads the
/// monotonic clock, takes an uncontended lock and encodes the event into
/// the open segment's buffer: no allocation in steady state, no syscall
/// but the clock, no compression. A background thread compresses closed
/// segments (on size, on time, on `flush()`) and appends them to the file.
/// Write errors never reach the caller's thread: they are kept in
/// ``errors``, passed to the configured handler, and thrown by the next
/// ``flush()`` or ``close()``.
public final class Recorder: Sendable {
    /// The run id written in every segment.
    public let runID: String
    /// The recorder identity in every segment (``RecorderConfiguration/recorderID``).
    public let recorderID: String
    /// The log's path.
    public let path: String
    /// How the recorder's monotonic timestamps map to wall-clock time
    /// (``ClockAnchor/monotonic(wall:)`` gives a wall-clock time on the
    /// recorder's clock).
    public let anchor: ClockAnchor
    @usableFromInline let core: RecorderCore
    let writer: SegmentWriter

    /// Creates the log at `path` (truncating an existing file) and starts
    /// the background writer.
    public init(path: String, configuration: RecorderConfiguration = RecorderConfiguration()) throws(RecorderError) {
        let file: LogFileWriter
        do { file = try LogFileWriter(path: path) } catch { throw RecorderError(message: error.description) }
        self.path = path
        self.runID = configuration.runID ?? Recorder.randomRunID()
        recorderID = configuration.recorderID ?? Recorder.randomRunID()
        let segmentBytes = max(configuration.segmentBytes, 256)
        anchor = configuration.anchor ?? MonotonicClock.anchor()
        let encoder = SegmentEncoder(
            runID: runID, anchor: anchor,
            buffer: RecordBuffer(capacity: segmentBytes + segmentBytes / 8 + 4096), recorderID: recorderID)
        var state = RecorderState(
            encoder: encoder, segmentBytes: segmentBytes, maximumQueued: configuration.maximumQueuedSegments,
            dropsWhenFull: configuration.onOverload == .drop)
        state.lagSlack = configuration.lagSlackNanoseconds
        core = RecorderCore(state, lagHandler: configuration.lagHandler)
        writer = SegmentWriter(file: file, configuration: configuration)
        writer.start(core: core)
    }

    deinit {
        try? close()
    }

    /// The recorder's version, written by callers into ``RunStart``.
    public static let version = "0.1.0"

    /// Records `payload` now (CLOCK_MONOTONIC, mapped to wall-clock time
    /// through the run's anchor).
    @inlinable
    public func record(_ payload: EventPayload) {
        record(payload, at: MonotonicClock.nanoseconds())
    }

    /// Records `payload` with an explicit timestamp on the recorder's
    /// clock: monotonic nanoseconds, or wall-clock nanoseconds since the
    /// epoch when the configuration's anchor is ``ClockAnchor/identity``.
    @inlinable
    public func record(_ payload: EventPayload, at timestamp: Int64) {
        record(payload, timestamp) { $0.append(payload, monotonic: timestamp) }
    }

    /// Records `payload` at `timestamp` (as ``record(_:at:)``) as sent by
    /// process `sender` (0: unknown), whose id is stored with the event
    /// (not with a telemetry sample): what `trace-record` does for its
    /// socket's events.
    @inlinable
    public func record(_ payload: EventPayload, at timestamp: Int64, sender: Int32) {
        record(payload, timestamp) { $0.append(payload, monotonic: timestamp, sender: sender) }
    }

    /// The recording path: `encode` appends the event under the lock.
    @inlinable @inline(__always)
    func record(_ payload: EventPayload, _ timestamp: Int64, encode: (inout SegmentEncoder) -> Void) {
        // 0: nothing more to do; bit 0: a segment closed; bit 1: and the
        // queue is over its bound: wait for room; bit 2: the writer fell
        // behind: report it.
        let outcome = core.state.withLock { state -> UInt8 in
            if state.isClosed {
                state.droppedEvents &+= 1
                return 0
            }
            if state.dropsWhenFull && state.closedSegments.count >= state.maximumQueued {
                state.droppedEvents &+= 1
                state.overloadDrops &+= 1
                return 0
            }
            encode(&state.encoder)
            guard state.encoder.byteCount >= state.segmentBytes else { return 0 }
            let behind: UInt8 = state.closeSegment() ? 4 : 0
            return (state.closedSegments.count > state.maximumQueued ? 3 : 1) | behind
        }
        if outcome != 0 { core.wakeup.signal() }
        if outcome & 4 != 0 { core.reportBehind() }
        if outcome & 2 != 0 { core.waitForRoom() }
    }

    /// Closes the open segment, writes everything recorded so far and
    /// syncs it to disk. Throws the write errors met since the previous
    /// flush (the events of lost segments are gone; later ones are not).
    public func flush() throws(RecorderError) {
        let ticket = FlushTicket()
        var behind = false
        let accepted = core.state.withLock { state -> Bool in
            if state.isClosed { return false }
            behind = state.closeSegment()
            state.flushTickets.append(ticket)
            return true
        }
        guard accepted else { throw RecorderError(message: "\(path): the recorder is closed") }
        if behind { core.reportBehind() }
        core.wakeup.signal()
        ticket.wait()
        if let error = ticket.error { throw error }
    }

    /// Flushes, stops the writer and closes the file. Events recorded after
    /// `close()` are dropped and counted. Calling it again does nothing.
    public func close() throws(RecorderError) {
        let ticket = FlushTicket()
        var behind = false
        let first = core.state.withLock { state -> Bool in
            if state.isClosed { return false }
            behind = state.closeSegment()
            state.flushTickets.append(ticket)
            state.isClosed = true
            return true
        }
        guard first else { return }
        if behind { core.reportBehind() }
        core.wakeup.signal()
        ticket.wait()
        writer.join()
        if let error = ticket.error { throw error }
    }

    /// Errors met so far (the latest 100).
    public var errors: [RecorderError] { writer.errors }

    /// Counters of the work so far.
    public var statistics: RecorderStatistics {
        var stats = writer.statistics
        core.state.withLock { state in
            stats.events = state.encoder.recordCount
            stats.droppedEvents = state.droppedEvents
            stats.overloadDroppedEvents = state.overloadDrops
            stats.peakQueuedSegments = state.peakQueued
            stats.timesBehind = state.timesBehind
        }
        return stats
    }

    static func randomRunID() -> String {
        var generator = SystemRandomNumberGenerator()
        let a = generator.next() as UInt64
        let b = generator.next() as UInt64
        func hex(_ v: UInt64) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return hex(a) + hex(b)
    }
}
