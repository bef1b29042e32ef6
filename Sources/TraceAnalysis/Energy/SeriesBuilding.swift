/// The incremental parts of ``EnergySeries``: cleaning one reading, surveying
/// a source's readings (which method, what coverage, what sampling period),
/// and building its intervals one reading at a time.
///
/// ``EnergySeries/init(source:domain:readings:options:)`` runs them over an
/// array; the streaming analysis runs the survey over a first pass of the
/// log and the builder over a second, holding only the current interval.
/// Both see the same readings in the same order, so both give the same
/// intervals, bit for bit.
///
/// The nominal sampling period (the median interval length) is found in
/// memory that does not grow with the number of readings: the survey counts
/// interval lengths per ``LengthBucket`` (12 significant bits), which names
/// the bucket holding the median and its rank there; the builder then counts
/// the exact lengths that fall in that one bucket (at most 2^(b−12) distinct
/// values for lengths of b bits) and picks the median from them.

/// A reading with its unusable values removed: NaN, infinite, negative and
/// the -1 "unavailable" sentinel become nil, and so does a wrap range that
/// is not finite and positive.
struct CleanReading: Sendable {
    /// When the reading was taken, nanoseconds.
    var time: Int64
    /// The usable counter value, joules.
    var counter: Double?
    /// The usable power value, watts.
    var power: Double?
    /// The usable wrap range, joules.
    var wrap: Double?

    /// Cleans `reading`, counting each counter or power value dropped.
    init(_ reading: EnergyReading, skipped: inout Int) {
        func usable(_ value: Double?) -> Double? {
            guard let value else { return nil }
            guard value.isFinite, value >= 0 else {
                skipped += 1
                return nil
            }
            return value
        }
        time = reading.timestamp
        counter = usable(reading.counterJoules)
        power = usable(reading.powerWatts)
        wrap = reading.wrapJoules.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
    }
}

/// Interval lengths grouped by their 12 most significant bits: lengths
/// below 4096 ns each have their own bucket; a longer one of `b` bits shares
/// its bucket with the 2^(b−12) lengths that agree on those bits. Bucket
/// numbers increase with the lengths they hold.
enum LengthBucket {
    /// The bucket of `length` (≥ 0).
    static func of(_ length: Int64) -> Int64 {
        let value = UInt64(max(length, 0))
        let bits = 64 - value.leadingZeroBitCount
        guard bits > 12 else { return Int64(value) }
        let shift = bits - 12
        return Int64(shift) << 12 | Int64(value >> UInt64(shift))
    }
}

/// Counts per integer key, in an array over the range of keys seen (keys
/// cluster: interval lengths sit near the sampling period), so counting
/// costs an index, not a hash. Callers bound the range of keys.
struct DenseCounts: Sendable {
    private var low: Int64 = 0
    private var counts: [UInt32] = []
    /// The number of keys counted.
    private(set) var total = 0

    /// Counts `key` once.
    mutating func add(_ key: Int64) {
        if counts.isEmpty {
            low = key
            counts = [0]
        } else if key < low {
            counts.insert(contentsOf: repeatElement(0, count: Int(low - key)), at: 0)
            low = key
        } else if key - low >= Int64(counts.count) {
            counts.append(contentsOf: repeatElement(0, count: Int(key - low) - counts.count + 1))
        }
        counts[Int(key - low)] += 1
        total += 1
    }

    /// The `k`-th smallest key counted (0-based) and its rank among the
    /// keys equal to it.
    func locate(_ k: Int) -> (key: Int64, rank: Int)? {
        var below = 0
        for (offset, count) in counts.enumerated() where count > 0 {
            if k < below + Int(count) { return (low + Int64(offset), k - below) }
            below += Int(count)
        }
        return nil
    }
}

/// How many interval lengths fell in each ``LengthBucket`` (at most
/// 64 × 4096 buckets).
struct LengthHistogram: Sendable {
    private var buckets = DenseCounts()
    /// The number of lengths counted.
    var total: Int { buckets.total }

    /// Counts one length.
    mutating func add(_ length: Int64) { buckets.add(LengthBucket.of(length)) }

    /// Forgets every count.
    mutating func removeAll() { buckets = DenseCounts() }

    /// The bucket holding the `k`-th smallest length (0-based) and that
    /// length's rank among the bucket's lengths.
    func locate(_ k: Int) -> (bucket: Int64, rank: Int) {
        guard let found = buckets.locate(k) else { preconditionFailure("rank \(k) beyond \(total) lengths") }
        return (found.key, found.rank)
    }
}

/// The exact lengths of one bucket, counted, to pick one by rank: densely
/// for buckets up to 2^16 lengths wide (lengths under 2^28 ns ≈ 0.27 s),
/// in a dictionary for wider ones.
struct BucketLengths: Sendable {
    /// The bucket kept.
    let bucket: Int64
    private let dense: Bool
    private var denseCounts = DenseCounts()
    private var sparseCounts: [Int64: Int] = [:]

    /// Keeps the lengths of `bucket`.
    init(bucket: Int64) {
        self.bucket = bucket
        dense = bucket >> 12 <= 16
    }

    /// Counts `length` when it falls in the bucket.
    mutating func add(_ length: Int64) {
        guard LengthBucket.of(length) == bucket else { return }
        if dense {
            denseCounts.add(length)
        } else {
            sparseCounts[length, default: 0] += 1
        }
    }

    /// The `rank`-th smallest length counted (0-based).
    func select(_ rank: Int) -> Int64? {
        if dense { return denseCounts.locate(rank)?.key }
        var below = 0
        for length in sparseCounts.keys.sorted() {
            below += sparseCounts[length]!
            if rank < below { return length }
        }
        return nil
    }
}

/// What a first look at all of one source's readings in one domain decides
/// before its intervals are built: the method, the coverage and the nominal
/// sampling period.
///
/// Readings must be given in time order (equal times allowed).
struct SeriesSurvey: Sendable {
    /// Distinct times of usable counter and power values, first and last.
    private var counterKnots = 0
    private var powerKnots = 0
    private var firstCounter: Int64 = 0
    private var lastCounter: Int64 = 0
    private var firstPower: Int64 = 0
    private var lastPower: Int64 = 0
    private var counterLengths = LengthHistogram()
    private var powerLengths = LengthHistogram()
    /// Values dropped as unusable.
    private(set) var skippedValues = 0
    /// The time of the last reading, to check the order.
    private(set) var lastTime: Int64?
    /// Whether every reading came at or after the one before.
    private(set) var isOrdered = true

    /// Takes the next reading; returns it cleaned.
    @discardableResult
    mutating func add(_ reading: EnergyReading) -> CleanReading {
        let clean = CleanReading(reading, skipped: &skippedValues)
        if let lastTime, clean.time < lastTime { isOrdered = false }
        lastTime = clean.time
        if clean.counter != nil {
            if counterKnots == 0 {
                firstCounter = clean.time
                counterKnots = 1
            } else if clean.time != lastCounter {
                counterLengths.add(clean.time - lastCounter)
                counterKnots += 1
            }
            lastCounter = clean.time
            // With two counter knots the counter is the method: power
            // lengths will never be needed.
            if counterKnots == 2 { powerLengths.removeAll() }
        }
        if clean.power != nil {
            if powerKnots == 0 {
                firstPower = clean.time
                powerKnots = 1
            } else if clean.time != lastPower {
                if counterKnots < 2 { powerLengths.add(clean.time - lastPower) }
                powerKnots += 1
            }
            lastPower = clean.time
        }
        return clean
    }

    /// Forgets the interval lengths (after ``plan()``, which needs them).
    mutating func dropLengths() {
        counterLengths.removeAll()
        powerLengths.removeAll()
    }

    /// The plan for building the series.
    func plan() -> SeriesPlan {
        let method: EnergySeries.Method?
        let first: Int64
        let last: Int64
        let lengths: LengthHistogram
        if counterKnots >= 2 {
            (method, first, last, lengths) = (.counter, firstCounter, lastCounter, counterLengths)
        } else if powerKnots >= 2 {
            (method, first, last, lengths) = (.powerIntegration, firstPower, lastPower, powerLengths)
        } else {
            return SeriesPlan(method: nil, coverage: nil, median: nil)
        }
        return SeriesPlan(method: method, coverage: first...last, median: lengths.locate((lengths.total - 1) / 2))
    }
}

/// How a series will be built: decided by its ``SeriesSurvey``.
struct SeriesPlan: Sendable {
    /// Where the energy comes from; nil when the source has no usable data.
    var method: EnergySeries.Method?
    /// The first and last knot times, when there are at least two knots.
    var coverage: ClosedRange<Int64>?
    /// Where the median interval length is: its ``LengthBucket`` and its
    /// rank there (nil without intervals).
    var median: (bucket: Int64, rank: Int)?
}

/// One interval of a series: its energy, what is uncertain about it and how
/// the energy is spread over it.
struct SeriesInterval: Sendable {
    /// The energy of the interval, joules (≥ 0).
    var joules: Double
    /// What is uncertain about it (a long gap is judged later, from lengths).
    var flags: EnergyFlags
    /// The power profile, or nil for a linear one.
    var shape: EnergySeries.ShapePowers?
    /// The length of the measurement the interval is part of, when longer
    /// than the interval itself (a reconstructed series cuts one counter
    /// update interval into several); 0: the interval is the measurement.
    /// Long gaps are judged on it.
    var measuredLength: Int64 = 0
}

/// Builds a series' knots and intervals from its cleaned readings in time
/// order, one reading at a time, following its ``SeriesPlan``.
///
/// A knot is final when a reading with a later time arrives (of several
/// usable readings with the same time, the last is used), so the builder
/// holds one pending knot. Intervals are not flagged as gaps here: that
/// needs the nominal period, known only at the end (``nominalPeriod``).
struct SeriesBuilder: Sendable {
    /// The plan.
    let plan: SeriesPlan
    /// How intervals are shaped.
    let shape: EnergySeries.Shape
    /// The last final knot, and the pending one.
    private var final: CleanReading?
    private var pending: CleanReading?
    /// How many times the counter went backwards without a wrap range.
    private(set) var counterResets = 0
    /// How many times the counter wrapped around its declared range.
    private(set) var counterWraps = 0
    /// The lengths of the bucket that holds the median.
    private var medianBucket: BucketLengths?

    /// Creates a builder.
    init(plan: SeriesPlan, shape: EnergySeries.Shape) {
        self.plan = plan
        self.shape = shape
        medianBucket = plan.median.map { BucketLengths(bucket: $0.bucket) }
    }

    /// The median interval length (the nominal sampling period), once
    /// every reading has been added and ``finish()`` has run.
    var nominalPeriod: Int64? {
        guard let median = plan.median else { return nil }
        return medianBucket?.select(median.rank)
    }

    /// A knot made final: its time, and the interval that ends at it (nil
    /// for a series' first knot).
    struct Knot {
        var time: Int64
        var interval: SeriesInterval?
    }

    /// Takes the next cleaned reading; returns the knot it makes final, if
    /// any (at most one per reading).
    @inline(__always)
    mutating func add(_ reading: CleanReading) -> Knot? {
        switch plan.method {
        case .counter?: guard reading.counter != nil else { return nil }
        case .powerIntegration?: guard reading.power != nil else { return nil }
        case nil: return nil
        }
        var knot: Knot?
        if let held = pending, held.time != reading.time { knot = settle(held) }
        pending = reading
        return knot
    }

    /// Makes the pending knot final (the readings are over) and returns it.
    mutating func finish() -> Knot? {
        defer { pending = nil }
        return pending.flatMap { settle($0) }
    }

    private mutating func settle(_ knot: CleanReading) -> Knot? {
        defer { final = knot }
        guard let previous = final else { return Knot(time: knot.time, interval: nil) }
        let seconds = Double(knot.time - previous.time) * 1e-9
        var interval: SeriesInterval
        switch plan.method {
        case .counter?:
            var delta = knot.counter! - previous.counter!
            var flags = EnergyFlags()
            if delta < 0, let wrap = knot.wrap ?? previous.wrap, delta + wrap >= 0 {
                delta += wrap
                counterWraps += 1
            } else if delta < 0 {
                counterResets += 1
                flags.insert(.counterReset)
                if let a = previous.power, let b = knot.power {
                    delta = 0.5 * (a + b) * seconds
                } else {
                    delta = 0
                }
            }
            var profile: EnergySeries.ShapePowers?
            if shape == .powerShaped, let a = previous.power, let b = knot.power {
                profile = EnergySeries.shape(first: a, second: b, joules: delta, seconds: seconds)
            }
            interval = SeriesInterval(joules: delta, flags: flags, shape: profile)
        case .powerIntegration?:
            let a = previous.power!
            let b = knot.power!
            interval = SeriesInterval(joules: 0.5 * (a + b) * seconds, flags: EnergyFlags([.powerIntegrated]),
                                      shape: a + b > 0 ? .ramp(first: a, second: b) : nil)
        case nil:
            return nil
        }
        medianBucket?.add(knot.time - previous.time)
        return Knot(time: knot.time, interval: interval)
    }
}

extension EnergySeries.ShapePowers {
    /// The part of an interval's energy `joules` (spread by `shape` over
    /// `t0 ..< t1`) spent between `start` and `end` inside it.
    @inline(__always)
    static func joules(
        _ joules: Double, shape: EnergySeries.ShapePowers?, over t0: Int64, _ t1: Int64, from start: Int64, to end: Int64
    ) -> Double {
        let length = Double(t1 - t0)
        let u0 = Double(start - t0) / length
        let u1 = Double(end - t0) / length
        return joules * (cumulativeFraction(shape, at: u1) - cumulativeFraction(shape, at: u0))
    }

    /// The share (0…1) of the interval's energy spent before fraction `u`
    /// (0…1) of it; nil (`profile`) is linear.
    @inline(__always)
    static func cumulativeFraction(_ profile: EnergySeries.ShapePowers?, at u: Double) -> Double {
        let u = min(max(u, 0), 1)
        switch profile {
        case nil:
            return u
        case .ramp(let a, let b)?:
            return (a * u + 0.5 * (b - a) * u * u) / (0.5 * (a + b))
        case .step(let a, let b, let at)?:
            let mean = a * at + b * (1 - at)
            if u <= at { return a * u / mean }
            return (a * at + b * (u - at)) / mean
        }
    }
}
