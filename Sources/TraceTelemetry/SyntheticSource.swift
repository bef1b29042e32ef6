import TraceLog

/// Plausible GPU and CPU energy counters and power, from an idle/busy power
/// model: for demos, tests, and machines without real counters.
///
/// The load follows a seeded random walk between idle and busy phases;
/// power is `idle + (busy − idle) × load` plus a little noise, and each
/// counter integrates its power over the time between reads, so counters
/// never go backwards and their rate matches the reported power. Each read
/// gives two samples: `synthetic-gpu0` (GPU energy, power, utilisation) and
/// `synthetic-cpu-package-0` (CPU energy and power).
public struct SyntheticSource: TelemetrySource {
    /// The power model of one device, watts.
    public struct PowerModel: Sendable, Equatable {
        /// Power when idle.
        public var idleWatts: Double
        /// Power at full load.
        public var busyWatts: Double
        /// Creates a model.
        public init(idleWatts: Double, busyWatts: Double) {
            self.idleWatts = idleWatts
            self.busyWatts = busyWatts
        }
    }

    /// The GPU's model (default 60 W idle, 350 W busy, an H100-class card).
    public let gpu: PowerModel
    /// The CPU package's model (default 20 W idle, 120 W busy).
    public let cpu: PowerModel
    private var random: SplitMix64
    private var load = 0.1
    private var lastTime: Int64?
    private var gpuJoules: Double
    private var cpuJoules: Double

    /// `synthetic`.
    public var kind: String { "synthetic" }

    /// Creates a source; the same seed and read times give the same values.
    public init(
        gpu: PowerModel = PowerModel(idleWatts: 60, busyWatts: 350),
        cpu: PowerModel = PowerModel(idleWatts: 20, busyWatts: 120),
        seed: UInt64 = 0x5eed
    ) {
        self.gpu = gpu
        self.cpu = cpu
        self.random = SplitMix64(seed: seed)
        // Counters start at an arbitrary value, as real ones do.
        self.gpuJoules = 10_000 + Double(seed % 1000)
        self.cpuJoules = 5_000 + Double(seed % 500)
    }

    /// Advances the model to `monotonicNanoseconds` and reads it.
    public mutating func read(at monotonicNanoseconds: Int64) -> [TelemetrySample] {
        // Random walk of the load, with occasional jumps between phases.
        let step = random.nextUnit()
        if step < 0.05 {
            load = load > 0.5 ? 0.05 + 0.1 * random.nextUnit() : 0.7 + 0.3 * random.nextUnit()
        } else {
            load = min(1, max(0, load + (random.nextUnit() - 0.5) * 0.1))
        }
        let gpuWatts = gpu.idleWatts + (gpu.busyWatts - gpu.idleWatts) * load + (random.nextUnit() - 0.5) * 2
        let cpuWatts = cpu.idleWatts + (cpu.busyWatts - cpu.idleWatts) * load * 0.6 + (random.nextUnit() - 0.5)
        if let lastTime, monotonicNanoseconds > lastTime {
            let seconds = Double(monotonicNanoseconds - lastTime) / 1e9
            gpuJoules += gpuWatts * seconds
            cpuJoules += cpuWatts * seconds
        }
        if lastTime.map({ monotonicNanoseconds > $0 }) ?? true { lastTime = monotonicNanoseconds }
        return [
            TelemetrySample(
                source: "synthetic-gpu0", gpuEnergyJoules: gpuJoules, gpuPowerWatts: gpuWatts,
                gpuUtilizationPercent: load * 100),
            TelemetrySample(source: "synthetic-cpu-package-0", cpuEnergyJoules: cpuJoules, cpuPowerWatts: cpuWatts),
        ]
    }
}

/// A small, fast, seedable generator (SplitMix64).
struct SplitMix64: Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A double in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
