import Foundation
import Testing
@testable import TraceLog

/// The two-thread energy pass hands a large segment over in batches of at
/// most ``DecodedBatch/sampleLimit`` samples; the visits are those of the
/// events read whole, in the same order.
@Suite struct PipelinedBatchTests {
    @Test func largeSegmentsAreVisitedInRecordOrderWhateverTheirBatches() throws {
        // Segments of 3 batches and a bit, three sources (one first met in
        // a later batch), events between the samples and at the ends.
        let perSegment = DecodedBatch.sampleLimit * 3 + 917
        var payloads: [(EventPayload, Int64)] = []
        for i in 0..<(perSegment * 2 + 5) {
            let t = Int64(i) * 1_000_000
            if i % 5_003 == 0 {
                payloads.append((.queryStart(QueryStart(queryID: "q\(i)")), t))
            } else {
                let source = i > DecodedBatch.sampleLimit + 100 && i % 7 == 0 ? "late" : (i % 2 == 0 ? "gpu0" : "cpu0")
                payloads.append((.sample(TelemetrySample(source: source, gpuEnergyJoules: Double(i))), t))
            }
        }
        let (bytes, _) = LogBuilder().build(payloads, eventsPerSegment: perSegment)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pipelined-\(UUID().uuidString).zst")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }

        let whole = LogReader.read([url.path]).runs.flatMap(\.events)
        var expected: [String] = []
        for event in whole {
            if case .sample(let sample) = event.payload {
                expected.append("s \(event.sequence) \(sample.source ?? "-") \(sample.gpuEnergyJoules ?? -1)")
            } else {
                expected.append("e \(event.sequence)")
            }
        }
        var names: [String?] = []
        var visited: [String] = []
        var segments = 0
        let pass = LogStream.forEachEnergy(in: [url.path], segment: { _ in segments += 1 }, { event in
            visited.append("e \(event.sequence)")
        }, sourceID: { name in
            if let index = names.firstIndex(of: name) { return index }
            names.append(name)
            return names.count - 1
        }, visitEnergy: { sequence, _, source, fields in
            visited.append("s \(sequence) \(names[source] ?? "-") \(fields.gpuEnergy)")
        })
        #expect(pass.diagnostics.isEmpty)
        #expect(segments == 3)
        #expect(visited.count == payloads.count)
        #expect(visited == expected)
    }
}
