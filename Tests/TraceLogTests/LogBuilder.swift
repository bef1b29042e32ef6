import TraceLog

/// Builds log bytes from payloads without the recorder: segments of
/// `eventsPerSegment` events, each compressed into its own frame.
struct LogBuilder {
    var runID = "run-test"
    var anchor = ClockAnchor(wallNanoseconds: 1_732_238_400_000_000_000, monotonicNanoseconds: 5_000)

    /// Returns the file bytes and the frame offsets.
    func build(_ payloads: [(EventPayload, Int64)], eventsPerSegment: Int) -> (bytes: [UInt8], frameOffsets: [Int]) {
        var encoder = SegmentEncoder(runID: runID, anchor: anchor, buffer: RecordBuffer(capacity: 1024))
        let compressor = ZstdCompressor(level: 1)
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        func close() {
            if let content = encoder.closeSegment(continuingIn: { RecordBuffer(capacity: 1024) }) {
                offsets.append(bytes.count)
                bytes += try! compressor.compress(content.bytes) as [UInt8]
            }
        }
        for (i, (payload, t)) in payloads.enumerated() {
            encoder.append(payload, monotonic: t)
            if (i + 1) % eventsPerSegment == 0 { close() }
        }
        close()
        return (bytes, offsets)
    }

    /// Scans `bytes` as a file.
    static func scan(_ bytes: [UInt8], path: String = "test.zst") -> LogFileContents {
        bytes.withUnsafeBytes { LogFileScanner.scan($0, path: path) }
    }
}
