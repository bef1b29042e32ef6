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
        // The caller's number of each source key (string index + 1; 0 for
        // none), -1 until asked.
        var sourceIDs: [Int] = [-1]
        var fields = EnergyFields()
        return try walkRecords(content, samplesOnly: samplesOnly, segment: segment) {
            header, channels, kind, bodyReader, bodyOffset, sequence, wallClock, strings throws(SegmentDecodingError) in
            if kind == .sample, let channels {
                // The hot path: no string table, no closure.
                var decoder = RecordFieldDecoder(
                    reader: bodyReader, strings: UnsafeBufferPointer(start: nil, count: 0), bodyOffset: bodyOffset)
                let key = Int(try decoder.energyV2(channels: channels, definedStrings: strings.count, into: &fields))
                if key >= sourceIDs.count { sourceIDs += Array(repeating: -1, count: strings.count + 1 - sourceIDs.count) }
                if sourceIDs[key] < 0 { sourceIDs[key] = sourceID(key == 0 ? nil : strings[key - 1]) }
                visitEnergy(sequence, wallClock, sourceIDs[key], fields)
            } else {
                try strings.withUnsafeBufferPointer { table throws(SegmentDecodingError) in
                    var decoder = RecordFieldDecoder(reader: bodyReader, strings: table, bodyOffset: bodyOffset)
                    if kind == .sample {
                        let sample = try decoder.sample()
                        visitEnergy(sequence, wallClock, sourceID(sample.source), EnergyFields(sample))
                    } else {
                        let payload = try decoder.payload(of: kind)
                        visit(TraceEvent(runID: header.runID, sequence: sequence, timestamp: wallClock,
                                         payload: payload, senderPID: decoder.sender))
                    }
                }
            }
        }
    }
}
