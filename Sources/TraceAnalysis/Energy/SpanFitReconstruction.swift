/// Version 3's reconstruction of a counter's energy over time from its
/// steps and the run's spans (docs/METRICS.md, "Sensor model").
///
/// 1. **Update instants.** A counter reading gives the energy at the
///    counter's last update. The update that moved it from one value to the
///    next lies after the last reading of the old value, at or before the
///    first reading of the new one, and (with update period `P`, jitter `σ`)
///    no earlier than `1.2·P + 2σ` before that reading: its *window*. With a
///    period (declared by the source, else detected), the period is refined
///    to the one under which most neighbourhoods of windows agree, each
///    instant is the middle of its window intersected with its neighbours'
///    windows moved by the periods between them (±8 changes, fewer where
///    they disagree), and then moved halfway towards where the fitted power
///    model says the counter reached its value (``placed(_:low:high:counter:model:reach:)``).
///    Without a period (the counter advanced at every reading) the
///    instants are the readings', as in version 2. Counter deltas are taken
///    between update instants (wraps and resets as in version 2), so every
///    delta is known exactly.
/// 2. **A power model from the spans.** Power is taken to be
///    `b + a·n_inference(t) + c·n_tool(t) + h·n_head(t)`, the counts of
///    inference and tool spans active at `t` over the whole run and of the
///    inferences in prefill (before their recorded first token, else within
///    a fitted head length), fitted to the counter deltas
///    by weighted least squares (weight 1/length: residuals in watts) with
///    every coefficient ≥ 0 (the best of the non-negative fits on each
///    subset of the three terms).
/// 3. **Energy between updates.** Inside each update interval the span
///    boundaries cut pieces; each piece gets the interval's delta in
///    proportion to the model's power times its length (the last piece the
///    remainder), so the interval's total is the counter delta. Where the
///    model gives no power, or a reset interval has no delta, the model's
///    energy or an even spread is used.
///
/// Power readings are never used here: averaged power says nothing about
/// when energy was spent, and a staircase counter's intervals are placed by
/// the spans even where instant power exists (docs/METRICS.md).
struct SpanFitReconstruction: Sendable {
    /// When the count of active inference and tool spans changes, with the
    /// counts from each instant until the next; `heads` counts the
    /// inferences before their first token (prefill, which draws more power
    /// than decoding), or within their first ``head`` nanoseconds where the
    /// time to first token is not recorded.
    struct Activity: Sendable {
        var times: [Int64] = []
        var inferences: [Int32] = []
        var tools: [Int32] = []
        var heads: [Int32] = []
        /// The length of an inference's head, nanoseconds (0: none).
        var head: Int64 = 0

        /// The activity of normalised queries' spans.
        init(_ queries: [QueryInterval], head: Int64 = 0) {
            self.head = head
            var deltas: [(time: Int64, inference: Int32, tool: Int32, head: Int32)] = []
            for query in queries {
                for turn in query.turns {
                    for span in turn.spans where span.end > span.start {
                        if span.kind == .tool {
                            deltas.append((span.start, 0, 1, 0))
                            deltas.append((span.end, 0, -1, 0))
                        } else {
                            // The head ends at the first token where it is
                            // known, else `head` after the start.
                            let headEnd = span.firstToken ?? (head > 0 ? min(span.start &+ head, span.end) : nil)
                            deltas.append((span.start, 1, 0, headEnd != nil ? 1 : 0))
                            deltas.append((span.end, -1, 0, 0))
                            if let headEnd { deltas.append((headEnd, 0, 0, -1)) }
                        }
                    }
                }
            }
            deltas.sort { $0.time < $1.time }
            var inference: Int32 = 0
            var tool: Int32 = 0
            var inHead: Int32 = 0
            var i = 0
            while i < deltas.count {
                let time = deltas[i].time
                while i < deltas.count, deltas[i].time == time {
                    inference += deltas[i].inference
                    tool += deltas[i].tool
                    inHead += deltas[i].head
                    i += 1
                }
                times.append(time)
                inferences.append(inference)
                tools.append(tool)
                heads.append(inHead)
            }
        }

        /// The heads tried: none, 50, 100, 200 and 400 ms.
        static let headLengths: [Int64] = [0, 50_000_000, 100_000_000, 200_000_000, 400_000_000]

        /// The activity of `queries` with each of ``headLengths``.
        static func variants(_ queries: [QueryInterval]) -> [Activity] {
            headLengths.map { Activity(queries, head: $0) }
        }
    }

    /// The fitted power model: watts at rest, per active inference, per
    /// active tool call, and per inference in its head.
    struct Model: Sendable, Equatable {
        var base: Double
        var perInference: Double
        var perTool: Double
        var perHead: Double = 0

        func watts(inferences: Int32, tools: Int32, heads: Int32) -> Double {
            base + perInference * Double(inferences) + perTool * Double(tools) + perHead * Double(heads)
        }

        /// The model's power from activity change `k` on (the base before
        /// the first).
        func watts(_ activity: Activity, at k: Int) -> Double {
            k >= 0 ? watts(inferences: activity.inferences[k], tools: activity.tools[k], heads: activity.heads[k]) : base
        }
    }

    /// Power as a step function of time: `watts[i]` from `times[i]` until
    /// the next change, `before` until the first. What energy is spread by
    /// between counter updates: the fitted model over the spans, or a
    /// source's instant power readings.
    struct PowerSteps: Sendable {
        var times: [Int64] = []
        var watts: [Double] = []
        var before: Double = 0

        /// The model's power over the run's activity (never below 0).
        init(activity: Activity, model: Model) {
            times = activity.times
            watts = activity.times.indices.map { max(0, model.watts(activity, at: $0)) }
            before = max(0, model.base)
        }

        /// Instant power readings, each held from the midpoint with the
        /// reading before to the midpoint with the one after.
        init(readings times: [Int64], watts readings: [Double]) {
            guard let first = readings.first else { return }
            before = first
            for i in 1..<max(readings.count, 1) {
                let change = times[i - 1] + (times[i] - times[i - 1]) / 2
                if let last = self.times.last, change <= last { watts[watts.count - 1] = readings[i]; continue }
                self.times.append(change)
                watts.append(readings[i])
            }
        }

        /// The power from change `k` on (`before` for -1).
        func watts(at k: Int) -> Double { k >= 0 ? watts[k] : before }
    }

    /// The series' knot times and the intervals between them.
    var times: [Int64] = []
    var intervals: [SeriesInterval] = []
    /// The fitted model.
    var model = Model(base: 0, perInference: 0, perTool: 0)
    /// How many times the counter went backwards without a wrap range.
    var counterResets = 0
    /// The update instants (knots at measured counter values), for the flags
    /// of windows that lean on reconstruction.
    var updates: [Int64] = []

    /// The length of an inference's head the fit chose (0: none).
    var head: Int64 = 0

    /// Reconstructs a series from a counter's steps and the run's activity
    /// under each head length (``Activity/variants(_:)``): the head whose
    /// fit leaves the least residual is used.
    ///
    /// With `instantPower` (a staircase counter whose source also reads
    /// instant power), the readings, held between their midpoints, take
    /// the model's place: no fit; they place the update instants and spread
    /// each delta.
    init(
        steps: CounterSteps, period: Int64?, jitter: Int64? = nil, activities: [Activity],
        instantPower: (times: [Int64], watts: [Double])? = nil
    ) {
        let count = steps.values.count
        guard count >= 2 else { return }
        // 1. Update instants and deltas.
        let windows = Self.updateInstants(steps, period: period, jitter: jitter)
        var instants = windows?.instants ?? Self.increasing(steps.firstTimes)
        var deltas: [Double] = []
        var reset: [Bool] = []
        deltas.reserveCapacity(count - 1)
        for j in 1..<count {
            var delta = steps.values[j] - steps.values[j - 1]
            var isReset = false
            if delta < 0 {
                let wrap = steps.wraps[j] > 0 ? steps.wraps[j] : steps.wraps[j - 1]
                if wrap > 0, delta + wrap >= 0 {
                    delta += wrap
                } else {
                    isReset = true
                    counterResets += 1
                    delta = 0
                }
            }
            deltas.append(delta)
            reset.append(isReset)
        }

        var counter = [0.0]
        counter.reserveCapacity(count)
        for delta in deltas { counter.append(counter[counter.count - 1] + delta) }
        let power: PowerSteps
        if let instantPower, instantPower.times.count >= 2 {
            // 2'. Measured power: it places the instants and spreads the deltas.
            power = PowerSteps(readings: instantPower.times, watts: instantPower.watts)
            let energy = ModelEnergy(steps: power, origin: steps.firstTimes[0])
            if let windows, counterResets == 0, energy.invertible {
                instants = Self.placed(instants, low: windows.low, high: windows.high, counter: counter, model: energy,
                                       period: Double(period ?? 1))
            }
        } else {
            // 2. The fit (the best head length); with a staircase, the
            // instants placed twice by the fitted model, the fit taken
            // again after each placement.
            var activity = activities[0]
            var best = Self.fitWithResidual(Self.features(instants, activity), deltas, reset)
            for candidate in activities.dropFirst() {
                let fitted = Self.fitWithResidual(Self.features(instants, candidate), deltas, reset)
                if fitted.residual < best.residual * (1 - 1e-9) {
                    best = fitted
                    activity = candidate
                }
            }
            model = best.model
            head = activity.head
            if let windows, counterResets == 0 {
                for _ in 0..<2 {
                    let energy = ModelEnergy(activity: activity, model: model, origin: steps.firstTimes[0])
                    guard energy.invertible, !activity.times.isEmpty else { break }
                    instants = Self.placed(instants, low: windows.low, high: windows.high, counter: counter, model: energy,
                                           period: Double(period ?? 1))
                    model = Self.fit(Self.features(instants, activity), deltas, reset)
                }
            }
            power = PowerSteps(activity: activity, model: model)
        }
        let changes = power.times.count
        var cursor = -1

        // 3. Knots: update instants, and the span boundaries inside each
        // update interval.
        times.append(instants[0])
        updates = instants
        cursor = -1
        for j in 1..<count {
            let (a, b) = (instants[j - 1], instants[j])
            let measured = b - a
            var flags = EnergyFlags()
            if reset[j - 1] { flags.insert(.counterReset) }
            while cursor + 1 < changes, power.times[cursor + 1] <= a { cursor += 1 }
            // The pieces: cut at the changes strictly inside (a, b).
            var cuts: [Int64] = []
            var weights: [Double] = []
            var k = cursor
            var from = a
            while from < b {
                let to = min(k + 1 < changes ? power.times[k + 1] : Int64.max, b)
                weights.append(power.watts(at: k) * Double(to - from))
                cuts.append(to)
                from = to
                k += 1
            }
            var total = 0.0
            for w in weights { total += w }
            var delta = deltas[j - 1]
            if reset[j - 1] { delta = total * 1e-9 }
            guard cuts.count > 1, total > 0, total.isFinite else {
                times.append(b)
                intervals.append(SeriesInterval(joules: delta, flags: flags, shape: nil, measuredLength: measured))
                continue
            }
            var given = 0.0
            for (i, cut) in cuts.enumerated() {
                let joules = i == cuts.count - 1 ? max(delta - given, 0) : delta * (weights[i] / total)
                given += joules
                times.append(cut)
                intervals.append(SeriesInterval(joules: joules, flags: flags, shape: nil, measuredLength: measured))
            }
        }
    }

    /// The update instant of each step's value. Each lies in a window: after
    /// the last reading of the value before, at or before the first reading
    /// of its own, and (with a period `P` and jitter `σ`) no earlier than
    /// `P + 2σ` before that reading. Updates come at a nearly steady pace,
    /// so the instants are smoothed: each is moved towards the point its
    /// neighbours predict (by the number of updates between them, the gap
    /// over `P` rounded), kept inside its window, twenty times over, from
    /// the windows' middles. Without a period the instants are the readings'.
    static func updateInstants(
        _ steps: CounterSteps, period: Int64?, jitter: Int64?
    ) -> (instants: [Int64], low: [Double], high: [Double])? {
        let count = steps.values.count
        guard let period, period > 0 else { return nil }
        let sigma = Double(jitter ?? 0)
        // Times relative to the first reading: a Double holds nanoseconds
        // since the epoch only to about 256 ns.
        let origin = steps.firstTimes[0]
        let reach = Double(period) * 1.2 + 2 * sigma
        var low = [Double](repeating: 0, count: count)
        var high = [Double](repeating: 0, count: count)
        for j in 0..<count {
            high[j] = Double(steps.firstTimes[j] &- origin)
            low[j] = high[j] - reach
            if j > 0 { low[j] = max(low[j], Double(steps.lastTimes[j - 1] &- origin)) }
            if low[j] > high[j] { low[j] = high[j] }
        }
        // The period that makes the most neighbourhoods agree.
        let estimate = Double(period)
        var best = (score: -1, period: estimate)
        let probe = min(count, 4000)
        for i in 0...60 {
            let candidate = estimate * (0.85 + 0.005 * Double(i))
            let index = Self.updateIndices(high, period: candidate)
            var score = 0
            for j in 0..<probe where Self.phase(j, reach: 4, low: low, high: high, index: index, period: candidate, sigma: sigma) != nil {
                score += 1
            }
            if score > best.score || score == best.score && abs(candidate - estimate) < abs(best.period - estimate) {
                best = (score, candidate)
            }
        }
        let index = Self.updateIndices(high, period: best.period)
        var instants = [Double](repeating: 0, count: count)
        for j in 0..<count {
            var found: Double?
            var r = 8
            while found == nil, r >= 0 {
                found = Self.phase(j, reach: r, low: low, high: high, index: index, period: best.period, sigma: sigma)
                r = r == 0 ? -1 : r / 2
            }
            instants[j] = found ?? 0.5 * (low[j] + high[j])
        }
        return (increasing(instants, origin: origin), low, high)
    }

    /// How many updates precede each observed change, counting each gap
    /// between first readings as its length over the period, rounded (at
    /// least one).
    static func updateIndices(_ high: [Double], period: Double) -> [Double] {
        var index = [Double](repeating: 0, count: high.count)
        for j in high.indices.dropFirst() {
            index[j] = index[j - 1] + max(1, ((high[j] - high[j - 1]) / period).rounded())
        }
        return index
    }

    /// The middle of the instants update `j` may have had, given its window
    /// and those of its neighbours up to `reach` changes away, each moved by
    /// the periods between them (with a tolerance of 2σ√n for n periods);
    /// nil when they do not agree.
    static func phase(
        _ j: Int, reach: Int, low: [Double], high: [Double], index: [Double], period: Double, sigma: Double
    ) -> Double? {
        var from = low[j]
        var to = high[j]
        for k in max(0, j - reach)...min(low.count - 1, j + reach) where k != j {
            let steps = index[k] - index[j]
            let tolerance = 2 * sigma * abs(steps).squareRoot() + 1_000_000
            from = max(from, low[k] - steps * period - tolerance)
            to = min(to, high[k] - steps * period + tolerance)
        }
        return from <= to ? 0.5 * (from + to) : nil
    }

    /// Rounded instants after `origin`, made strictly increasing.
    static func increasing(_ values: [Double], origin: Int64) -> [Int64] {
        increasing(values.map { origin &+ Int64($0.rounded()) })
    }

    /// Instants made strictly increasing.
    static func increasing(_ values: [Int64]) -> [Int64] {
        var instants = values
        for j in instants.indices.dropFirst() where instants[j] <= instants[j - 1] { instants[j] = instants[j - 1] + 1 }
        return instants
    }

    /// The model's cumulative energy as a function of time (joules since
    /// the first activity change; before it, at base power), and its inverse.
    struct ModelEnergy {
        let steps: PowerSteps
        /// Times are nanoseconds after this instant.
        let origin: Int64
        private var cumulative: [Double] = []
        private var times: [Double] = []

        init(steps: PowerSteps, origin: Int64) {
            self.steps = steps
            self.origin = origin
            times = steps.times.map { Double($0 &- origin) }
            var total = 0.0
            for i in steps.times.indices {
                cumulative.append(total)
                if i + 1 < steps.times.count {
                    total += steps.watts[i] * Double(steps.times[i + 1] - steps.times[i]) * 1e-9
                }
            }
        }

        init(activity: Activity, model: Model, origin: Int64) {
            self.init(steps: PowerSteps(activity: activity, model: model), origin: origin)
        }

        /// Whether the model's power is positive everywhere (so the energy
        /// is strictly increasing and can be inverted).
        var invertible: Bool {
            steps.before > 0 && steps.watts.allSatisfy { $0 > 0 }
        }

        func energy(at t: Double) -> Double {
            guard let first = times.first, t >= first else {
                return steps.before * (t - (times.first ?? 0)) * 1e-9
            }
            var low = 0
            var high = times.count
            while low < high {
                let mid = (low + high) / 2
                if times[mid] <= t { low = mid + 1 } else { high = mid }
            }
            let i = low - 1
            return cumulative[i] + steps.watts[i] * (t - times[i]) * 1e-9
        }

        func time(at e: Double) -> Double {
            guard !times.isEmpty, e >= 0 else { return (times.first ?? 0) + e / steps.before * 1e9 }
            var low = 0
            var high = cumulative.count
            while low < high {
                let mid = (low + high) / 2
                if cumulative[mid] <= e { low = mid + 1 } else { high = mid }
            }
            let i = max(low - 1, 0)
            return times[i] + (e - cumulative[i]) / steps.watts[i] * 1e9
        }
    }

    /// Update instants placed by the counter's own increments: under the
    /// fitted model, the counter value `E_j` is reached at `M⁻¹(E_j − C)`,
    /// `M` the model's cumulative energy and `C` a constant that drifts
    /// slowly with the model's error. For each update, `C` is taken as the
    /// middle of the range that keeps its ±`reach` neighbours' instants
    /// inside their windows; the instant is then clamped into its own
    /// window. Where the range is empty the smoothed instant stays.
    static func placed(
        _ instants: [Int64], low: [Double], high: [Double], counter: [Double], model: ModelEnergy, period: Double,
        reach: Int = 8
    ) -> [Int64] {
        let count = instants.count
        // Per update, the range of C its window allows.
        var lowC = [Double](repeating: 0, count: count)
        var highC = [Double](repeating: 0, count: count)
        for j in 0..<count {
            lowC[j] = counter[j] - model.energy(at: high[j])
            highC[j] = counter[j] - model.energy(at: low[j])
        }
        var result = instants.map { Double($0 &- model.origin) }
        for j in 0..<count {
            // The widest neighbourhood whose windows agree on C.
            var range: (Double, Double)?
            var r = reach
            while r >= 0, range == nil {
                var from = -Double.infinity
                var to = Double.infinity
                for k in max(0, j - r)...min(count - 1, j + r) {
                    from = max(from, lowC[k])
                    to = min(to, highC[k])
                }
                if from <= to { range = (from, to) }
                r = r == 0 ? -1 : r / 2
            }
            guard let (from, to) = range else { continue }
            let instant = model.time(at: counter[j] - 0.5 * (from + to))
            // Between the periodic estimate and the energy's, trusting the
            // energy's the more, the wider the window (relative to the
            // period) the periodic one came from.
            let weight = min(1, max(0.5, (high[j] - low[j]) / period))
            if instant.isFinite { result[j] = min(max(weight * instant + (1 - weight) * result[j], low[j]), high[j]) }
        }
        return increasing(result, origin: model.origin)
    }

    /// The fit's features of each interval between instants: its length,
    /// inference-seconds and tool-seconds.
    static func features(_ instants: [Int64], _ activity: Activity) -> [SIMD4<Double>] {
        var features: [SIMD4<Double>] = []
        features.reserveCapacity(instants.count)
        let changes = activity.times.count
        // The last change at or before the interval's start, or -1.
        var cursor = -1
        for j in 1..<instants.count {
            let (a, b) = (instants[j - 1], instants[j])
            var feature = SIMD4<Double>(Double(b - a) * 1e-9, 0, 0, 0)
            while cursor + 1 < changes, activity.times[cursor + 1] <= a { cursor += 1 }
            var k = cursor
            var from = a
            while from < b {
                let to = min(k + 1 < changes ? activity.times[k + 1] : Int64.max, b)
                if k >= 0 {
                    let seconds = Double(to - from) * 1e-9
                    feature[1] += seconds * Double(activity.inferences[k])
                    feature[2] += seconds * Double(activity.tools[k])
                    feature[3] += seconds * Double(activity.heads[k])
                }
                from = to
                k += 1
            }
            features.append(feature)
        }
        return features
    }

    /// The non-negative weighted least-squares fit of `deltas` (resets left
    /// out): the subset of terms (base, inferences, tools, heads) whose
    /// unconstrained solution is non-negative with the least residual; the
    /// base alone with fewer than ``minimumIntervals`` intervals.
    static func fit(_ features: [SIMD4<Double>], _ deltas: [Double], _ reset: [Bool]) -> Model {
        fitWithResidual(features, deltas, reset).model
    }

    /// ``fit(_:_:_:)`` and its weighted residual (watts² × seconds).
    static func fitWithResidual(
        _ features: [SIMD4<Double>], _ deltas: [Double], _ reset: [Bool]
    ) -> (model: Model, residual: Double) {
        let n = 4
        // Normal equations of Σ (y − xβ)² / length.
        var a = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var c = [Double](repeating: 0, count: n)
        var yy = 0.0
        var usable = 0
        for (i, x) in features.enumerated() where !reset[i] && x[0] > 0 {
            usable += 1
            let w = 1 / x[0]
            for r in 0..<n {
                c[r] += w * x[r] * deltas[i]
                for s in 0..<n { a[r][s] += w * x[r] * x[s] }
            }
            yy += w * deltas[i] * deltas[i]
        }
        var best: (residual: Double, beta: [Double])?
        // Too few intervals to tell the terms apart: the base alone (an
        // even spread, version 2's linear interpolation).
        for mask in 1..<(1 << n) where usable >= minimumIntervals || mask == 1 {
            let terms = (0..<n).filter { mask & (1 << $0) != 0 }
            guard let solution = solve(terms.map { r in terms.map { a[r][$0] } }, terms.map { c[$0] }),
                  solution.allSatisfy({ $0 >= 0 && $0.isFinite })
            else { continue }
            var beta = [Double](repeating: 0, count: n)
            for (k, term) in terms.enumerated() { beta[term] = solution[k] }
            // Residual: yy − 2βᵀc + βᵀAβ.
            var residual = yy
            for r in 0..<n {
                residual -= 2 * beta[r] * c[r]
                for s in 0..<n { residual += beta[r] * a[r][s] * beta[s] }
            }
            if best == nil || residual < best!.residual - 1e-12 * abs(best!.residual) { best = (residual, beta) }
        }
        guard let (residual, beta) = best else { return (Model(base: 0, perInference: 0, perTool: 0), yy) }
        return (Model(base: beta[0], perInference: beta[1], perTool: beta[2], perHead: beta[3]), residual)
    }

    /// The fewest counter intervals for a fit of more than the base.
    static let minimumIntervals = 12

    /// The shift of the spans against a counter's readings under which the
    /// power model fits the counter best, nanoseconds: the spans' clock
    /// runs that much behind the telemetry's (so `--clock-offset SOURCE=`
    /// minus it, in milliseconds, aligns them). Searched over ±`range` in
    /// 5 ms steps, then ±5 ms in 1 ms steps; nil with too few intervals or
    /// with resets.
    static func estimateOffset(
        steps: CounterSteps, period: Int64?, jitter: Int64?, activities: [Activity], range: Int64 = 1_000_000_000
    ) -> Int64? {
        let count = steps.values.count
        guard count > minimumIntervals, activities.contains(where: { !$0.times.isEmpty }) else { return nil }
        // Each value's first reading, less the mean lag from the update it
        // shows: half the sampling interval, or half the update period when
        // updates come faster than readings (none for a counter read at its
        // own instants). Unlike the smoothed instants, these move with no
        // hypothesis about the spans, so the residual's minimum is not drawn
        // towards no shift.
        let sampling = steps.meanSamplingInterval
        let lag = period.map { min($0, sampling) / 2 } ?? 0
        let instants = increasing(steps.firstTimes.map { $0 &- lag })
        var deltas: [Double] = []
        for j in 1..<count {
            let delta = steps.values[j] - steps.values[j - 1]
            guard delta >= 0 else { return nil }
            deltas.append(delta)
        }
        let reset = [Bool](repeating: false, count: deltas.count)
        // The least residual over the head lengths.
        func residual(_ shift: Int64) -> Double {
            var least = Double.infinity
            for activity in activities {
                var shifted = activity
                shifted.times = activity.times.map { $0 &+ shift }
                least = min(least, fitWithResidual(features(instants, shifted), deltas, reset).residual)
            }
            return least
        }
        var best = (shift: Int64(0), residual: residual(0))
        for shift in stride(from: -range, through: range, by: 5_000_000) where shift != 0 {
            let r = residual(shift)
            if r < best.residual { best = (shift, r) }
        }
        let coarse = best.shift
        for shift in stride(from: coarse - 5_000_000, through: coarse + 5_000_000, by: 1_000_000) where shift != coarse {
            let r = residual(shift)
            if r < best.residual { best = (shift, r) }
        }
        return best.shift
    }


    /// Solves a small symmetric system by Gaussian elimination with partial
    /// pivoting; nil when it is singular.
    static func solve(_ matrix: [[Double]], _ vector: [Double]) -> [Double]? {
        let n = vector.count
        var m = matrix
        var v = vector
        var scale = 0.0
        for row in m { for value in row { scale = max(scale, abs(value)) } }
        guard scale > 0, scale.isFinite else { return nil }
        for col in 0..<n {
            var pivot = col
            for r in col..<n where abs(m[r][col]) > abs(m[pivot][col]) { pivot = r }
            guard abs(m[pivot][col]) > scale * 1e-12 else { return nil }
            m.swapAt(col, pivot)
            v.swapAt(col, pivot)
            for r in (col + 1)..<n {
                let factor = m[r][col] / m[col][col]
                for s in col..<n { m[r][s] -= factor * m[col][s] }
                v[r] -= factor * v[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var sum = v[r]
            for s in (r + 1)..<n { sum -= m[r][s] * x[s] }
            x[r] = sum / m[r][r]
        }
        return x
    }
}
