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
