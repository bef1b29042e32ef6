import Testing
import TraceInterchange
import TraceLog

@Suite("Round trip: decode(encode(event)) gives back the event")
struct RoundTripTests {
    static let timeFieldChoices: [InterchangeEncoder.TimeFields] = [.seconds, .nanoseconds, .both]

    @Test("random events, every kind, fields set or nil", arguments: timeFieldChoices)
    func randomEvents(timeFields: InterchangeEncoder.TimeFields) throws {
        var random = RandomEvents(seed: 0x5EED_0001)
        let encoder = InterchangeEncoder(timeFields: timeFields)
        var decoder = InterchangeDecoder()
        var kindsSeen = Set<UInt8>()
        for sequence in 0..<5000 {
            let event = random.event(sequence: UInt64(sequence))
            kindsSeen.insert(event.payload.kind.rawValue)
            let line = encoder.encode(event)
            #expect(!line.contains("\n"), "a line must not contain a raw newline: \(line)")
            let decoded = try #require(try decoder.decode(line), "\(line)")
            #expect(decoded.timestamp == event.timestamp, "\(line)")
            #expect(samePayload(decoded.payload, event.payload), "\(line)\n\(decoded.payload)\n\(event.payload)")
            // Printing again gives the same bytes.
            #expect(encoder.encode(timestamp: decoded.timestamp, payload: decoded.payload) == line)
        }
        #expect(kindsSeen.count == 9)
    }

    @Test("every field set, for every kind")
    func allFieldsSet() throws {
        var random = RandomEvents(seed: 42, presence: 1)
        var decoder = InterchangeDecoder()
        var kindsSeen = Set<UInt8>()
        var count = 0
        while kindsSeen.count < 9 || count < 500 {
            let event = random.event(sequence: 0)
            kindsSeen.insert(event.payload.kind.rawValue)
            let line = InterchangeEncoder().encode(event)
            #expect(!line.contains("null"))
            let decoded = try #require(try decoder.decode(line))
            #expect(samePayload(decoded.payload, event.payload), "\(line)")
            count += 1
        }
    }

    @Test("every field nil, for every kind")
    func allFieldsNil() throws {
        let payloads: [EventPayload] = [
            .runStart(RunStart()), .queryStart(QueryStart()), .queryEnd(QueryEnd()),
            .inferenceStart(InferenceStart()), .inferenceEnd(InferenceEnd()), .toolStart(ToolStart()),
            .toolEnd(ToolEnd()), .sample(TelemetrySample()), .mark(Mark()),
        ]
        var decoder = InterchangeDecoder()
        for payload in payloads {
            let line = InterchangeEncoder().encode(timestamp: 5, payload: payload)
            #expect(line == "{\"type\":\"\(payload.kind.interchangeName)\",\"t\":0.000000005}")
            let decoded = try #require(try decoder.decode(line))
            #expect(decoded == DecodedLine(timestamp: 5, payload: payload))
        }
    }

    @Test("a line without a time decodes with a nil timestamp")
    func noTimestamp() throws {
        let line = InterchangeEncoder().encode(timestamp: nil, payload: .mark(Mark(name: "x")))
        #expect(line == #"{"type":"mark","name":"x"}"#)
        var decoder = InterchangeDecoder()
        #expect(try decoder.decode(line) == DecodedLine(timestamp: nil, payload: .mark(Mark(name: "x"))))
    }
}
