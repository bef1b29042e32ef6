@testable import TraceAnalysis
import TraceLog

/// Nanoseconds from seconds.
func ns(_ seconds: Double) -> Int64 { Int64((seconds * 1e9).rounded()) }

/// Whether two values agree to a relative tolerance.
func close(_ a: Double?, _ b: Double?, relative: Double = 1e-9, absolute: Double = 1e-9) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
}

/// A source with constant power, sampled every `period` seconds over `range`.
func constantSeries(_ source: String = "gpu0", domain: EnergyDomain = .gpu, watts: Double,
                    from start: Double, to end: Double, period: Double = 1) -> EnergySeries {
    var readings: [EnergyReading] = []
    var t = start
    while t <= end + 1e-9 {
        readings.append(EnergyReading(timestamp: ns(t), counterJoules: 1000 + watts * (t - start), powerWatts: watts))
        t += period
    }
    return EnergySeries(source: source, domain: domain, readings: readings)
}

/// A small deterministic generator (SplitMix64).
struct SplitMix: RandomNumberGenerator {
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
