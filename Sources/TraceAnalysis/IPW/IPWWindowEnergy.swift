/// What ipw's runner computes from the readings of one window (a turn's or
/// a query's), gathered one reading at a time in arrival order: the first
/// and last finite counter values and the exact sums of the finite power
/// values: the reference's `last - first` of the finite counters (two or
/// more, nil when negative) and `statistics.mean` of the finite powers,
/// without holding the readings.
struct IPWWindowEnergy {
    /// How many readings fell in the window.
    private(set) var readings = 0
    private var gpu = CounterEnds()
    private var cpu = CounterEnds()
    private var gpuPower = ExactSum()
    private var gpuPowerCount = 0
    private var cpuPower = ExactSum()
    private var cpuPowerCount = 0

    /// The first and last finite values of a counter, and how many there were.
    private struct CounterEnds {
        var first = 0.0
        var last = 0.0
        var count = 0

        mutating func add(_ value: Double?) {
            guard let value, value.isFinite else { return }
            if count == 0 { first = value }
            last = value
            count += 1
        }

        /// Last − first with two values or more, nil when negative (a counter
        /// reset or wrap loses the energy).
        var delta: Double? {
            guard count >= 2 else { return nil }
            let delta = last - first
            return delta >= 0 ? delta : nil
        }
    }

    /// Takes the window's next reading (arrival order).
    mutating func add(_ reading: IPWReading) {
        readings += 1
        gpu.add(reading.gpuEnergy)
        cpu.add(reading.cpuEnergy)
        if let value = reading.gpuPower, value.isFinite {
            gpuPower.add(value)
            gpuPowerCount += 1
        }
        if let value = reading.cpuPower, value.isFinite {
            cpuPower.add(value)
            cpuPowerCount += 1
        }
    }

    var gpuDelta: Double? { gpu.delta }
    var cpuDelta: Double? { cpu.delta }
    var gpuMean: Double? { exactMean(sum: gpuPower, count: gpuPowerCount) }
    var cpuMean: Double? { exactMean(sum: cpuPower, count: cpuPowerCount) }
}
