/// The self-describing header at the start of every segment's content.
///
/// Every segment carries everything needed to decode it alone: the format
/// version, the run it belongs to, its place among the run's segments, the
/// sequence number of its first record, a clock anchor that maps the
/// recorder's monotonic timestamps to wall-clock time, and (from version 3)
/// the recorder that wrote it, so that two recorders writing parts of one
/// run are told apart from a segment written twice.
public struct SegmentHeader: Sendable, Equatable {
    /// The four bytes every segment's content begins with: `ATRL`.
    public static let magic: [UInt8] = [0x41, 0x54, 0x52, 0x4C]
    /// The format version this code writes. Readers decode every version
    /// from 1 up to this one (docs/FORMAT.md).
    public static let currentFormatVersion: UInt64 = 3

    /// Format version of the segment.
    public var formatVersion: UInt64
    /// The run's identifier.
    public var runID: String
    /// 0-based position of this segment in its run.
    public var segmentSequence: UInt64
    /// Record sequence number of the segment's first event record.
    public var firstRecordSequence: UInt64
    /// Wall-clock time (ns since the Unix epoch) at the anchor instant.
    public var wallAnchorNanoseconds: Int64
    /// Monotonic time (ns) at the anchor instant.
    public var monotonicAnchorNanoseconds: Int64
    /// The identity of the recorder that wrote the segment (one per
    /// recording process); empty when not recorded (versions 1 and 2).
    /// Segment sequences count per recorder.
    public var recorderID: String

    /// Creates a header.
    public init(
        formatVersion: UInt64 = SegmentHeader.currentFormatVersion, runID: String, segmentSequence: UInt64,
        firstRecordSequence: UInt64, wallAnchorNanoseconds: Int64, monotonicAnchorNanoseconds: Int64,
        recorderID: String = ""
    ) {
        self.recorderID = recorderID
        self.formatVersion = formatVersion
        self.runID = runID
        self.segmentSequence = segmentSequence
        self.firstRecordSequence = firstRecordSequence
        self.wallAnchorNanoseconds = wallAnchorNanoseconds
        self.monotonicAnchorNanoseconds = monotonicAnchorNanoseconds
    }

    /// Maps a monotonic timestamp of this segment to wall-clock nanoseconds.
    @inlinable
    public func wallClock(monotonic: Int64) -> Int64 {
        wallAnchorNanoseconds &+ (monotonic &- monotonicAnchorNanoseconds)
    }

    /// Header field numbers (docs/FORMAT.md).
    enum Field {
        static let runID: UInt64 = 1
        static let segmentSequence: UInt64 = 2
        static let firstRecordSequence: UInt64 = 3
        static let wallAnchor: UInt64 = 4
        static let monotonicAnchor: UInt64 = 5
        static let recorderID: UInt64 = 6
    }

    /// Appends magic, version, header length and header fields to `buffer`.
    package func write(to buffer: RecordBuffer) {
        let fields = RecordBuffer(capacity: 64 + runID.utf8.count + recorderID.utf8.count)
        fields.appendVarint(WireType.inlineString.tag(Field.runID))
        fields.appendVarint(UInt64(runID.utf8.count))
        fields.appendUTF8(runID)
        fields.appendVarint(WireType.varint.tag(Field.segmentSequence))
        fields.appendVarint(segmentSequence)
        fields.appendVarint(WireType.varint.tag(Field.firstRecordSequence))
        fields.appendVarint(firstRecordSequence)
        fields.appendVarint(WireType.signedVarint.tag(Field.wallAnchor))
        fields.appendSignedVarint(wallAnchorNanoseconds)
        fields.appendVarint(WireType.signedVarint.tag(Field.monotonicAnchor))
        fields.appendSignedVarint(monotonicAnchorNanoseconds)
        if formatVersion >= 3 && !recorderID.isEmpty {
            fields.appendVarint(WireType.inlineString.tag(Field.recorderID))
            fields.appendVarint(UInt64(recorderID.utf8.count))
            fields.appendUTF8(recorderID)
        }
        SegmentHeader.magic.withUnsafeBytes { buffer.append($0) }
        buffer.appendVarint(formatVersion)
        buffer.appendVarint(UInt64(fields.count))
        buffer.append(fields.bytes)
    }
}
