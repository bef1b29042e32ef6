import TraceLog

/// What version 3 of the `default` set takes one source's sensor to be, in
/// one domain: how often its energy counter really advances, what its power
/// readings are, and how its energy is spread over time (docs/METRICS.md,
/// "Sensor model").
///
/// Real counters are staircases: NVML's total-energy counter advances only
/// when the driver updates it (every ~20–100 ms), so a reading gives the
/// energy at the last update, not at the reading's instant. Real power
/// readings may be averages: NVML's power usage on Ampere and later is a
/// one-second trailing mean. A model records what the analysis found or was
/// told about both.
public struct SensorModel: Sendable, Hashable {
    /// What a source's power readings are.
    public enum Power: String, Sendable, Hashable {
        /// Instantaneous power: used to shape energy between readings.
        case instant
        /// A trailing average: never used to place energy in time.
        case average
        /// No usable power readings.
        case none
    }

    /// How the source's energy is spread over time.
    public enum Reconstruction: String, Sendable, Hashable {
        /// Version 2's interpolation between readings (power-shaped where
        /// instant power exists, else linear).
        case interpolated
        /// Counter increments between update instants, spread over the span
        /// boundaries inside each by a fitted power model (see
        /// ``SpanFitReconstruction``).
        case spanFit = "span_fit"
        /// A staircase counter whose source reads instant power: counter
        /// increments between update instants, spread by the power readings
        /// (held between their midpoints) inside each.
        case instantPower = "instant_power"
        /// Power integrated (no usable counter).
        case powerIntegrated = "power_integrated"
    }

    /// The source's name.
    public var source: String
    /// The domain.
    public var domain: EnergyDomain
    /// The counter's update period, nanoseconds: detected from its
    /// readings (the value repeats between updates) or declared
    /// (`SOURCE.energy_update_ms` in the run start); nil when the counter
    /// advanced at every reading (updates at least as fast as sampling) or
    /// there is no counter.
    public var updatePeriod: Int64?
    /// The spread of the update period (standard deviation of the intervals
    /// between observed updates, less the part due to sampling), when
    /// detected.
    public var updateJitter: Int64?
    /// Whether ``updatePeriod`` was declared rather than detected.
    public var periodDeclared: Bool
    /// What the power readings are.
    public var power: Power
    /// Whether ``power`` was declared (`SOURCE.power=instant|average`).
    public var powerDeclared: Bool
    /// How the energy is spread.
    public var reconstruction: Reconstruction
    /// For a source recorded on another host (its run start says
    /// `recording=telemetry_only`) with no `--clock-offset`: the offset,
    /// nanoseconds, that would best align its readings with the spans
    /// (what `--clock-offset SOURCE=` should add), when it exceeds the
    /// source's sampling interval; nil otherwise.
    public var suspectedOffset: Int64?
    /// For a source recorded on another host whose offset the logs
    /// measured (a clock handshake, applied): the offset added to its
    /// timestamps, nanoseconds.
    public var measuredOffset: Int64?
    /// The round trip ``measuredOffset`` was measured over, nanoseconds.
    public var measuredRoundTrip: Int64?

    /// One line for the run row: `SOURCE DOMAIN: counter updates every
    /// 100.2 ms (jitter 9.8 ms, detected); power average (declared); span_fit`.
    public var summary: String {
        var parts: [String] = []
        if reconstruction == .powerIntegrated {
            parts.append("no counter")
        } else if let updatePeriod {
            var update = "counter updates every \(Self.milliseconds(updatePeriod)) ms"
            if periodDeclared {
                update += " (declared)"
            } else {
                update += " (jitter \(Self.milliseconds(updateJitter ?? 0)) ms, detected)"
            }
            parts.append(update)
        } else {
            parts.append("counter advances at every reading")
        }
        parts.append("power \(power.rawValue)" + (powerDeclared ? " (declared)" : ""))
        parts.append(reconstruction.rawValue)
        if let measuredOffset {
            let sign = measuredOffset < 0 ? "-" : "+"
            parts.append("clock offset measured: \(sign)\(Self.milliseconds(abs(measuredOffset))) ms "
                + "(round trip \(Self.milliseconds(measuredRoundTrip ?? 0)) ms), applied")
        }
        if let suspectedOffset {
            let sign = suspectedOffset < 0 ? "-" : "+"
            parts.append("clock offset suspected: try --clock-offset \(source)=\(sign)\(Self.milliseconds(abs(suspectedOffset)))")
        }
        return "\(source) \(domain.rawValue): " + parts.joined(separator: "; ")
    }

    /// Nanoseconds as milliseconds with one decimal.
    static func milliseconds(_ nanoseconds: Int64) -> String {
        let tenths = (nanoseconds + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// What a run's start labels declare about `source`: its power kind
    /// (`SOURCE.power`), its counter's update period in milliseconds
    /// (`SOURCE.energy_update_ms`; the last run start's label wins), and
    /// whether it was recorded on another host than the spans (a
    /// `recording=telemetry_only` run start, `trace-record --telemetry-only`).
    static func declared(_ labels: [[Label]], source: String) -> (power: Power?, period: Int64?, remote: Bool) {
        var power: Power?
        var period: Int64?
        // A source is another host's when a telemetry-only recorder's run
        // start names it, or when such a recorder exists and no run start
        // names it.
        var telemetryOnly = false
        var namedByTelemetryOnly = false
        var named = false
        for list in labels {
            let names = list.contains(where: { $0.key.hasPrefix(source + ".") })
            named = named || names
            if list.contains(where: { $0.key == "recording" && $0.value == "telemetry_only" }) {
                telemetryOnly = true
                namedByTelemetryOnly = namedByTelemetryOnly || names
            }
            for label in list {
                if label.key == source + ".power" {
                    switch label.value {
                    case "instant": power = .instant
                    case "average": power = .average
                    default: break
                    }
                } else if label.key == source + ".energy_update_ms", let ms = Double(label.value), ms.isFinite, ms > 0, ms < 1e6 {
                    period = Int64((ms * 1e6).rounded())
                }
            }
        }
        return (power, period, namedByTelemetryOnly || telemetryOnly && !named)
    }
}

/// A counter's readings reduced to its steps (one per distinct value, with
/// the first and last times it was read) and what they say about the update
/// period: the first pass's record of a counter for ``SpanFitReconstruction``.
///
/// Memory: one step per change of value (24 bytes), so at most the number of
/// updates when sampling is faster than the counter, and the number of
/// readings otherwise; beyond ``capacity`` steps, every other step is merged
/// into its neighbour (the counter values kept are still exact readings, so
/// every delta is still conserved; only resolution is lost).
struct CounterSteps: Sendable {
    /// The most steps kept before merging.
    static let capacity = 1 << 18

    /// When each value was first and last read, and the value.
    private(set) var firstTimes: [Int64] = []
    private(set) var lastTimes: [Int64] = []
    private(set) var values: [Double] = []
    private(set) var wraps: [Double] = []
    /// Consecutive readings at distinct times, and how many repeated the value.
    private(set) var pairs = 0
    private(set) var repeats = 0
    /// Changes of value, and the intervals between consecutive changes.
    private var changes = 0
    private var lastChange: Int64?
    private var gapCount = 0
    private var gapSum = 0.0
    private var gapSquares = 0.0
    private var samplingSum = 0.0
    /// Whether steps were merged (resolution halved) at least once.
    private(set) var merged = false
    /// Instant power readings (time, watts), kept beside the steps for a
    /// source that may turn out a staircase with instant power; at most
    /// ``capacity``, every other one dropped beyond.
    private(set) var powerTimes: [Int64] = []
    private(set) var powerValues: [Double] = []

    /// Takes the next usable instant power reading (time order).
    mutating func addPower(time: Int64, watts: Double) {
        if let last = powerTimes.last, time == last {
            powerValues[powerValues.count - 1] = watts
            return
        }
        if powerTimes.count >= Self.capacity {
            var kept = 0
            for i in powerTimes.indices where i % 2 == 0 {
                powerTimes[kept] = powerTimes[i]
                powerValues[kept] = powerValues[i]
                kept += 1
            }
            powerTimes.removeLast(powerTimes.count - kept)
            powerValues.removeLast(powerValues.count - kept)
        }
        powerTimes.append(time)
        powerValues.append(watts)
    }

    /// Takes the next usable counter reading (time order).
    mutating func add(time: Int64, value: Double, wrap: Double?) {
        guard let last = values.last, let lastTime = lastTimes.last else {
            append(time: time, value: value, wrap: wrap)
            return
        }
        if time == lastTime {
            // Of readings with one time the last counts.
            if value != last {
                if firstTimes[firstTimes.count - 1] == time {
                    values[values.count - 1] = value
                } else {
                    lastTimes[lastTimes.count - 1] = time
                    append(time: time, value: value, wrap: wrap)
                }
            }
            return
        }
        pairs += 1
        samplingSum += Double(time - lastTime)
        if value == last {
            repeats += 1
            lastTimes[lastTimes.count - 1] = time
            return
        }
        changes += 1
        if let lastChange {
            let gap = Double(time - lastChange)
            gapCount += 1
            gapSum += gap
            gapSquares += gap * gap
        }
        lastChange = time
        append(time: time, value: value, wrap: wrap)
    }

    private mutating func append(time: Int64, value: Double, wrap: Double?) {
        if values.count >= Self.capacity { halve() }
        firstTimes.append(time)
        lastTimes.append(time)
        values.append(value)
        wraps.append(wrap ?? 0)
    }

    /// Keeps every other step (the first and the latest kept): a step
    /// dropped is folded into the one after it, whose reading is exact.
    private mutating func halve() {
        merged = true
        var kept = 0
        for i in values.indices where i % 2 == 0 || i == values.count - 1 {
            firstTimes[kept] = firstTimes[i]
            // The value before the kept one was last read at the previous
            // kept step's last time: the update lies after it.
            lastTimes[kept] = lastTimes[i]
            values[kept] = values[i]
            wraps[kept] = wraps[i]
            kept += 1
        }
        firstTimes.removeLast(values.count - kept)
        lastTimes.removeLast(values.count - kept)
        wraps.removeLast(values.count - kept)
        values.removeLast(values.count - kept)
    }

    /// The mean interval between consecutive readings, nanoseconds (0
    /// without two readings).
    var meanSamplingInterval: Int64 {
        pairs > 0 ? Int64((samplingSum / Double(pairs)).rounded()) : 0
    }

    /// Whether the readings show a staircase: at least 5% of consecutive
    /// readings (and at least 3) repeat the value.
    var isStaircase: Bool {
        pairs >= 8 && repeats >= 3 && repeats * 20 >= pairs && gapCount >= 2
    }

    /// The detected update period and jitter (nanoseconds): the mean
    /// interval between observed changes, and their standard deviation less
    /// the sampling's share (each observed change lags its update by up to
    /// one sampling interval: variance s²/6 for two such lags).
    var detectedPeriod: (period: Int64, jitter: Int64)? {
        guard isStaircase else { return nil }
        let mean = gapSum / Double(gapCount)
        let variance = max(0, gapSquares / Double(gapCount) - mean * mean)
        let sampling = samplingSum / Double(pairs)
        let jitter = (max(0, variance - sampling * sampling / 6)).squareRoot()
        guard mean.isFinite, mean >= 1, mean < 1e15 else { return nil }
        return (Int64(mean.rounded()), Int64(jitter.rounded()))
    }
}
