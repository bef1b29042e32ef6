/// The result of decoding one segment's content.
public struct DecodedSegment: Sendable {
    /// The segment's header.
    public var header: SegmentHeader
    /// Its events, in record order.
    public var events: [TraceEvent]
    /// Records of kinds this reader does not know, skipped by length.
    public var unknownRecords: Int
    /// A problem that stopped decoding before the end of the content;
    /// the events before it are kept. `recordIndex` counts all records.
    public var problem: (recordIndex: Int, error: SegmentDecodingError)?
    /// How many events were decoded (the length of `events` when they are
    /// gathered).
    public var eventCount = 0
}

/// Decodes segment content (the decompressed bytes of one frame).
package enum SegmentDecoder {
    /// Decodes `content`. Throws only when the header itself is unreadable;
    /// a bad record later on ends decoding with ``DecodedSegment/problem``
    /// set, keeping every event before it.
    package static func decode(_ content: UnsafeRawBufferPointer) throws(SegmentDecodingError) -> DecodedSegment {
        var events: [TraceEvent] = []
        var runID = ""
        var segment = try decode(content, samplesOnly: false, segment: { runID = $0.runID }) {
            events.append($0)
        } visitSample: { sequence, timestamp, sample in
            events.append(TraceEvent(runID: runID, sequence: sequence, timestamp: timestamp, payload: .sample(sample)))
        }
        segment.events = events
        return segment
    }

    /// Decodes `content`, handing each event to a visitor in record order
    /// instead of gathering them: telemetry samples go to `visitSample` as
    /// they are (with the sequence number and the wall-clock timestamp, not
    /// wrapped in a ``TraceEvent``: the cheapest way to read the telemetry of
    /// a long log), every other event to `visit`. `segment` is given the
    /// segment's header before any of its events. The returned segment's
    /// `events` is empty and ``DecodedSegment/eventCount`` says how many
    /// were visited.
    ///
    /// With `samplesOnly`, records of other kinds are skipped after reading
    /// their timestamp (which later records are coded against) and are
    /// neither decoded nor visited, nor counted in `eventCount`; sequence
    /// numbers still count them. Problems in a skipped record's other
    /// fields then go unnoticed.
    package static func decode(
        _ content: UnsafeRawBufferPointer, samplesOnly: Bool, segment: (SegmentHeader) -> Void,
        visit: (TraceEvent) -> Void,
        visitSample: (_ sequence: UInt64, _ timestamp: Int64, _ sample: TelemetrySample) -> Void
    ) throws(SegmentDecodingError) -> DecodedSegment {
        // Reused for every version-2 sample (see ``RecordFieldDecoder/sampleV2(channels:into:)``).
        var sample = TelemetrySample()
        return try walkRecords(content, samplesOnly: samplesOnly, segment: segment) {
            header, channels, kind, fields, bodyOffset, sequence, wallClock, strings throws(SegmentDecodingError) in
            // The decoder reads the string table in place (no copy of the
            // array, no reference count traffic per record).
            try strings.withUnsafeBufferPointer { table throws(SegmentDecodingError) in
                var decoder = RecordFieldDecoder(reader: fields, strings: table, bodyOffset: bodyOffset)
                if kind == .sample {
                    if let channels {
                        try decoder.sampleV2(channels: channels, into: &sample)
                    } else {
                        sample = try decoder.sample()
                    }
                    visitSample(sequence, wallClock, sample)
                } else {
                    let payload = try decoder.payload(of: kind)
                    visit(TraceEvent(runID: header.runID, sequence: sequence, timestamp: wallClock,
                                     payload: payload, senderPID: decoder.sender))
                }
            }
        }
    }

    /// The record framing every decoder shares: reads the header (and hands
    /// it to `segment`), keeps the string table, advances the timestamp and
    /// the sequence, skips unknown kinds (counted) and, with `samplesOnly`,
    /// other kinds than samples, and gives each remaining record to `record`
    /// with its fields after the timestamp delta; a record that fails ends
    /// the walk with ``DecodedSegment/problem`` set, the records before it
    /// kept. `channels` is the segment's version-2 sample channel table.
    @inline(__always)
    static func walkRecords(
        _ content: UnsafeRawBufferPointer, samplesOnly: Bool, segment: (SegmentHeader) -> Void,
        record: (
            _ header: SegmentHeader, _ channels: SampleChannelTable?, _ kind: RecordKind, _ fields: ByteReader,
            _ bodyOffset: Int, _ sequence: UInt64, _ wallClock: Int64, _ strings: [String]
        ) throws(SegmentDecodingError) -> Void
    ) throws(SegmentDecodingError) -> DecodedSegment {
        var reader = ByteReader(content)
        let header = try readHeader(&reader)
        segment(header)
        var segment = DecodedSegment(header: header, events: [], unknownRecords: 0, problem: nil)
        var strings: [String] = []
        var timestamp = header.monotonicAnchorNanoseconds
        var sequence = header.firstRecordSequence
        var recordIndex = 0
        // Version 2 codes telemetry values against per-segment channels.
        let channels: SampleChannelTable? = header.formatVersion >= 2 ? SampleChannelTable() : nil
        while !reader.isAtEnd {
            do throws(SegmentDecodingError) {
                // What a segment may hold is bounded by what it holds, not by
                // what it claims: tiny records cost far more in memory than in
                // the segment (docs/BAD-INPUT.md).
                guard recordIndex < SegmentLimits.records else {
                    throw .malformed("more than \(SegmentLimits.records) records in one segment (the limit)", at: reader.position)
                }
                let kindByte = try reader.readByte()
                let length = try reader.readVarint()
                let body = try reader.readBytes(length)
                let bodyOffset = reader.position - body.count
                guard let kind = RecordKind(rawValue: kindByte) else {
                    segment.unknownRecords += 1
                    recordIndex += 1
                    continue
                }
                if kind == .stringDefinition {
                    guard strings.count < SegmentLimits.strings else {
                        throw .malformed("more than \(SegmentLimits.strings) string-table entries in one segment (the limit)", at: bodyOffset)
                    }
                    strings.append(String(decoding: body, as: UTF8.self))
                } else {
                    var fields = ByteReader(body)
                    timestamp &+= try fields.readSignedVarint()
                    if samplesOnly && kind != .sample {
                        sequence &+= 1
                        recordIndex += 1
                        continue
                    }
                    try record(header, channels, kind, fields, bodyOffset, sequence,
                               header.wallClock(monotonic: timestamp), strings)
                    segment.eventCount += 1
                    sequence &+= 1
                }
                recordIndex += 1
            } catch {
                segment.problem = (recordIndex, error)
                break
            }
        }
        return segment
    }

    static func readHeader(_ reader: inout ByteReader) throws(SegmentDecodingError) -> SegmentHeader {
        guard reader.remaining >= 4 else { throw .badMagic }
        for byte in SegmentHeader.magic where try reader.readByte() != byte { throw .badMagic }
        let version = try reader.readVarint()
        guard version >= 1, version <= SegmentHeader.currentFormatVersion else { throw .unsupportedVersion(version) }
        let length = try reader.readVarint()
        let headerOffset = reader.position
        var fields = ByteReader(try reader.readBytes(length))
        var header = SegmentHeader(
            formatVersion: version, runID: "", segmentSequence: 0, firstRecordSequence: 0,
            wallAnchorNanoseconds: 0, monotonicAnchorNanoseconds: 0)
        while !fields.isAtEnd {
            let tag = try fields.readVarint()
            switch (tag >> 3, tag & 7) {
            case (SegmentHeader.Field.runID, UInt64(WireType.inlineString.rawValue)):
                header.runID = try fields.readString(try fields.readVarint())
            case (SegmentHeader.Field.segmentSequence, UInt64(WireType.varint.rawValue)):
                header.segmentSequence = try fields.readVarint()
            case (SegmentHeader.Field.firstRecordSequence, UInt64(WireType.varint.rawValue)):
                header.firstRecordSequence = try fields.readVarint()
            case (SegmentHeader.Field.wallAnchor, UInt64(WireType.signedVarint.rawValue)):
                header.wallAnchorNanoseconds = try fields.readSignedVarint()
            case (SegmentHeader.Field.monotonicAnchor, UInt64(WireType.signedVarint.rawValue)):
                header.monotonicAnchorNanoseconds = try fields.readSignedVarint()
            case (SegmentHeader.Field.recorderID, UInt64(WireType.inlineString.rawValue)) where version >= 3:
                header.recorderID = try fields.readString(try fields.readVarint())
            default:
                try RecordFieldDecoder.skip(wireType: tag & 7, in: &fields, offset: headerOffset)
            }
        }
        return header
    }
}

/// Limits on what one segment may hold. A segment the recorder writes
/// (1 MiB of content by default) holds far fewer; a crafted one of tiny
/// records could otherwise cost gigabytes to decode. Past a limit the rest
/// of the segment is skipped with an error naming the record, the records
/// before it kept.
public enum SegmentLimits {
    /// Records (events, string definitions, unknown kinds) per segment: 1,048,576.
    public static let records = 1 << 20
    /// String-table entries per segment: 262,144 (a full 1 MiB segment of
    /// distinct ids defines a few tens of thousands).
    public static let strings = 1 << 18
}
