import TraceLog

/// How a ``Recorder`` segments, compresses and stamps its log.
public struct RecorderConfiguration: Sendable {
    /// A segment closes once its uncompressed content reaches this many
    /// bytes. Smaller segments lose less in a crash; larger ones compress
    /// better. Default 1 MiB.
    public var segmentBytes: Int
    /// A segment that has held events this long closes on time, so a crash
    /// loses at most about this much. Default 1 second.
    public var flushInterval: Duration
    /// zstd level. Default 1 (level 3 was measured 5× slower for 3% more ratio).
    public var compressionLevel: Int32
    /// The run id written in every segment; random when nil.
    public var runID: String?
    /// The recorder identity written in every segment (docs/FORMAT.md):
    /// what tells this recorder's segments from another's that writes
    /// parts of the same run (agent events on one host, telemetry on
    /// another). Random when nil; give a fixed one only for reproducible
    /// logs, never to two recorders of one run.
    public var recorderID: String?
    /// The clock anchor. Nil (the default) reads the real clocks and stamps
    /// events with CLOCK_MONOTONIC. ``ClockAnchor/identity`` makes the
    /// timestamps passed to ``Recorder/record(_:at:)`` wall-clock
    /// nanoseconds since the Unix epoch (what `import` does).
    public var anchor: ClockAnchor?
    /// Called on the writer thread for every write error, besides being
    /// kept in ``Recorder/errors`` and thrown from the next `flush()`.
    public var errorHandler: (@Sendable (RecorderError) -> Void)?
    /// The most closed segments that may wait for the writer (32: with the
    /// default segment size, 32 MiB). When the disk falls this far behind,
    /// ``onOverload`` decides.
    public var maximumQueuedSegments = 32
    /// What happens when the queue is full: the callers wait (the default:
    /// no event is lost, and a client of `trace-record` is slowed down), or
    /// events are dropped and counted (``RecorderStatistics/overloadDroppedEvents``).
    public var onOverload = OverloadPolicy.block
    /// Called when the disk falls behind — a closed segment has waited for
    /// the writer longer than the slack of the loss bound
    /// (``lagSlackNanoseconds``), so a crash now would lose more than about
    /// one flush interval — and again when the writer has caught up. Called
    /// once per change, on the recording thread that closed a segment or
    /// on the writer thread; keep it short (`trace-record` prints a line).
    public var lagHandler: (@Sendable (RecorderLag) -> Void)?

    /// How long a closed segment may wait for the writer before the
    /// recorder counts as behind: a quarter of the flush interval, at least
    /// 250 ms. A crash loses at most about `flushInterval` plus this while
    /// the disk keeps up.
    public var lagSlackNanoseconds: Int64 {
        let interval = flushInterval.components
        let flush = interval.seconds * 1_000_000_000 + interval.attoseconds / 1_000_000_000
        return max(250_000_000, flush / 4)
    }

    /// Creates a configuration.
    public init(
        segmentBytes: Int = 1 << 20, flushInterval: Duration = .seconds(1), compressionLevel: Int32 = 1,
        runID: String? = nil, anchor: ClockAnchor? = nil, errorHandler: (@Sendable (RecorderError) -> Void)? = nil,
        recorderID: String? = nil
    ) {
        self.recorderID = recorderID
        self.segmentBytes = segmentBytes
        self.flushInterval = flushInterval
        self.compressionLevel = compressionLevel
        self.runID = runID
        self.anchor = anchor
        self.errorHandler = errorHandler
    }
}

/// What a recorder does when the disk cannot keep up and its queue of
/// closed segments is full.
public enum OverloadPolicy: String, Sendable, Equatable, CaseIterable {
    /// The recording caller waits until the writer has made room.
    case block
    /// The event is dropped and counted.
    case drop
}

/// A failure the recorder met. The host program is never stopped by one:
/// the recorder reports it here and keeps going.
public struct RecorderError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    /// Segments whose events were lost because of it.
    public var lostSegments: Int

    /// Creates an error.
    public init(message: String, lostSegments: Int = 0) {
        self.message = message
        self.lostSegments = lostSegments
    }

    /// The message.
    public var description: String { message }
}

/// A change in how far the writer is behind the recording callers (see
/// ``RecorderConfiguration/lagHandler``).
public struct RecorderLag: Sendable, Equatable, CustomStringConvertible {
    /// Whether the disk is now behind (false: it caught up).
    public var isBehind: Bool
    /// How long the oldest closed segment not yet written has waited, in
    /// nanoseconds (0 once caught up).
    public var waitNanoseconds: Int64
    /// Closed segments not yet written.
    public var unwrittenSegments: Int

    /// Creates a lag report.
    public init(isBehind: Bool, waitNanoseconds: Int64, unwrittenSegments: Int) {
        self.isBehind = isBehind
        self.waitNanoseconds = waitNanoseconds
        self.unwrittenSegments = unwrittenSegments
    }

    /// `the disk is behind: …` or `the disk caught up: …`.
    public var description: String {
        guard isBehind else { return "the disk caught up: recorded events are written within the flush interval again" }
        let seconds = Double(waitNanoseconds / 1_000_000) / 1000
        return "the disk is behind: \(unwrittenSegments) closed segment\(unwrittenSegments == 1 ? "" : "s") not yet written, "
            + "the oldest waiting \(seconds) s; a crash now would lose their events and the open segment's"
    }
}

/// Counters of a recorder's work so far.
public struct RecorderStatistics: Sendable, Equatable {
    /// Events accepted.
    public var events: UInt64 = 0
    /// Events refused: the recorder was closed, or (``OverloadPolicy/drop``)
    /// its queue was full.
    public var droppedEvents: UInt64 = 0
    /// Of those, the events dropped because the queue was full.
    public var overloadDroppedEvents: UInt64 = 0
    /// The longest the queue of closed segments has been (at most
    /// ``RecorderConfiguration/maximumQueuedSegments`` + 1).
    public var peakQueuedSegments = 0
    /// The longest a closed segment waited for the writer, in nanoseconds.
    public var longestSegmentWaitNanoseconds: Int64 = 0
    /// How many times the disk fell behind (``RecorderLag``).
    public var timesBehind = 0
    /// Segments written.
    public var segmentsWritten: UInt64 = 0
    /// Segments lost to write errors.
    public var segmentsLost: UInt64 = 0
    /// Uncompressed bytes of the segments written.
    public var contentBytes: UInt64 = 0
    /// Bytes written to the file.
    public var fileBytes: UInt64 = 0
}
