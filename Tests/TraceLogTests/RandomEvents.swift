import TraceLog

/// A small deterministic generator (SplitMix64) so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random events covering every kind, every field present or absent,
/// non-finite values, unicode, long strings.
final class RandomEvents {
    var rng: SeededGenerator
    init(rng: SeededGenerator) { self.rng = rng }

    func maybe<T>(_ make: () -> T) -> T? { Bool.random(using: &rng) ? make() : nil }

    func string() -> String {
        let pool = ["q0001", "c1", "search", "gpt-4o", "", "naïve ☃ ✓", "line\nbreak \"quoted\"", "tab\tcomma,",
                    String(repeating: "long ", count: 60)]
        return pool.randomElement(using: &rng)!
    }

    func double() -> Double {
        switch Int.random(in: 0..<12, using: &rng) {
        case 0: .nan
        case 1: .infinity
        case 2: -.infinity
        case 3: -1
        case 4: specialDouble()
        // Decimal readings at a random scale (coded as decimal deltas in v2).
        case 5, 6, 7:
            Double(Int64.random(in: -10_000_000_000...10_000_000_000, using: &rng))
                / SampleValueCoding.powerOfTen(Int.random(in: 0...SampleValueCoding.maxScale, using: &rng))
        // Any bit pattern at all.
        case 8: Double(bitPattern: rng.next())
        default: Double.random(in: -1e6...1e6, using: &rng)
        }
    }

    /// The doubles a lossless coding gets wrong first.
    static let specialDoubles: [Double] = [
        0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
        Double(bitPattern: 0x000F_FFFF_FFFF_FFFF),  // largest subnormal
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .infinity, -.infinity,
        .nan, -.nan, .signalingNaN,
        Double(bitPattern: 0x7FF8_0000_0000_1234),  // quiet NaN with a payload
        Double(bitPattern: 0xFFF0_0000_0000_0001),  // negative signalling NaN
        Double(bitPattern: 0x7FFF_FFFF_FFFF_FFFF),
        9_007_199_254_740_992, 9_007_199_254_740_994, -9_007_199_254_740_992, 0.1, 0.3, 1e-300, 1e300,
        262_143.328850, 0.000_000_000_000_001, 123_456_789.123_456_789,
    ]

    func specialDouble() -> Double { Self.specialDoubles.randomElement(using: &rng)! }

    func int() -> Int64 { Int64.random(in: -5...200_000, using: &rng) }
    func bool() -> Bool { Bool.random(using: &rng) }
    func labels() -> [Label] {
        (0..<Int.random(in: 0...3, using: &rng)).map { _ in Label(string(), string()) }
    }

    func payload() -> EventPayload {
        switch Int.random(in: 0..<9, using: &rng) {
        case 0:
            return .runStart(RunStart(runID: maybe { string() }, host: maybe { string() },
                recorderVersion: maybe { string() }, labels: labels()))
        case 1:
            return .queryStart(QueryStart(queryID: maybe { string() }, workloadType: maybe { string() },
                text: maybe { string() }, labels: labels()))
        case 2:
            return .queryEnd(QueryEnd(queryID: maybe { string() }, status: maybe { string() },
                response: maybe { string() }, error: maybe { string() }, resolved: maybe { bool() },
                score: maybe { Double.random(in: 0...1, using: &rng) }))
        case 3:
            return .inferenceStart(InferenceStart(spanID: maybe { string() }, queryID: maybe { string() },
                model: maybe { string() }))
        case 4:
            return .inferenceEnd(InferenceEnd(
                spanID: maybe { string() }, queryID: maybe { string() }, model: maybe { string() },
                routedModel: maybe { string() }, promptTokens: maybe { int() }, completionTokens: maybe { int() },
                cachedTokens: maybe { int() }, reasoningTokens: maybe { int() },
                costUSD: maybe { Double.random(in: 0...2, using: &rng) },
                timeToFirstTokenSeconds: maybe { Double.random(in: 0...2, using: &rng) }, cached: maybe { bool() },
                status: maybe { string() }, error: maybe { string() }, stopReason: maybe { string() }))
        case 5:
            return .toolStart(ToolStart(spanID: maybe { string() }, queryID: maybe { string() },
                tool: maybe { string() }, parentSpanID: maybe { string() }, arguments: maybe { string() }))
        case 6:
            return .toolEnd(ToolEnd(spanID: maybe { string() }, queryID: maybe { string() }, tool: maybe { string() },
                ok: maybe { bool() }, error: maybe { string() }, outputBytes: maybe { int() }))
        case 7:
            return .sample(TelemetrySample(
                source: maybe { string() }, gpuEnergyJoules: maybe { double() }, gpuPowerWatts: maybe { double() },
                cpuEnergyJoules: maybe { double() }, cpuPowerWatts: maybe { double() },
                dramEnergyJoules: maybe { double() }, dramPowerWatts: maybe { double() },
                energyWrapJoules: maybe { double() }, gpuUtilizationPercent: maybe { double() },
                cpuUtilizationPercent: maybe { double() }, memoryBytes: maybe { double() },
                temperatureCelsius: maybe { double() }))
        default:
            return .mark(Mark(name: maybe { string() }, queryID: maybe { string() }, spanID: maybe { string() },
                text: maybe { string() }))
        }
    }
}
