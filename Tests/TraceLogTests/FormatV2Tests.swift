import Testing
import TraceLog

/// Format version 2: channel-coded telemetry values, and version-1
/// segments that still decode.
@Suite struct FormatV2Tests {
    /// Encodes `samples` into one segment and decodes it back.
    func roundTrip(_ samples: [TelemetrySample], eventsPerSegment: Int = 10_000) throws -> [TelemetrySample] {
        let input = samples.enumerated().map { (EventPayload.sample($0.element), Int64($0.offset) * 50_000_000) }
        let (bytes, _) = LogBuilder().build(input, eventsPerSegment: eventsPerSegment)
        let contents = LogBuilder.scan(bytes)
        #expect(contents.isIntact)
        #expect(contents.segments.allSatisfy { $0.segment.header.formatVersion == SegmentHeader.currentFormatVersion })
        return contents.segments.flatMap(\.segment.events).compactMap {
            if case .sample(let s) = $0.payload { s } else { nil }
        }
    }

    @Test func everyWriterSegmentIsVersion3() {
        // Version 3 adds the recorder identity to the header; samples are
        // coded as in version 2.
        #expect(SegmentHeader.currentFormatVersion == 3)
    }

    @Test func specialDoublesRoundTripBitExactly() throws {
        let specials = RandomEvents.specialDoubles
        // Each special after each other special in the same channel, so every
        // transition (decimal → raw, raw → decimal, scale changes) is coded.
        var samples: [TelemetrySample] = []
        for a in specials {
            for b in specials {
                samples.append(TelemetrySample(source: "gpu0", gpuEnergyJoules: a, temperatureCelsius: b))
                samples.append(TelemetrySample(source: "gpu0", gpuEnergyJoules: b, temperatureCelsius: a))
            }
        }
        let decoded = try roundTrip(samples)
        try #require(decoded.count == samples.count)
        for (i, (d, s)) in zip(decoded, samples).enumerated() {
            #expect(d.gpuEnergyJoules?.bitPattern == s.gpuEnergyJoules?.bitPattern, "sample \(i)")
            #expect(d.temperatureCelsius?.bitPattern == s.temperatureCelsius?.bitPattern, "sample \(i)")
        }
    }

    @Test(arguments: [7 as UInt64, 8, 9])
    func randomDoublesRoundTripBitExactly(seed: UInt64) throws {
        let random = RandomEvents(rng: SeededGenerator(seed: seed))
        let sources: [String?] = ["gpu0", "cpu-package-0", nil, "dram"]
        let samples = (0..<3000).map { _ in
            TelemetrySample(
                source: sources.randomElement(using: &random.rng)!,
                gpuEnergyJoules: random.maybe { random.double() }, gpuPowerWatts: random.maybe { random.double() },
                cpuEnergyJoules: random.maybe { Double(bitPattern: random.rng.next()) },
                cpuPowerWatts: random.maybe { random.double() }, dramEnergyJoules: random.maybe { random.double() },
                dramPowerWatts: random.maybe { random.double() }, energyWrapJoules: random.maybe { random.double() },
                gpuUtilizationPercent: random.maybe { random.double() },
                cpuUtilizationPercent: random.maybe { random.double() }, memoryBytes: random.maybe { random.double() },
                temperatureCelsius: random.maybe { random.double() })
        }
        // Several segments: channel state resets at each one.
        #expect(try roundTrip(samples, eventsPerSegment: 700) == samples)
    }

    @Test func decimalReadingsTakeFewBytes() throws {
        // A counter in millijoules and a power in centiwatts, as NVML reports them.
        var samples: [TelemetrySample] = []
        for i in 0..<1000 {
            let millijoules: Int = 183_402_500 + i * 15_003
            let centiwatts: Int = 30_000 + (i % 7) * 13
            samples.append(TelemetrySample(source: "gpu0", gpuEnergyJoules: Double(millijoules) / 1000,
                gpuPowerWatts: Double(centiwatts) / 100, temperatureCelsius: 71))
        }
        let input = samples.map { (EventPayload.sample($0), Int64(0)) }
        var encoder = SegmentEncoder(runID: "r", anchor: ClockAnchor(wallNanoseconds: 0, monotonicNanoseconds: 0),
            buffer: RecordBuffer(capacity: 1024))
        for (payload, t) in input { encoder.append(payload, monotonic: t) }
        // kind, length, time, source, bitmap: 5 bytes; energy 3, power 2, temperature 1.
        #expect(encoder.byteCount < 30 + 12 * samples.count)
        #expect(try roundTrip(samples) == samples)
    }

    @Test func eachSegmentDecodesAlone() throws {
        let samples = (0..<100).map { i in
            TelemetrySample(source: "gpu0", gpuEnergyJoules: Double(1_000 + i) / 10, gpuPowerWatts: .nan)
        }
        let input = samples.map { (EventPayload.sample($0), Int64(1)) }
        let (bytes, offsets) = LogBuilder().build(input, eventsPerSegment: 30)
        let tail = LogBuilder.scan(Array(bytes[offsets[2]...]))
        #expect(tail.isIntact)
        let events = tail.segments.flatMap(\.segment.events).map(\.payload)
        #expect(events == samples[60...].map { EventPayload.sample($0) })
    }

    @Test func aBadValueCodeIsAnErrorThatKeepsEarlierEvents() throws {
        var content = v1StyleHeader(version: 2)
        // A sample: source absent, gpu energy present, value code 17 (undefined).
        content += [0x17, 4, 0, 0, 1, 0x23]
        let frame = content.withUnsafeBytes { try! ZstdCompressor(level: 1).compress($0) as [UInt8] }
        let contents = LogBuilder.scan(frame)
        #expect(contents.segments.first?.segment.events.isEmpty == true)
        #expect(contents.diagnostics.first?.message.contains("bad sample value code") == true)
    }

    // MARK: - Version 1

    func v1StyleHeader(version: UInt64) -> [UInt8] {
        let buffer = RecordBuffer(capacity: 64)
        SegmentHeader(formatVersion: version, runID: "old", segmentSequence: 0, firstRecordSequence: 0,
            wallAnchorNanoseconds: 1_000, monotonicAnchorNanoseconds: 0).write(to: buffer)
        return Array(buffer.bytes)
    }

    @Test func aHandWrittenVersion1SampleStillDecodes() throws {
        var content = v1StyleHeader(version: 1)
        content += [0x01, 4] + Array("gpu0".utf8)  // string 0
        let values: [(UInt64, Double)] = [
            (2, -0.0), (3, Double(bitPattern: 0x7FF8_0000_0000_1234)), (4, .leastNonzeroMagnitude),
            (8, -.infinity), (12, 71.5),
        ]
        var body: [UInt8] = [10]  // timestamp delta +5 (zigzag)
        body += [1 << 3 | 3, 0]  // source: string 0
        for (number, value) in values {
            body.append(UInt8(number << 3 | 2))
            withUnsafeBytes(of: value.bitPattern.littleEndian) { body += $0 }
        }
        content += [0x17, UInt8(body.count)] + body
        let frame = content.withUnsafeBytes { try! ZstdCompressor(level: 1).compress($0) as [UInt8] }
        let contents = LogBuilder.scan(frame)
        #expect(contents.isIntact)
        let segment = try #require(contents.segments.first?.segment)
        #expect(segment.header.formatVersion == 1)
        #expect(segment.events.map(\.timestamp) == [1_005])
        #expect(segment.events.first?.payload == .sample(TelemetrySample(
            source: "gpu0", gpuEnergyJoules: -0.0, gpuPowerWatts: Double(bitPattern: 0x7FF8_0000_0000_1234),
            cpuEnergyJoules: .leastNonzeroMagnitude, energyWrapJoules: -.infinity, temperatureCelsius: 71.5)))
    }
}
