import Testing
import TraceLog

@Suite struct DamageTests {
    func sampleLog(segments: Int = 4, perSegment: Int = 25) -> (bytes: [UInt8], offsets: [Int], payloads: [EventPayload]) {
        let random = RandomEvents(rng: SeededGenerator(seed: 7))
        let payloads = (0..<segments * perSegment).map { _ in random.payload() }
        let (bytes, offsets) = LogBuilder().build(
            payloads.enumerated().map { ($1, Int64($0) * 1_000_000) }, eventsPerSegment: perSegment)
        return (bytes, offsets, payloads)
    }

    @Test func truncatingTheLastSegmentAtEveryOffsetLosesOnlyThatSegment() {
        let (bytes, offsets, payloads) = sampleLog(segments: 3, perSegment: 20)
        let lastStart = offsets.last!
        for cut in lastStart..<bytes.count {
            let contents = LogBuilder.scan(Array(bytes[..<cut]))
            let events = contents.segments.flatMap(\.segment.events)
            #expect(events.map(\.payload) == Array(payloads.prefix(40)), "cut at \(cut)")
            if cut > lastStart {
                #expect(contents.diagnostics.count == 1, "cut at \(cut)")
                #expect(contents.diagnostics.first?.byteOffset == lastStart)
                #expect(contents.diagnostics.first?.segment == 2)
                #expect(contents.diagnostics.first?.severity == .warning, "cut at \(cut): \(contents.diagnostics)")
                #expect(contents.diagnostics.first?.message.contains("torn final frame") == true)
            } else {
                #expect(contents.diagnostics.isEmpty)
            }
        }
    }

    @Test func aCorruptedByteInAMiddleSegmentCostsOnlyThatSegment() {
        let (bytes, offsets, payloads) = sampleLog(segments: 4, perSegment: 25)
        let middle = 1
        let start = offsets[middle], end = offsets[middle + 1]
        // Flip a byte at several positions inside segment 1: header, block
        // data, checksum.
        for position in [start + 2, start + 6, (start + end) / 2, end - 2] {
            var damaged = bytes
            damaged[position] ^= 0x5A
            let contents = LogBuilder.scan(damaged)
            let events = contents.segments.flatMap(\.segment.events).map(\.payload)
            let expected = Array(payloads[0..<25]) + Array(payloads[50...])
            #expect(events == expected, "flipped byte \(position)")
            #expect(!contents.isIntact)
            let errors = contents.diagnostics.filter { $0.severity == .error }
            #expect(errors.count == 1, "flipped byte \(position): \(contents.diagnostics)")
            #expect(errors.first?.byteOffset == start)
            #expect(errors.first?.description.hasPrefix("test.zst: segment 1 (byte \(start))") == true)
        }
    }

    @Test func garbageEmptyAndNonZstdFilesGetAClearMessage() {
        let empty = LogBuilder.scan([])
        #expect(empty.segments.isEmpty)
        #expect(empty.diagnostics.map(\.message) == ["empty file: no segments"])

        let text = LogBuilder.scan(Array("hello, this is not a log\n".utf8))
        #expect(text.segments.isEmpty)
        #expect(text.diagnostics.count == 1)
        #expect(text.diagnostics[0].message.contains("not a zstd frame"))

        var rng = SeededGenerator(seed: 99)
        let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let garbage = LogBuilder.scan(noise)
        #expect(garbage.segments.isEmpty)
        #expect(!garbage.diagnostics.isEmpty)

        // A valid zstd frame whose content is not a segment.
        let compressor = ZstdCompressor(level: 1)
        let foreign = Array("{\"not\": \"a segment\"}".utf8)
        let frame = foreign.withUnsafeBytes { try! compressor.compress($0) as [UInt8] }
        let notSegment = LogBuilder.scan(frame)
        #expect(notSegment.segments.isEmpty)
        #expect(notSegment.diagnostics.first?.message.contains("magic bytes ATRL") == true)
    }

    @Test func aFutureFormatVersionIsRefusedByNameAndOtherSegmentsSurvive() {
        let (bytes, offsets, payloads) = sampleLog(segments: 2, perSegment: 5)
        // Re-encode segment 0's content with version 99.
        let decompressor = ZstdDecompressor()
        let first = Array(bytes[offsets[0]..<offsets[1]])
        var content = first.withUnsafeBytes { raw in
            try! decompressor.decompress(raw, contentSize: Int(ZstdFrames.contentSize(raw)!)) as [UInt8]
        }
        content[4] = 99
        let frame = content.withUnsafeBytes { try! ZstdCompressor(level: 1).compress($0) as [UInt8] }
        let contents = LogBuilder.scan(frame + Array(bytes[offsets[1]...]))
        #expect(contents.segments.flatMap(\.segment.events).map(\.payload) == Array(payloads[5...]))
        #expect(contents.diagnostics.first?.message.contains("format version 99 is newer") == true)
    }

    @Test func unknownRecordKindsAreSkippedByLength() throws {
        let (bytes, _, payloads) = sampleLog(segments: 1, perSegment: 3)
        let decompressor = ZstdDecompressor()
        var content = bytes.withUnsafeBytes { raw in
            try! decompressor.decompress(raw, contentSize: Int(ZstdFrames.contentSize(raw)!)) as [UInt8]
        }
        // Append a record of a kind from the future: kind 0x7F, 3-byte body.
        content += [0x7F, 3, 1, 2, 3]
        let frame = content.withUnsafeBytes { try! ZstdCompressor(level: 1).compress($0) as [UInt8] }
        let contents = LogBuilder.scan(frame)
        #expect(contents.segments.flatMap(\.segment.events).map(\.payload) == payloads)
        #expect(contents.segments.first?.segment.unknownRecords == 1)
        #expect(contents.diagnostics.map(\.severity) == [.warning])
    }

    @Test func anAbsurdLengthIsRejectedWithoutAllocating() {
        let (bytes, _, payloads) = sampleLog(segments: 1, perSegment: 3)
        let decompressor = ZstdDecompressor()
        var content = bytes.withUnsafeBytes { raw in
            try! decompressor.decompress(raw, contentSize: Int(ZstdFrames.contentSize(raw)!)) as [UInt8]
        }
        // A record claiming a body of 2^62 bytes.
        content += [0x11] + [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]
        let frame = content.withUnsafeBytes { try! ZstdCompressor(level: 1).compress($0) as [UInt8] }
        let contents = LogBuilder.scan(frame)
        #expect(contents.segments.flatMap(\.segment.events).map(\.payload) == payloads)
        #expect(contents.diagnostics.first?.record == payloads.count + contents.diagnostics.count - 1 || contents.diagnostics.first?.record != nil)
        #expect(contents.diagnostics.first?.message.contains("runs past the end") == true)
    }

    /// A segment of millions of tiny records is cut at the documented
    /// limits, with an error naming the record, the records before kept.
    @Test func segmentsAreBoundedByRecordsAndStringEntries() {
        let (bytes, _, payloads) = sampleLog(segments: 1, perSegment: 3)
        let decompressor = ZstdDecompressor()
        let original = bytes.withUnsafeBytes { raw in
            try! decompressor.decompress(raw, contentSize: Int(ZstdFrames.contentSize(raw)!)) as [UInt8]
        }
        // Records of an unknown kind (0x7E), two bytes each, past the record limit.
        var records = original
        for _ in 0..<SegmentLimits.records { records += [0x7E, 0x00] }
        let recordFrame = records.withUnsafeBytes { try! ZstdCompressor(level: 1).compress($0) as [UInt8] }
        let cut = LogBuilder.scan(recordFrame)
        #expect(cut.segments.flatMap(\.segment.events).map(\.payload) == payloads)
        let recordError = cut.diagnostics.first { $0.message.contains("records in one segment (the limit)") }
        #expect(recordError?.record == SegmentLimits.records)
        #expect(recordError?.severity == .error)
        // Empty string definitions past the string-table limit.
        var strings = original
        for _ in 0...SegmentLimits.strings { strings += [0x01, 0x00] }
        let stringFrame = strings.withUnsafeBytes { try! ZstdCompressor(level: 1).compress($0) as [UInt8] }
        let limited = LogBuilder.scan(stringFrame)
        #expect(limited.segments.flatMap(\.segment.events).map(\.payload) == payloads)
        #expect(limited.diagnostics.contains { $0.message.contains("string-table entries in one segment (the limit)") })
    }
}
