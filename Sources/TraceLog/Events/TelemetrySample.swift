/// One raw telemetry reading from one source (a GPU, a CPU package, …).
///
/// Values are stored exactly as read, including NaN and infinities (which
/// telemetry does produce) and sentinels such as -1; the analyser decides
/// what to trust. `nil` means the source did not report the value.
public struct TelemetrySample: Sendable, Equatable {
    /// The source's name, e.g. `gpu0` or `cpu-package-0`.
    public var source: String?
    /// GPU energy counter, joules.
    public var gpuEnergyJoules: Double?
    /// GPU power, watts.
    public var gpuPowerWatts: Double?
    /// CPU energy counter, joules.
    public var cpuEnergyJoules: Double?
    /// CPU power, watts.
    public var cpuPowerWatts: Double?
    /// DRAM energy counter, joules.
    public var dramEnergyJoules: Double?
    /// DRAM power, watts.
    public var dramPowerWatts: Double?
    /// The value at which this source's energy counters wrap to zero, joules
    /// (RAPL's `max_energy_range_uj`, converted).
    public var energyWrapJoules: Double?
    /// GPU utilisation, percent.
    public var gpuUtilizationPercent: Double?
    /// CPU utilisation, percent.
    public var cpuUtilizationPercent: Double?
    /// Memory in use, bytes.
    public var memoryBytes: Double?
    /// Temperature, degrees Celsius.
    public var temperatureCelsius: Double?

    /// Creates a sample.
    public init(
        source: String? = nil,
        gpuEnergyJoules: Double? = nil, gpuPowerWatts: Double? = nil,
        cpuEnergyJoules: Double? = nil, cpuPowerWatts: Double? = nil,
        dramEnergyJoules: Double? = nil, dramPowerWatts: Double? = nil,
        energyWrapJoules: Double? = nil,
        gpuUtilizationPercent: Double? = nil, cpuUtilizationPercent: Double? = nil,
        memoryBytes: Double? = nil, temperatureCelsius: Double? = nil
    ) {
        self.source = source
        self.gpuEnergyJoules = gpuEnergyJoules
        self.gpuPowerWatts = gpuPowerWatts
        self.cpuEnergyJoules = cpuEnergyJoules
        self.cpuPowerWatts = cpuPowerWatts
        self.dramEnergyJoules = dramEnergyJoules
        self.dramPowerWatts = dramPowerWatts
        self.energyWrapJoules = energyWrapJoules
        self.gpuUtilizationPercent = gpuUtilizationPercent
        self.cpuUtilizationPercent = cpuUtilizationPercent
        self.memoryBytes = memoryBytes
        self.temperatureCelsius = temperatureCelsius
    }
}

extension TelemetrySample {
    /// NaN-aware equality: two samples are equal when every value has the
    /// same bit pattern, so NaN readings round-trip as equal.
    public static func == (lhs: TelemetrySample, rhs: TelemetrySample) -> Bool {
        func same(_ a: Double?, _ b: Double?) -> Bool {
            switch (a, b) {
            case (nil, nil): true
            case (let x?, let y?): x.bitPattern == y.bitPattern
            default: false
            }
        }
        return lhs.source == rhs.source
            && same(lhs.gpuEnergyJoules, rhs.gpuEnergyJoules) && same(lhs.gpuPowerWatts, rhs.gpuPowerWatts)
            && same(lhs.cpuEnergyJoules, rhs.cpuEnergyJoules) && same(lhs.cpuPowerWatts, rhs.cpuPowerWatts)
            && same(lhs.dramEnergyJoules, rhs.dramEnergyJoules) && same(lhs.dramPowerWatts, rhs.dramPowerWatts)
            && same(lhs.energyWrapJoules, rhs.energyWrapJoules)
            && same(lhs.gpuUtilizationPercent, rhs.gpuUtilizationPercent)
            && same(lhs.cpuUtilizationPercent, rhs.cpuUtilizationPercent)
            && same(lhs.memoryBytes, rhs.memoryBytes) && same(lhs.temperatureCelsius, rhs.temperatureCelsius)
    }
}
