extension SegmentDecoder {
    /// Decodes `content` as ``decode(_:samplesOnly:segment:visit:visitSample:)``
    /// does, but hands each telemetry sample over as its energy fields
    /// only, with its source as the number `sourceID` gives its name (asked
    /// once per source and segment, not per sample): no ``TelemetrySample``
    /// or string is made per sample. Samples without any energy field are
    /// visited with no field present (their times still count).
    package static func decodeEnergy(
        _ content: UnsafeRawBufferPointer, samplesOnly: Bool, segment: (SegmentHeader) -> Void,
        visit: (TraceEvent) -> Void, sourceID: (String?) -> Int,
        visitEnergy: (_ sequence: UInt64, _ timestamp: Int64, _ source: Int, _ fields: EnergyFields) -> Void
    ) throws(SegmentDecodingError) -> DecodedSegment {
        var reader = ByteReader(content)
        let header = try readHeader(&reader)
        segment(header)
        var segment = DecodedSegment(header: header, events: [], unknownRecords: 0, problem: nil)
        var strings: [String] = []
        // The caller's number of each source key (string index + 1; 0 for
        // none), -1 until asked.
        var sourceIDs: [Int] = [-1]
        var timestamp = header.monotonicAnchorNanoseconds
        var sequence = header.firstRecordSequence
        var recordIndex = 0
        let channels: SampleChannelTable? = header.formatVersion >= 2 ? SampleChannelTable() : nil
        var fields = EnergyFields()
        while !reader.isAtEnd {
            do throws(SegmentDecodingError) {
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
                    strings.append(String(decoding: body, as: UTF8.self))
                    sourceIDs.append(-1)
                } else {
                    var bodyReader = ByteReader(body)
                    timestamp &+= try bodyReader.readSignedVarint()
                    if samplesOnly && kind != .sample {
                        sequence += 1
                        recordIndex += 1
                        continue
                    }
                    let wallClock = header.wallClock(monotonic: timestamp)
                    if kind == .sample, let channels {
                        // The hot path: no string table, no closure.
                        var decoder = RecordFieldDecoder(
                            reader: bodyReader, strings: UnsafeBufferPointer(start: nil, count: 0), bodyOffset: bodyOffset)
                        let key = Int(try decoder.energyV2(channels: channels, definedStrings: strings.count, into: &fields))
                        if sourceIDs[key] < 0 { sourceIDs[key] = sourceID(key == 0 ? nil : strings[key - 1]) }
                        visitEnergy(sequence, wallClock, sourceIDs[key], fields)
                    } else {
                        try strings.withUnsafeBufferPointer { table throws(SegmentDecodingError) in
                            var decoder = RecordFieldDecoder(reader: bodyReader, strings: table, bodyOffset: bodyOffset)
                            if kind == .sample {
                                let sample = try decoder.sample()
                                visitEnergy(sequence, wallClock, sourceID(sample.source), EnergyFields(sample))
                            } else {
                                visit(TraceEvent(runID: header.runID, sequence: sequence, timestamp: wallClock,
                                                 payload: try decoder.payload(of: kind)))
                            }
                        }
                    }
                    segment.eventCount += 1
                    sequence += 1
                }
                recordIndex += 1
            } catch {
                segment.problem = (recordIndex, error)
                break
            }
        }
        return segment
    }
}
