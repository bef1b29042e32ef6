import TraceLog

/// One raw reading of one source in one domain, as the telemetry gave it.
///
/// Values are kept raw (NaN, infinities and the -1 "unavailable" sentinel
/// included); ``EnergySeries`` decides what to trust.
public struct EnergyReading: Sendable, Equatable {
    /// When the reading was taken, nanoseconds since the Unix epoch.
    public var timestamp: Int64
    /// The cumulative energy counter, joules.
    public var counterJoules: Double?
    /// The power reading, watts.
    public var powerWatts: Double?
    /// The value at which the counter wraps to zero, joules.
    public var wrapJoules: Double?

    /// Creates a reading.
    public init(timestamp: Int64, counterJoules: Double? = nil, powerWatts: Double? = nil, wrapJoules: Double? = nil) {
        self.timestamp = timestamp
        self.counterJoules = counterJoules
        self.powerWatts = powerWatts
        self.wrapJoules = wrapJoules
    }

    /// NaN-aware equality: values are compared by bit pattern.
    public static func == (lhs: EnergyReading, rhs: EnergyReading) -> Bool {
        func same(_ a: Double?, _ b: Double?) -> Bool {
            switch (a, b) {
            case (nil, nil): true
            case (let x?, let y?): x.bitPattern == y.bitPattern
            default: false
            }
        }
        return lhs.timestamp == rhs.timestamp && same(lhs.counterJoules, rhs.counterJoules)
            && same(lhs.powerWatts, rhs.powerWatts) && same(lhs.wrapJoules, rhs.wrapJoules)
    }

    /// The reading a sample holds for one domain, or nil when the sample
    /// reports neither a counter nor a power value for it.
    public init?(sample: TelemetrySample, domain: EnergyDomain, timestamp: Int64) {
        let counter: Double?
        let power: Double?
        switch domain {
        case .gpu: (counter, power) = (sample.gpuEnergyJoules, sample.gpuPowerWatts)
        case .cpu: (counter, power) = (sample.cpuEnergyJoules, sample.cpuPowerWatts)
        case .dram: (counter, power) = (sample.dramEnergyJoules, sample.dramPowerWatts)
        }
        if counter == nil && power == nil { return nil }
        self.init(timestamp: timestamp, counterJoules: counter, powerWatts: power, wrapJoules: sample.energyWrapJoules)
    }
}
