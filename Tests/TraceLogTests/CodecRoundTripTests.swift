import Testing
import TraceLog

@Suite struct CodecRoundTripTests {
    @Test(arguments: [1 as UInt64, 2, 3, 42, 2024])
    func randomEventsRoundTripThroughSegments(seed: UInt64) throws {
        let random = RandomEvents(rng: SeededGenerator(seed: seed))
        var t: Int64 = 10_000
        var input: [(EventPayload, Int64)] = []
        for _ in 0..<500 {
            // Timestamps mostly advance but sometimes go backwards (arrival
            // order differs from timestamp order).
            t += Int64.random(in: -2_000_000...50_000_000, using: &random.rng)
            input.append((random.payload(), t))
        }
        let builder = LogBuilder()
        let eventsPerSegment = Int.random(in: 1...120, using: &random.rng)
        let (bytes, offsets) = builder.build(input, eventsPerSegment: eventsPerSegment)
        let contents = LogBuilder.scan(bytes)
        #expect(contents.diagnostics.isEmpty)
        #expect(contents.isIntact)
        #expect(contents.segments.count == offsets.count)
        let events = contents.segments.flatMap(\.segment.events)
        try #require(events.count == input.count)
        for (i, event) in events.enumerated() {
            #expect(event.payload == input[i].0, "event \(i)")
            #expect(event.sequence == UInt64(i))
            #expect(event.runID == builder.runID)
            #expect(event.timestamp == builder.anchor.wallNanoseconds + (input[i].1 - builder.anchor.monotonicNanoseconds))
        }
        for (i, segment) in contents.segments.enumerated() {
            #expect(segment.segment.header.segmentSequence == UInt64(i))
            #expect(segment.byteOffset == offsets[i])
        }
    }

    @Test func varintsRoundTripAtTheEdges() throws {
        let values: [Int64] = [0, 1, -1, 63, -64, 64, 127, 128, -129, 1 << 35, Int64.max, Int64.min]
        let buffer = RecordBuffer(capacity: 16)
        for v in values { buffer.appendSignedVarint(v) }
        var decoded: [Int64] = []
        var position = 0
        let bytes = Array(buffer.bytes)
        while position < bytes.count {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let b = bytes[position]
                position += 1
                result |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { break }
                shift += 7
            }
            decoded.append(Varint.unzigzag(result))
        }
        #expect(decoded == values)
        #expect(Varint.length(of: UInt64.max) == 10)
    }

    @Test func longRecordsWidenTheirLengthPrefix() throws {
        let text = String(repeating: "x", count: 70_000)
        let payload = EventPayload.queryStart(QueryStart(queryID: "q", text: text))
        let (bytes, _) = LogBuilder().build([(payload, 1), (.mark(Mark(name: "after")), 2)], eventsPerSegment: 10)
        let events = LogBuilder.scan(bytes).segments.flatMap(\.segment.events)
        #expect(events.map(\.payload) == [payload, .mark(Mark(name: "after"))])
    }
}
