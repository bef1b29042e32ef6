import Synchronization
import TraceLog

/// The state shared by a recorder's callers and its writer thread.
@usableFromInline
final class RecorderCore: Sendable {
    @usableFromInline let state: RecorderMutex<RecorderState>
    @usableFromInline let wakeup = DispatchSemaphoreBox()
    /// Signalled by the writer whenever it takes closed segments.
    let drained = DispatchSemaphoreBox()

    /// Blocks the caller until the queue of closed segments is back within
    /// its bound (or the recorder closes): the back-pressure of
    /// ``OverloadPolicy/block``, taken only when the disk falls behind.
    @usableFromInline
    func waitForRoom() {
        while state.withLock({ $0.closedSegments.count > $0.maximumQueued && !$0.isClosed }) {
            _ = drained.wait(nanoseconds: 10_000_000)
        }
    }

    /// Called when the writer falls behind or catches up (by recording
    /// threads and by the writer).
    let lagHandler: (@Sendable (RecorderLag) -> Void)?

    init(_ state: consuming RecorderState, lagHandler: (@Sendable (RecorderLag) -> Void)? = nil) {
        self.state = RecorderMutex(state)
        self.lagHandler = lagHandler
    }

    /// Reports that a recording thread found the writer behind.
    @usableFromInline
    func reportBehind() {
        guard let lagHandler else { return }
        let lag = state.withLock { $0.lag(now: MonotonicClock.nanoseconds()) }
        lagHandler(lag)
    }
}

/// What the recorder's mutex protects: the encoder and the hand-off queue
/// of closed segments to the writer.
@usableFromInline
struct RecorderState: Sendable {
    @usableFromInline var encoder: SegmentEncoder
    @usableFromInline let segmentBytes: Int
    /// Closed segments waiting for the writer.
    @usableFromInline var closedSegments: [RecordBuffer]
    /// The most closed segments that may wait for the writer (see
    /// ``RecorderConfiguration/maximumQueuedSegments``).
    @usableFromInline let maximumQueued: Int
    /// Whether events are dropped (``OverloadPolicy/drop``) rather than
    /// their callers blocked when the queue is full.
    @usableFromInline let dropsWhenFull: Bool
    /// Events dropped because the queue was full.
    @usableFromInline var overloadDrops: UInt64 = 0
    /// The longest the queue has been.
    var peakQueued = 0
    /// Empty buffers for reuse.
    var spares: [RecordBuffer]
    /// Flushes waiting for the writer to sync.
    var flushTickets: [FlushTicket]
    /// Incremented whenever a segment closes; the writer uses it to close
    /// segments on time.
    var generation: UInt64 = 0
    @usableFromInline var isClosed = false
    @usableFromInline var droppedEvents: UInt64 = 0
    /// When each of ``closedSegments`` closed (monotonic nanoseconds).
    var closedTimes: [Int64] = []
    /// When the oldest segment the writer holds but has not written yet
    /// closed; 0 when it holds none.
    var writingSince: Int64 = 0
    /// How many segments the writer holds but has not written yet.
    var writingRemaining = 0
    /// How long a closed segment may wait before the writer is behind
    /// (``RecorderConfiguration/lagSlackNanoseconds``).
    var lagSlack: Int64 = 250_000_000
    /// Whether the writer is behind (reported, not yet caught up).
    var isBehind = false
    /// How many times it fell behind.
    var timesBehind = 0

    init(encoder: SegmentEncoder, segmentBytes: Int, maximumQueued: Int = 32, dropsWhenFull: Bool = false) {
        self.encoder = encoder
        self.segmentBytes = segmentBytes
        self.maximumQueued = max(1, maximumQueued)
        self.dropsWhenFull = dropsWhenFull
        self.closedSegments = []
        self.closedSegments.reserveCapacity(64)
        self.spares = []
        self.spares.reserveCapacity(64)
        self.flushTickets = []
    }

    /// Closes the open segment (if it holds events) and queues it. Returns
    /// true when this shows the writer has fallen behind (a closed segment
    /// waited longer than ``lagSlack``): the caller then reports it, outside
    /// the lock.
    @usableFromInline
    @discardableResult
    mutating func closeSegment() -> Bool {
        let size = segmentBytes
        guard let full = encoder.closeSegment(continuingIn: { spares.popLast() ?? RecordBuffer(capacity: size + size / 8 + 4096) })
        else { return false }
        let now = MonotonicClock.nanoseconds()
        closedSegments.append(full)
        closedTimes.append(now)
        peakQueued = max(peakQueued, closedSegments.count)
        generation &+= 1
        return markBehind(ifWaitingSince: oldestUnwritten(now: now), now: now)
    }

    /// Counts the writer behind (once, until it catches up) when a segment
    /// closed at `closed` is still unwritten longer than ``lagSlack`` at
    /// `now`; true when this is news to report.
    mutating func markBehind(ifWaitingSince closed: Int64, now: Int64) -> Bool {
        guard !isBehind, now - closed > lagSlack else { return false }
        isBehind = true
        timesBehind += 1
        return true
    }

    /// When the oldest closed segment not yet written closed (`now` if none).
    func oldestUnwritten(now: Int64) -> Int64 {
        if writingSince != 0 { return writingSince }
        return closedTimes.first ?? now
    }

    /// The lag as it stands.
    func lag(now: Int64) -> RecorderLag {
        let waiting = writingSince != 0 || !closedSegments.isEmpty
        return RecorderLag(
            isBehind: isBehind, waitNanoseconds: waiting ? now - oldestUnwritten(now: now) : 0,
            unwrittenSegments: closedSegments.count + writingRemaining)
    }
}

/// A flush waiting for the writer: signalled once everything queued
/// before it is written and synced.
final class FlushTicket: @unchecked Sendable {
    private let done = DispatchSemaphoreBox()
    private let result = RecorderMutex<RecorderError?>(nil)

    /// The error the flush met, once ``wait()`` has returned.
    var error: RecorderError? { result.withLock { $0 } }

    func wait() { done.wait() }
    func finish(_ error: RecorderError?) {
        result.withLock { $0 = error }
        done.signal()
    }
}
