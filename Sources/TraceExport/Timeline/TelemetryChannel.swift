import TraceAnalysis
import TraceLog

/// One telemetry channel of one source as points in time: a counter track
/// in the timeline.
public struct TelemetryChannel: Sendable, Equatable {
    /// The source (`gpu0`, `cpu-package-0`, …).
    public var source: String
    /// The channel, named as in the interchange (`gpu_power_w`,
    /// `gpu_energy_j`, `gpu_utilization_pct`, `memory_bytes`, `temperature_c`, …).
    public var channel: String
    /// Points in strictly increasing time order: (nanoseconds since the Unix
    /// epoch, value). Values are finite.
    public var points: [(time: Int64, value: Double)]

    /// Creates a channel.
    public init(source: String, channel: String, points: [(time: Int64, value: Double)]) {
        self.source = source
        self.channel = channel
        self.points = points
    }

    /// The track's name: `source channel`.
    public var name: String { "\(source) \(channel)" }

    /// Channels are equal when their names and points are equal.
    public static func == (lhs: TelemetryChannel, rhs: TelemetryChannel) -> Bool {
        lhs.source == rhs.source && lhs.channel == rhs.channel && lhs.points.count == rhs.points.count
            && zip(lhs.points, rhs.points).allSatisfy { $0.time == $1.time && $0.value.bitPattern == $1.value.bitPattern }
    }

    /// Every channel of a run's samples, ordered by source name then channel
    /// order: energy (J) per domain as the default set's cleaned cumulative
    /// series (zero at the source's first usable reading; wraps unwrapped,
    /// resets bridged), then raw readings — power (W) per domain,
    /// utilisation (%), memory (bytes), temperature (°C) — skipping NaN,
    /// infinite and negative values. Of several readings at one instant the
    /// last in record order is kept.
    public static func channels(from events: [TraceEvent]) -> [TelemetryChannel] {
        // Points per (source, channel), mutated in place: one append per
        // reading, no copy of a channel's array (linear in the samples).
        let rawChannels = [
            "gpu_power_w", "cpu_power_w", "dram_power_w", "gpu_utilization_pct", "cpu_utilization_pct",
            "memory_bytes", "temperature_c",
        ]
        var sourceIndex: [String: Int] = [:]
        var sourceNames: [String] = []
        var points: [[[(time: Int64, value: Double)]]] = []
        // The samples' indices by (time, sequence, position): no copy of
        // the events.
        for index in EnergySeries.sampleOrder(events) {
            let event = events[index]
            guard case .sample(let s) = event.payload else { continue }
            let name = s.source ?? "unknown"
            let source: Int
            if let known = sourceIndex[name] {
                source = known
            } else {
                source = sourceNames.count
                sourceIndex[name] = source
                sourceNames.append(name)
                points.append(Array(repeating: [], count: rawChannels.count))
            }
            let values: [Double?] = [
                s.gpuPowerWatts, s.cpuPowerWatts, s.dramPowerWatts, s.gpuUtilizationPercent, s.cpuUtilizationPercent,
                s.memoryBytes, s.temperatureCelsius,
            ]
            for (channel, value) in values.enumerated() {
                guard let value, value.isFinite, value >= 0 else { continue }
                if let last = points[source][channel].last, last.time == event.timestamp {
                    points[source][channel][points[source][channel].count - 1].value = value
                } else {
                    points[source][channel].append((event.timestamp, value))
                }
            }
        }
        var raw: [String: [String: [(time: Int64, value: Double)]]] = [:]
        for (source, name) in sourceNames.enumerated() {
            for (channel, channelName) in rawChannels.enumerated() where !points[source][channel].isEmpty {
                raw[name, default: [:]][channelName] = points[source][channel]
            }
        }
        var energy: [String: [String: [(time: Int64, value: Double)]]] = [:]
        for series in EnergySeries.series(from: events) where series.times.count >= 2 {
            var points: [(time: Int64, value: Double)] = [(series.times[0], 0)]
            var sum = 0.0
            for (i, joules) in series.intervalJoules.enumerated() {
                sum += joules
                points.append((series.times[i + 1], sum))
            }
            energy[series.source, default: [:]]["\(series.domain.rawValue)_energy_j"] = points
        }
        let order = [
            "gpu_energy_j", "cpu_energy_j", "dram_energy_j", "gpu_power_w", "cpu_power_w", "dram_power_w",
            "gpu_utilization_pct", "cpu_utilization_pct", "memory_bytes", "temperature_c",
        ]
        let sources = Set(raw.keys).union(energy.keys).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var result: [TelemetryChannel] = []
        for source in sources {
            for channel in order {
                if let points = energy[source]?[channel] ?? raw[source]?[channel], !points.isEmpty {
                    result.append(TelemetryChannel(source: source, channel: channel, points: points))
                }
            }
        }
        return result
    }
}
