import TraceLog

/// One telemetry reading as ipw's runner sees it: the sample's GPU energy
/// and power and CPU energy and power, at the sample's timestamp.
///
/// All sources form one stream, as in the reference: readings of several
/// GPUs (or a GPU and a CPU package) are not separated, so an energy delta
/// may subtract one source's counter from another's. The default metric
/// set separates them; `ipw` keeps the reference's behaviour.
struct IPWReading {
    /// Nanoseconds since the Unix epoch.
    var timestamp: Int64
    /// The timestamp as the reference holds it: float seconds since the
    /// epoch (``ipwSeconds(_:)``).
    var seconds: Double
    /// ipw's `energy_joules`.
    var gpuEnergy: Double?
    /// ipw's `cpu_energy_joules`.
    var cpuEnergy: Double?
    /// ipw's `power_watts`.
    var gpuPower: Double?
    /// ipw's `cpu_power_watts`.
    var cpuPower: Double?

    /// The reading of a sample event, or `nil` when the event is not a sample.
    init?(_ event: TraceEvent) {
        guard case .sample(let sample) = event.payload else { return nil }
        timestamp = event.timestamp
        seconds = ipwSeconds(event.timestamp)
        gpuEnergy = sample.gpuEnergyJoules
        cpuEnergy = sample.cpuEnergyJoules
        gpuPower = sample.gpuPowerWatts
        cpuPower = sample.cpuPowerWatts
    }
}

/// ipw's energy arithmetic.
enum IPWEnergy {
    /// The readings with `start <= t <= end` compared as the reference
    /// compares them, in float seconds (``ipwSeconds(_:)``), in the given
    /// (arrival) order.
    static func readings<C: Collection>(_ readings: C, from start: Int64, to end: Int64) -> [IPWReading]
    where C.Element == IPWReading {
        let (low, high) = (ipwSeconds(start), ipwSeconds(end))
        return readings.filter { low <= $0.seconds && $0.seconds <= high }
    }

    /// The same as ``readings(_:from:to:)`` for readings whose timestamps
    /// never decrease (`timeOrdered`): found by binary search instead of a
    /// pass over every reading.
    static func readings(
        _ readings: [IPWReading], timeOrdered: Bool, from start: Int64, to end: Int64
    ) -> ArraySlice<IPWReading> {
        guard timeOrdered else { return ArraySlice(self.readings(readings, from: start, to: end)) }
        // Float seconds tie nanoseconds up to an ulp apart (about 240 ns
        // today): search a microsecond wider, then compare as the reference.
        let margin: Int64 = 1_000
        /// The first index whose timestamp does not satisfy `before`.
        func partition(_ before: (Int64) -> Bool) -> Int {
            var low = 0
            var high = readings.count
            while low < high {
                let mid = (low + high) / 2
                if before(readings[mid].timestamp) { low = mid + 1 } else { high = mid }
            }
            return low
        }
        // (Timestamps here are within ±2^62 ns: the margin cannot overflow.)
        let lower = partition { $0 < start - margin }
        let upper = max(lower, partition { $0 <= end + margin })
        return ArraySlice(self.readings(readings[lower..<upper], from: start, to: end))
    }

    /// Whether the readings' timestamps never decrease.
    static func isTimeOrdered(_ readings: [IPWReading]) -> Bool {
        zip(readings, readings.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp }
    }

    /// Counter delta: the last finite value minus the first finite value
    /// (arrival order), when there are at least two; `nil` otherwise and
    /// when the delta is negative (a counter reset or wrap loses the energy).
    static func delta(_ values: [Double?]) -> Double? {
        let finite = values.compactMap { $0 }.filter(\.isFinite)
        guard finite.count >= 2, let first = finite.first, let last = finite.last else { return nil }
        let delta = last - first
        return delta >= 0 ? delta : nil
    }

    /// Power average: the exactly rounded mean of the finite values, `nil`
    /// when there are none.
    static func mean(_ values: [Double?]) -> Double? {
        exactMean(values.compactMap { $0 }.filter(\.isFinite))
    }
}

extension Int64 {
    /// Nanoseconds as seconds: `Double(self) / 1e9` (one rounding for spans
    /// under 2^53 ns, about 104 days).
    var seconds: Double { Double(self) / 1e9 }
}

/// A timestamp as the reference runner holds it: the float that Python's
/// `time.time()` returns for `ns` nanoseconds since the epoch (CPython's
/// `_PyTime_AsSecondsDouble`: whole seconds exactly, else `(double)ns /
/// 1e9`). At today's dates consecutive floats are about 240 ns apart.
func ipwSeconds(_ ns: Int64) -> Double {
    ns % 1_000_000_000 == 0 ? Double(ns / 1_000_000_000) : Double(ns) / 1e9
}

/// A duration as the reference computes it: the difference of the two
/// timestamps' floats (``ipwSeconds(_:)``), `end - start`.
func ipwDuration(from start: Int64, to end: Int64) -> Double {
    ipwSeconds(end) - ipwSeconds(start)
}

/// Seconds from `start` to `end` (nanoseconds): `Double(end - start) / 1e9`,
/// without trapping on overflow for absurd timestamps.
func seconds(from start: Int64, to end: Int64) -> Double {
    let (difference, overflow) = end.subtractingReportingOverflow(start)
    return overflow ? (Double(end) - Double(start)) / 1e9 : difference.seconds
}
