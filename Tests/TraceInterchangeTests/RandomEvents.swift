import TraceLog

/// Random events for round-trip tests: every field either set or nil, with
/// awkward strings (quotes, backslashes, control characters, non-ASCII,
/// astral characters) and awkward numbers (NaN, infinities, -0.0,
/// subnormals, extremes).
struct RandomEvents {
    var generator: SeededGenerator
    /// The probability that an optional field is set.
    var presence: Double

    init(seed: UInt64, presence: Double = 0.7) {
        generator = SeededGenerator(seed: seed)
        self.presence = presence
    }

    mutating func chance(_ p: Double) -> Bool {
        Double.random(in: 0..<1, using: &generator) < p
    }

    mutating func maybe<T>(_ make: (inout RandomEvents) -> T) -> T? {
        chance(presence) ? make(&self) : nil
    }

    mutating func scalar() -> Unicode.Scalar {
        let pools: [ClosedRange<UInt32>] = [
            0x20...0x7E, 0x20...0x7E, 0x20...0x7E,  // ASCII, most often
            0x00...0x1F,  // control characters
            0x7F...0x7F,
            0xA0...0x24F,  // Latin
            0x4E00...0x4FFF,  // CJK
            0x2028...0x2029,  // line and paragraph separators
            0xFFFD...0xFFFF,
            0x1F600...0x1F64F,  // emoji (surrogate pairs in \u escapes)
            0x10000...0x10FFFF,
        ]
        let pool = pools[Int.random(in: 0..<pools.count, using: &generator)]
        let specials: [UInt32] = [0x22, 0x5C, 0x2F, 0x00, 0x0A, 0x0D, 0x09, 0x08, 0x0C]
        if chance(0.15) { return Unicode.Scalar(specials[Int.random(in: 0..<specials.count, using: &generator)])! }
        return Unicode.Scalar(UInt32.random(in: pool, using: &generator)) ?? "?"
    }

    mutating func string() -> String {
        let count = Int.random(in: 0...12, using: &generator)
        var text = String.UnicodeScalarView()
        for _ in 0..<count { text.append(scalar()) }
        return String(text)
    }

    mutating func double() -> Double {
        let specials: [Double] = [
            .nan, .infinity, -.infinity, 0, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
            -.greatestFiniteMagnitude, .leastNormalMagnitude, 1e-5, 1e16, 0.1, 1234.5, 312.0, -1,
        ]
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: return specials[Int.random(in: 0..<specials.count, using: &generator)]
        case 1: return Double(Int.random(in: -100_000...100_000, using: &generator)) / 8
        case 2: return Double.random(in: -1e6...1e6, using: &generator)
        default:
            // Any finite bit pattern.
            while true {
                let value = Double(bitPattern: generator.next())
                if value.isFinite { return value }
            }
        }
    }

    mutating func integer() -> Int64 {
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: return [Int64.min, Int64.max, 0, -1, 812][Int.random(in: 0..<5, using: &generator)]
        case 1: return Int64.random(in: 0...100_000, using: &generator)
        default: return Int64(bitPattern: generator.next())
        }
    }

    mutating func bool() -> Bool { chance(0.5) }

    mutating func labels() -> [Label] {
        guard chance(presence) else { return [] }
        return (0..<Int.random(in: 1...4, using: &generator)).map { _ in Label(string(), string()) }
    }

    mutating func timestamp() -> Int64 {
        switch Int.random(in: 0..<3, using: &generator) {
        case 0:
            let specials: [Int64] = [Int64.min, Int64.max, 0, -1, 1, 1_732_238_400_125_000_000]
            return specials[Int.random(in: 0..<specials.count, using: &generator)]
        case 1: return 1_732_238_400_000_000_000 + Int64.random(in: 0...86_400_000_000_000, using: &generator)
        default: return Int64(bitPattern: generator.next())
        }
    }

    mutating func payload() -> EventPayload {
        switch Int.random(in: 0..<9, using: &generator) {
        case 0:
            return .runStart(
                RunStart(runID: maybe { $0.string() }, host: maybe { $0.string() },
                         recorderVersion: maybe { $0.string() }, labels: labels()))
        case 1:
            return .queryStart(
                QueryStart(queryID: maybe { $0.string() }, workloadType: maybe { $0.string() },
                           text: maybe { $0.string() }, labels: labels()))
        case 2:
            return .queryEnd(
                QueryEnd(queryID: maybe { $0.string() }, status: maybe { $0.string() },
                         response: maybe { $0.string() }, error: maybe { $0.string() },
                         resolved: maybe { $0.bool() }, score: maybe { $0.double() }))
        case 3:
            return .inferenceStart(
                InferenceStart(spanID: maybe { $0.string() }, queryID: maybe { $0.string() },
                               model: maybe { $0.string() }))
        case 4:
            return .inferenceEnd(
                InferenceEnd(
                    spanID: maybe { $0.string() }, queryID: maybe { $0.string() }, model: maybe { $0.string() },
                    routedModel: maybe { $0.string() }, promptTokens: maybe { $0.integer() },
                    completionTokens: maybe { $0.integer() }, cachedTokens: maybe { $0.integer() },
                    reasoningTokens: maybe { $0.integer() }, costUSD: maybe { $0.double() },
                    timeToFirstTokenSeconds: maybe { $0.double() }, cached: maybe { $0.bool() },
                    status: maybe { $0.string() }, error: maybe { $0.string() }, stopReason: maybe { $0.string() }))
        case 5:
            return .toolStart(
                ToolStart(spanID: maybe { $0.string() }, queryID: maybe { $0.string() }, tool: maybe { $0.string() },
                          parentSpanID: maybe { $0.string() }, arguments: maybe { $0.string() }))
        case 6:
            return .toolEnd(
                ToolEnd(spanID: maybe { $0.string() }, queryID: maybe { $0.string() }, tool: maybe { $0.string() },
                        ok: maybe { $0.bool() }, error: maybe { $0.string() }, outputBytes: maybe { $0.integer() }))
        case 7:
            return .sample(
                TelemetrySample(
                    source: maybe { $0.string() },
                    gpuEnergyJoules: maybe { $0.double() }, gpuPowerWatts: maybe { $0.double() },
                    cpuEnergyJoules: maybe { $0.double() }, cpuPowerWatts: maybe { $0.double() },
                    dramEnergyJoules: maybe { $0.double() }, dramPowerWatts: maybe { $0.double() },
                    energyWrapJoules: maybe { $0.double() },
                    gpuUtilizationPercent: maybe { $0.double() }, cpuUtilizationPercent: maybe { $0.double() },
                    memoryBytes: maybe { $0.double() }, temperatureCelsius: maybe { $0.double() }))
        default:
            return .mark(
                Mark(name: maybe { $0.string() }, queryID: maybe { $0.string() }, spanID: maybe { $0.string() },
                     text: maybe { $0.string() }))
        }
    }

    mutating func event(sequence: UInt64) -> TraceEvent {
        TraceEvent(runID: "run", sequence: sequence, timestamp: timestamp(), payload: payload())
    }
}
