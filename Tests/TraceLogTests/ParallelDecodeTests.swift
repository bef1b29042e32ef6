import Testing
@testable import TraceLog

@Suite struct ParallelDecodeTests {
    func log(segments: Int, perSegment: Int) -> (bytes: [UInt8], payloads: [EventPayload]) {
        let random = RandomEvents(rng: SeededGenerator(seed: 11))
        let payloads = (0..<segments * perSegment).map { _ in random.payload() }
        let (bytes, _) = LogBuilder().build(
            payloads.enumerated().map { ($1, Int64($0) * 1_000_000) }, eventsPerSegment: perSegment)
        return (bytes, payloads)
    }

    func scan(_ bytes: [UInt8], workers: Int) -> LogFileContents {
        bytes.withUnsafeBytes { LogFileScanner.scan($0, path: "p.zst", workers: workers) }
    }

    @Test(arguments: [2, 3, 8])
    func parallelDecodingYieldsTheSameEventsInTheSameOrder(workers: Int) {
        let (bytes, payloads) = log(segments: 13, perSegment: 17)
        let sequential = scan(bytes, workers: 1)
        let parallel = scan(bytes, workers: workers)
        #expect(parallel.segments.map(\.frameIndex) == Array(0..<13))
        #expect(parallel.segments.map(\.byteOffset) == sequential.segments.map(\.byteOffset))
        #expect(parallel.segments.map(\.compressedBytes) == sequential.segments.map(\.compressedBytes))
        #expect(parallel.segments.flatMap(\.segment.events) == sequential.segments.flatMap(\.segment.events))
        #expect(parallel.segments.flatMap(\.segment.events).map(\.payload) == payloads)
        #expect(parallel.diagnostics.isEmpty && parallel.isIntact)
    }

    @Test func aDamagedFileFallsBackToTheSequentialScanAndItsDiagnostics() {
        let (bytes, _) = log(segments: 5, perSegment: 10)
        var damaged = bytes
        damaged[bytes.count / 2] ^= 0x5A
        let sequential = scan(damaged, workers: 1)
        let parallel = scan(damaged, workers: 4)
        #expect(parallel.diagnostics == sequential.diagnostics)
        #expect(parallel.damagedFrames == sequential.damagedFrames)
        #expect(parallel.segments.flatMap(\.segment.events) == sequential.segments.flatMap(\.segment.events))
        let torn = Array(bytes.dropLast(7))
        #expect(scan(torn, workers: 4).diagnostics == scan(torn, workers: 1).diagnostics)
    }
}

@Suite struct InternCacheTests {
    /// Equal strings with different storage, strings reused after a segment
    /// closes, and colliding slots all intern to the same ids as before.
    @Test func internedStringsRoundTripWhateverTheirStorage() throws {
        var encoder = SegmentEncoder(runID: "r", anchor: ClockAnchor(wallNanoseconds: 0, monotonicNanoseconds: 0),
                                     buffer: RecordBuffer(capacity: 256))
        var payloads: [EventPayload] = []
        let long = String(repeating: "tool-name-", count: 5)
        for i in 0..<500 {
            let copy = String(decoding: Array(long.utf8), as: UTF8.self)  // same contents, new storage
            let query = "q\(i % 97)"
            payloads.append(.toolStart(ToolStart(spanID: "s\(i)", queryID: query, tool: i % 2 == 0 ? long : copy)))
            payloads.append(.sample(TelemetrySample(source: i % 3 == 0 ? "gpu0" : "cpu-package-\(i % 5)")))
        }
        var contents: [UInt8] = []
        var segments: [[UInt8]] = []
        for (i, payload) in payloads.enumerated() {
            encoder.append(payload, monotonic: Int64(i))
            if i % 150 == 149, let closed = encoder.closeSegment(continuingIn: { RecordBuffer(capacity: 256) }) {
                segments.append(Array(closed.bytes))
            }
        }
        if let closed = encoder.closeSegment(continuingIn: { RecordBuffer(capacity: 256) }) { segments.append(Array(closed.bytes)) }
        var decoded: [EventPayload] = []
        for segment in segments {
            contents = segment
            let result = try contents.withUnsafeBytes { raw in try SegmentDecoder.decode(raw) }
            #expect(result.problem == nil)
            decoded += result.events.map(\.payload)
        }
        #expect(decoded == payloads)
    }
}
