import TraceLog

/// One source's energy in one domain as a function of time: the cleaned,
/// unwrapped cumulative energy, defined from its first to its last usable
/// sample.
///
/// Between two consecutive usable samples (an *interval*) the series knows
/// the interval's energy exactly (the counter delta, unwrapped) and shapes it
/// over time with the power readings at both ends when they are usable
/// (see ``Shape``). Interpolating never changes an interval's total, so any
/// partition of time into pieces sums back to the counter's delta.
///
/// Cleaning rules:
/// - counter or power values that are NaN, infinite, negative or the -1
///   "unavailable" sentinel are skipped;
/// - a counter that goes backwards is unwrapped by the declared wrap range
///   (`energyWrapJoules`); without one it is a *reset*: the series restarts
///   from the new value and the interval's energy is the trapezoid of its
///   power readings, or zero when it has none (flagged ``EnergyFlag/counterReset``);
/// - a source without at least two usable counter values but with at least
///   two usable power readings is integrated by the trapezoid rule
///   (flagged ``EnergyFlag/powerIntegrated``).
public struct EnergySeries: Sendable {
    /// How an interval's energy is spread over the interval.
    public enum Shape: String, Sendable, Hashable, CaseIterable {
        /// Constant power: the counter is interpolated linearly.
        case linear
        /// Use the power readings at both ends of the interval: when the
        /// interval's mean power lies between them, the power is taken to
        /// step once from the first reading to the second at the instant
        /// that makes the integral equal the counter delta; otherwise it
        /// ramps linearly between them, scaled to the counter delta. Falls
        /// back to ``linear`` without two usable power readings.
        case powerShaped = "power_shaped"
    }

    /// Where the series' energy comes from.
    public enum Method: String, Sendable, Hashable {
        /// Differences of an energy counter.
        case counter
        /// Trapezoidal integration of power readings.
        case powerIntegration = "power_integration"
    }

    /// Options for building series.
    public struct Options: Sendable, Hashable {
        /// How an interval's energy is spread over time.
        public var shape: Shape
        /// An interval longer than this many nominal sampling periods is a
        /// gap (flagged ``EnergyFlag/longGapInterpolated``).
        public var gapFactor: Double

        /// Whether sources are given a sensor model (version 3 of the
        /// `default` set): staircase counters and averaged or missing power
        /// are reconstructed from the spans (``SensorModel``). Version 2
        /// takes every reading as exact at its instant.
        public var sensorModel: Bool
        /// Shifts of telemetry sources' timestamps onto the run's clock
        /// (`--clock-offset SOURCE=±MS`), applied before anything else.
        public var clockOffsets: [SourceClockOffset]

        /// Creates options.
        public init(
            shape: Shape = .powerShaped, gapFactor: Double = 3, sensorModel: Bool = true,
            clockOffsets: [SourceClockOffset] = []
        ) {
            self.shape = shape
            self.gapFactor = gapFactor
            self.sensorModel = sensorModel
            self.clockOffsets = clockOffsets
        }
    }

    /// The source's name (`gpu0`, `cpu-package-0`, …).
    public let source: String
    /// The domain.
    public let domain: EnergyDomain
    /// Where the energy comes from; nil when the source has no usable data.
    public let method: Method?
    /// The times of the usable samples, strictly increasing (nanoseconds).
    public let times: [Int64]
    /// The energy of each interval `times[i] ..< times[i+1]`, joules (≥ 0).
    public let intervalJoules: [Double]
    /// What is uncertain about each interval.
    public let intervalFlags: [EnergyFlags]
    /// The median interval length (the nominal sampling period), if any.
    public let nominalPeriod: Int64?
    /// An interval longer than this (ns) is a gap: nominal period × gap factor.
    let gapThreshold: Double
    /// How many times the counter went backwards without a wrap range.
    public let counterResets: Int
    /// How many times the counter wrapped around its declared range.
    public let counterWraps: Int
    /// How many values were skipped as unusable (NaN, infinite, negative, -1).
    public let skippedValues: Int

    /// Per interval: the start power and end power used to shape it, or nil
    /// for a linear interval.
    let shapePowers: [ShapePowers?]

    /// The power profile of one interval, fixed so that it integrates to the
    /// interval's energy.
    enum ShapePowers: Sendable {
        /// Power `first` up to fraction `at`, then `second`.
        case step(first: Double, second: Double, at: Double)
        /// Power rising linearly from `first` to `second`.
        case ramp(first: Double, second: Double)
    }

    /// Builds a series from one source's readings in one domain.
    ///
    /// Readings may come in any order; they are ordered by timestamp (stably).
    /// Of several usable readings with the same timestamp the last is used.
    public init(source: String, domain: EnergyDomain, readings: [EnergyReading], options: Options = Options()) {
        let ordered = zip(readings, readings.dropFirst()).allSatisfy({ $0.timestamp <= $1.timestamp })
            ? readings
            : readings.enumerated().sorted {
                ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset)
            }.map(\.element)
        var survey = SeriesSurvey()
        let clean = ordered.map { survey.add($0) }
        var builder = SeriesBuilder(plan: survey.plan(), shape: options.shape)
        var times: [Int64] = []
        var intervals: [SeriesInterval] = []
        func take(_ knot: SeriesBuilder.Knot?) {
            guard let knot else { return }
            times.append(knot.time)
            if let interval = knot.interval { intervals.append(interval) }
        }
        for reading in clean { take(builder.add(reading)) }
        take(builder.finish())
        self.init(source: source, domain: domain, survey: survey, builder: builder, times: times, intervals: intervals,
                  gapFactor: options.gapFactor)
    }

    /// Assembles a series from what its survey and builder found.
    init(source: String, domain: EnergyDomain, survey: SeriesSurvey, builder: SeriesBuilder,
         times: [Int64], intervals: [SeriesInterval], gapFactor: Double) {
        self.source = source
        self.domain = domain
        method = builder.plan.method
        self.times = times
        intervalJoules = intervals.map(\.joules)
        let period = builder.nominalPeriod
        nominalPeriod = period
        gapThreshold = period.map { Double($0) * gapFactor } ?? .infinity
        var flags = intervals.map(\.flags)
        for i in flags.indices where Double(times[i + 1] - times[i]) > gapThreshold {
            flags[i].insert(.longGapInterpolated)
        }
        intervalFlags = flags
        shapePowers = intervals.map(\.shape)
        counterResets = builder.counterResets
        counterWraps = builder.counterWraps
        skippedValues = survey.skippedValues
    }

    /// The profile of an interval with usable power readings at both ends.
    static func shape(first a: Double, second b: Double, joules: Double, seconds: Double) -> ShapePowers? {
        guard seconds > 0, joules > 0, a + b > 0 else { return nil }
        let mean = joules / seconds
        let scale = max(a, b)
        if abs(a - b) <= 1e-9 * scale { return nil }
        let at = (b - mean) / (b - a)
        if at >= 0 && at <= 1 { return .step(first: a, second: b, at: at) }
        return .ramp(first: a, second: b)
    }

    /// The first and last instants the series covers, if it has any interval.
    public var coverage: ClosedRange<Int64>? {
        guard let first = times.first, let last = times.last, times.count >= 2 else { return nil }
        return first...last
    }

    /// The total energy the series holds, joules.
    public var totalJoules: Double {
        var sum = CompensatedSum()
        for joules in intervalJoules { sum.add(joules) }
        return sum.value
    }

    /// The index of the interval holding `time` (the last one for its end),
    /// or nil outside the coverage.
    public func intervalIndex(containing time: Int64) -> Int? {
        guard let coverage, coverage.contains(time) else { return nil }
        var low = 0
        var high = times.count - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if times[mid] <= time { low = mid } else { high = mid }
        }
        return low
    }

    /// The share (0…1) of interval `index`'s energy spent before fraction
    /// `u` (0…1) of the interval.
    func cumulativeFraction(interval index: Int, at u: Double) -> Double {
        ShapePowers.cumulativeFraction(shapePowers[index], at: u)
    }

    /// The energy spent between two instants inside interval `index`.
    func joules(interval index: Int, from start: Int64, to end: Int64) -> Double {
        ShapePowers.joules(intervalJoules[index], shape: shapePowers[index],
                           over: times[index], times[index + 1], from: start, to: end)
    }

    /// The cleaned cumulative energy at `time` (zero at the first usable
    /// sample), interpolated; nil outside the coverage.
    public func cumulativeJoules(at time: Int64) -> Double? {
        guard let index = intervalIndex(containing: time) else { return nil }
        var sum = CompensatedSum()
        for i in 0..<index { sum.add(intervalJoules[i]) }
        sum.add(joules(interval: index, from: times[index], to: time))
        return sum.value
    }

    /// The energy between two instants, clipped to the coverage; nil when
    /// the two do not overlap.
    public func joules(from start: Int64, to end: Int64) -> Double? {
        guard let coverage, start <= end else { return nil }
        let a = max(start, coverage.lowerBound)
        let b = min(end, coverage.upperBound)
        guard a <= b, let ea = cumulativeJoules(at: a), let eb = cumulativeJoules(at: b) else { return nil }
        return eb - ea
    }
}

extension EnergySeries {
    /// Builds one series per source and domain from a run's telemetry
    /// samples, ordered by domain (gpu, cpu, dram) and then source name.
    ///
    /// Events are ordered by timestamp, then sequence. A sample without a
    /// source name is filed under `unknown`.
    public static func series(from events: [TraceEvent], options: Options = Options()) -> [EnergySeries] {
        var slots = SeriesSlots()
        var readings: [[EnergyReading]] = []
        for index in sampleOrder(events) {
            guard case .sample(let sample) = events[index].payload else { continue }
            let timestamp = events[index].timestamp
            var position: Int?
            for (d, domain) in SeriesSlots.domains.enumerated() {
                guard let reading = EnergyReading(sample: sample, domain: domain, timestamp: timestamp) else { continue }
                let source = position ?? slots.position(adding: sample.source ?? "unknown")
                position = source
                let slot = slots.slot(adding: d, source: source)
                if slot == readings.count { readings.append([]) }
                readings[slot].append(reading)
            }
        }
        return slots.sorted.map { slot in
            EnergySeries(source: slots.keys[slot].source, domain: slots.keys[slot].domain, readings: readings[slot], options: options)
        }
    }

    /// The indices of the samples among `events`, ordered by timestamp, then
    /// sequence, then position (a stable sort). Only the samples' indices
    /// are sorted, and not at all when they are already in that order.
    package static func sampleOrder(_ events: [TraceEvent]) -> [Int] {
        events.withUnsafeBufferPointer { buffer in
            var indices: [Int] = []
            var sorted = true
            for index in buffer.indices {
                guard case .sample = buffer[index].payload else { continue }
                if let last = indices.last,
                   (buffer[index].timestamp, buffer[index].sequence) < (buffer[last].timestamp, buffer[last].sequence) {
                    sorted = false
                }
                indices.append(index)
            }
            if !sorted {
                indices.sort {
                    (buffer[$0].timestamp, buffer[$0].sequence, $0) < (buffer[$1].timestamp, buffer[$1].sequence, $1)
                }
            }
            return indices
        }
    }
}
