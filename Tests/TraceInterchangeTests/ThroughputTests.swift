import Foundation
import Testing
import TraceInterchange
import TraceLog

@Suite("Throughput")
struct ThroughputTests {
    /// Runs only when `INTERCHANGE_THROUGHPUT` is set, and is meaningful only
    /// in a release build: `INTERCHANGE_THROUGHPUT=1 swift test -c release
    /// --filter ThroughputTests`.
    @Test(
        "decoding reaches one million lines per second",
        .enabled(if: ProcessInfo.processInfo.environment["INTERCHANGE_THROUGHPUT"] != nil))
    func decodeThroughput() throws {
        var random = RandomEvents(seed: 99, presence: 0.6)
        let encoder = InterchangeEncoder()
        var text: [UInt8] = []
        var lineRanges: [Range<Int>] = []
        for sequence in 0..<200_000 {
            let start = text.count
            encoder.encode(random.event(sequence: UInt64(sequence)), into: &text)
            lineRanges.append(start..<text.count)
            text.append(0x0A)
        }
        var decoder = InterchangeDecoder()
        var decoded = 0
        let started = ContinuousClock.now
        try text.withUnsafeBufferPointer { buffer in
            for range in lineRanges where try decoder.decode(UnsafeBufferPointer(rebasing: buffer[range])) != nil {
                decoded += 1
            }
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        let rate = Double(decoded) / seconds
        print("decoded \(decoded) lines (\(text.count) bytes) in \(seconds) s: \(Int(rate)) lines/s")
        #expect(rate >= 1_000_000)
    }
}
