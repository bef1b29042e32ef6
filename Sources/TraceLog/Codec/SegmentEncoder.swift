/// Encodes events into segment content: a header followed by records, in
/// the current format version (``SegmentHeader/currentFormatVersion``).
///
/// The encoder interns strings per segment (emitting a string-definition
/// record the first time a string is used in the segment), stores
/// timestamps as deltas from the previous record, codes each telemetry
/// value against the previous value of its (source, field) channel, and
/// length-prefixes every record. It does no I/O and no compression; the recorder calls
/// ``append(_:monotonic:)`` on the caller's thread and hands closed
/// segments to a background writer.
///
/// Steady-state appends allocate nothing: the buffer and the string table
/// keep their capacity across segments.
@usableFromInline package struct SegmentEncoder: Sendable {
    /// The run every segment belongs to.
    @usableFromInline package let runID: String
    /// The recorder identity written in every header.
    @usableFromInline package let recorderID: String
    /// The clock anchor written into every segment header.
    @usableFromInline package let anchor: ClockAnchor

    @usableFromInline var buffer: RecordBuffer
    @usableFromInline var strings: [String: UInt32]
    /// A direct-mapped cache in front of ``strings``, keyed by a string's
    /// raw representation, so that strings the caller passes again (the
    /// same literal, the same stored id) are found without hashing their
    /// contents. See ``InternCache``.
    @usableFromInline var cache: InternCache
    /// Per-segment prediction state of the telemetry value channels
    /// (format version 2, docs/FORMAT.md §3.1).
    @usableFromInline var channels: SampleChannelTable
    @usableFromInline var lastTimestamp: Int64
    @usableFromInline var recordsInSegment: Int
    /// Sequence number the next closed segment gets.
    @usableFromInline package private(set) var nextSegmentSequence: UInt64
    /// Sequence number the next event record gets.
    @usableFromInline var nextRecordSequence: UInt64

    /// Creates an encoder writing into `buffer`.
    @usableFromInline package init(
        runID: String, anchor: ClockAnchor, buffer: RecordBuffer, firstSegmentSequence: UInt64 = 0, recorderID: String = ""
    ) {
        self.runID = runID
        self.recorderID = recorderID
        self.anchor = anchor
        self.buffer = buffer
        self.strings = [:]
        self.strings.reserveCapacity(256)
        self.cache = InternCache()
        self.channels = SampleChannelTable()
        self.lastTimestamp = anchor.monotonicNanoseconds
        self.recordsInSegment = 0
        self.nextSegmentSequence = firstSegmentSequence
        self.nextRecordSequence = 0
    }

    /// Whether the open segment holds no event yet.
    @inlinable package var isEmpty: Bool { recordsInSegment == 0 }
    /// Bytes of content in the open segment (header included).
    @inlinable package var byteCount: Int { buffer.count }
    /// Event records appended so far, in all segments.
    @inlinable package var recordCount: UInt64 { nextRecordSequence }

    /// Closes the open segment and returns its content, continuing in
    /// `freshBuffer`. Returns nil (and keeps the current buffer) when the
    /// segment is empty.
    @usableFromInline package mutating func closeSegment(continuingIn freshBuffer: () -> RecordBuffer) -> RecordBuffer? {
        guard recordsInSegment > 0 else { return nil }
        let full = buffer
        buffer = freshBuffer()
        buffer.removeAll()
        recordsInSegment = 0
        nextSegmentSequence += 1
        return full
    }

    @usableFromInline
    mutating func openSegment() {
        buffer.removeAll()
        strings.removeAll(keepingCapacity: true)
        cache.removeAll()
        channels.removeAll()
        lastTimestamp = anchor.monotonicNanoseconds
        SegmentHeader(
            runID: runID, segmentSequence: nextSegmentSequence, firstRecordSequence: nextRecordSequence,
            wallAnchorNanoseconds: anchor.wallNanoseconds, monotonicAnchorNanoseconds: anchor.monotonicNanoseconds,
            recorderID: recorderID
        ).write(to: buffer)
    }

    // MARK: - Strings

    /// The string-table index of `string` in the open segment, defining it
    /// first when new.
    @inlinable @inline(__always)
    mutating func intern(_ string: String) -> UInt64 {
        if let id = cache.lookup(string) { return UInt64(id) }
        return internSlow(string)
    }

    @usableFromInline
    mutating func internSlow(_ string: String) -> UInt64 {
        let id: UInt32
        if let known = strings[string] {
            id = known
        } else {
            id = UInt32(define(string))
        }
        cache.insert(string, id: id)
        return UInt64(id)
    }

    @usableFromInline
    mutating func define(_ string: String) -> UInt64 {
        let id = UInt32(strings.count)
        strings[string] = id
        buffer.append(RecordKind.stringDefinition.rawValue)
        buffer.appendVarint(UInt64(string.utf8.count))
        buffer.appendUTF8(string)
        return UInt64(id)
    }

    @inlinable @inline(__always)
    mutating func intern(_ string: String?) -> UInt64? {
        guard let string else { return nil }
        return intern(string)
    }

    // MARK: - Records

    @inlinable @inline(__always)
    mutating func beginRecord(_ kind: RecordKind, monotonic timestamp: Int64) -> Int {
        buffer.append(kind.rawValue)
        let lengthOffset = buffer.count
        buffer.append(0)
        buffer.appendSignedVarint(timestamp &- lastTimestamp)
        lastTimestamp = timestamp
        return lengthOffset
    }

    @inlinable @inline(__always)
    mutating func endRecord(lengthOffset: Int, sender: UInt64 = 0) {
        if sender != 0 {
            buffer.appendVarint(WireType.varint.tag(FieldNumber.senderPID))
            buffer.appendVarint(sender)
        }
        let bodyStart = lengthOffset + 1
        let bodyLength = UInt64(buffer.count - bodyStart)
        if bodyLength < 0x80 {
            buffer.base.storeBytes(of: UInt8(bodyLength), toByteOffset: lengthOffset, as: UInt8.self)
        } else {
            buffer.shiftTail(from: bodyStart, by: Varint.length(of: bodyLength) - 1)
            buffer.storeVarint(bodyLength, at: lengthOffset)
        }
        recordsInSegment += 1
        nextRecordSequence += 1
    }

    @inlinable @inline(__always)
    func field(_ number: UInt64, reference: UInt64?) {
        guard let reference else { return }
        buffer.appendVarint(WireType.stringReference.tag(number))
        buffer.appendVarint(reference)
    }

    @inlinable
    func field(_ number: UInt64, inline text: String?) {
        guard let text else { return }
        buffer.appendVarint(WireType.inlineString.tag(number))
        buffer.appendVarint(UInt64(text.utf8.count))
        buffer.appendUTF8(text)
    }

    @inlinable @inline(__always)
    func field(_ number: UInt64, _ value: Double?) {
        guard let value else { return }
        buffer.appendVarint(WireType.double.tag(number))
        buffer.appendDouble(value)
    }

    @inlinable @inline(__always)
    func field(_ number: UInt64, _ value: Int64?) {
        guard let value else { return }
        buffer.appendVarint(WireType.signedVarint.tag(number))
        buffer.appendSignedVarint(value)
    }

    @inlinable @inline(__always)
    func field(_ number: UInt64, _ value: Bool?) {
        guard let value else { return }
        buffer.appendVarint(WireType.varint.tag(number))
        buffer.append(value ? 1 : 0)
    }

    /// Appends one telemetry value of the channel `state` (docs/FORMAT.md
    /// §3.1): as the difference of its decimal integer from the channel's
    /// last one when it is decimal at the channel's current scale (the
    /// common case: one compare for a repeated value, else one multiply and
    /// one divide), otherwise via
    /// ``sampleValueSlow(_:_:into:)``.
    ///
    /// Static, with the buffer passed in, so that the encoder struct is
    /// not copied for each call.
    @inlinable @inline(__always)
    static func sampleValue(
        _ value: Double?, _ state: UnsafeMutablePointer<SampleChannelState>, into buffer: RecordBuffer
    ) {
        guard let value else { return }
        let bits = value.bitPattern
        if bits == state.pointee.bits && state.pointee.decimal {
            buffer.append(0)  // the same decimal value again: delta 0
            return
        }
        let p = SampleValueCoding.powerOfTen(state.pointee.scale)
        let scaled = value * p
        if abs(scaled) <= SampleValueCoding.maxMagnitude {
            let m = SampleValueCoding.nearestInteger(scaled)
            if (Double(m) / p).bitPattern == bits {
                buffer.appendVarint(Varint.zigzag(m &- state.pointee.last) << 1)
                state.pointee.last = m
                state.pointee.bits = bits
                state.pointee.decimal = true
                state.pointee.searchFailed = false
                return
            }
        }
        sampleValueSlow(value, state, into: buffer)
    }

    /// A value that is not decimal at its channel's scale: looks for the
    /// smallest scale at which it is (a scale change), else writes its bit
    /// pattern XORed with the channel's previous one (raw).
    @usableFromInline
    static func sampleValueSlow(
        _ value: Double, _ state: UnsafeMutablePointer<SampleChannelState>, into buffer: RecordBuffer
    ) {
        let bits = value.bitPattern
        if value.isFinite && !state.pointee.searchFailed {
            for k in 0...SampleValueCoding.maxScale where k != state.pointee.scale {
                let p = SampleValueCoding.powerOfTen(k)
                let scaled = value * p
                guard abs(scaled) <= SampleValueCoding.maxMagnitude else { break }
                let m = SampleValueCoding.nearestInteger(scaled)
                if (Double(m) / p).bitPattern == bits {
                    buffer.appendVarint(Varint.zigzag(m) << 6 | UInt64(k) << 1 | 1)
                    state.pointee.last = m
                    state.pointee.bits = bits
                    state.pointee.scale = k
                    state.pointee.decimal = true
                    return
                }
            }
            state.pointee.searchFailed = true
        }
        buffer.appendVarint(SampleValueCoding.rawCode << 1 | 1)
        buffer.appendVarint(bits ^ state.pointee.bits)
        state.pointee.bits = bits
        state.pointee.decimal = false
    }

    @inlinable
    mutating func internLabels(_ labels: [Label]) {
        for label in labels {
            _ = intern(label.key)
            _ = intern(label.value)
        }
    }

    @inlinable
    mutating func labelFields(_ number: UInt64, _ labels: [Label]) {
        for label in labels {
            buffer.appendVarint(WireType.label.tag(number))
            buffer.appendVarint(intern(label.key))
            buffer.appendVarint(intern(label.value))
        }
    }
}
