/// The attribution of one domain's energy as a sweep over time, fed the
/// series' knots as they become known: the engine of ``EnergyAttributor``.
///
/// The queries (normalised: see ``EnergyAttributor/normalize(_:)``) are
/// known up front; each series' knots arrive in time order through
/// ``push(series:time:interval:)``. The sweep cuts time at every query,
/// turn and span boundary and every knot of every series, and attributes
/// each piece as soon as every series that covers it has delivered the knot
/// that ends it; knots behind the sweep are dropped. Fed a whole series at
/// once it is the array-based attributor; fed a log as it streams, it
/// holds only a few knots per series.
///
/// The pieces, their order and every sum are the same however the knots
/// are fed, so the result is too, bit for bit.
///
/// Whether an interval is a long gap depends on the series' nominal period,
/// known only at the end; so every total keeps, per series, the longest
/// interval that gave it energy, and ``result(_:)`` flags
/// ``EnergyFlag/longGapInterpolated`` where that exceeds the series' gap
/// threshold — the same as flagging each interval up front.
final class DomainSweep {
    /// What the sweep knows of a series before its knots arrive.
    struct SeriesInfo: Sendable {
        /// The first and last knot times.
        var coverage: ClosedRange<Int64>
    }

    /// What is known of a series only once all its knots are in.
    struct SeriesEnd: Sendable {
        /// The median interval length.
        var nominalPeriod: Int64?
        /// An interval longer than this (ns) is a gap.
        var gapThreshold: Double
    }

    /// The knots of one series not yet behind the sweep.
    private struct KnotQueue {
        var coverage: ClosedRange<Int64>
        /// Knot times; `intervals[i]` runs from `times[i]` to `times[i + 1]`.
        var times: [Int64] = []
        var intervals: [SeriesInterval] = []
        /// The first knot still needed.
        var head = 0
        /// Whether the last knot has arrived.
        var complete = false

        /// Drops the knots before `head` once enough have gathered.
        mutating func compact() {
            guard head >= 1024, head * 2 >= times.count else { return }
            times.removeFirst(head)
            intervals.removeFirst(min(head, intervals.count))
            head = 0
        }
    }

    let domain: EnergyDomain
    private let queries: [QueryInterval]
    private let sources: [String]
    private let infos: [SeriesInfo]
    @exclusivity(unchecked) private var queues: [KnotQueue]
    /// Query, turn and span boundaries, sorted and unique.
    private let boundaries: [Int64]
    @exclusivity(unchecked) private var nextBoundary = 0
    /// The start of the next piece; nil before the first.
    @exclusivity(unchecked) private var position: Int64?

    // The queries, turns and spans as flat arrays (no nested arrays to
    // retain on the per-piece path), with their running sums.
    private let queryStart: [Int64]
    private let queryEnd: [Int64]
    /// Per query, its turns' indices in ``turnStart`` etc. ordered by start
    /// (turns are disjoint after normalizing), as a range of ``turnOrder``.
    private let queryTurns: [Range<Int>]
    private let turnOrder: [Int]
    private let turnStart: [Int64]
    private let turnEnd: [Int64]
    private let turnSpans: [Range<Int>]
    private let spanIsTool: [Bool]
    private let spanStart: [Int64]
    private let spanEnd: [Int64]

    @exclusivity(unchecked) private var queryTotal: [CompensatedSum]
    @exclusivity(unchecked) private var queryOverhead: [CompensatedSum]
    @exclusivity(unchecked) private var queryFlags: [EnergyFlags]
    /// Per query, the position in its turn order of the turn the sweep is in.
    @exclusivity(unchecked) private var queryCursor: [Int]
    @exclusivity(unchecked) private var turnTotal: [CompensatedSum]
    @exclusivity(unchecked) private var turnInference: [CompensatedSum]
    @exclusivity(unchecked) private var turnTool: [CompensatedSum]
    @exclusivity(unchecked) private var turnUnspanned: [CompensatedSum]
    @exclusivity(unchecked) private var turnFlags: [EnergyFlags]
    @exclusivity(unchecked) private var spanTotal: [CompensatedSum]
    /// Per turn and query, the power of its share in its first and its last
    /// piece (watts; NaN before any): how fast its energy changes as its
    /// window slides against the telemetry.
    @exclusivity(unchecked) private var turnEdgeWatts: [(first: Double, last: Double)]
    @exclusivity(unchecked) private var queryEdgeWatts: [(first: Double, last: Double)]
    /// Per query, turn and the run, per series (`index * series + k`): the
    /// longest interval of series k that gave it energy (-1: none).
    @exclusivity(unchecked) private var queryLongest: [Int64]
    @exclusivity(unchecked) private var turnLongest: [Int64]
    @exclusivity(unchecked) private var runLongest: [Int64]
    /// Per series, the length of its interval under the current piece (-1:
    /// not covering it).
    @exclusivity(unchecked) private var pieceLength: [Int64]

    /// Query indices by start; the next to open; the active ones.
    private let byStart: [Int]
    @exclusivity(unchecked) private var nextToOpen = 0
    @exclusivity(unchecked) private var active: [Int] = []
    @exclusivity(unchecked) private var device = CompensatedSum()
    @exclusivity(unchecked) private var idle = CompensatedSum()
    @exclusivity(unchecked) private var runFlags = EnergyFlags()

    /// Creates a sweep over normalised `queries` for series (in attribution
    /// order) named `sources` with the given coverage.
    init(domain: EnergyDomain, queries: [QueryInterval], sources: [String], series: [SeriesInfo]) {
        self.domain = domain
        self.queries = queries
        self.sources = sources
        infos = series
        queues = series.map { KnotQueue(coverage: $0.coverage) }
        var points: [Int64] = []
        for query in queries {
            points.append(query.start)
            points.append(query.end)
            for turn in query.turns {
                points.append(turn.start)
                points.append(turn.end)
                for span in turn.spans {
                    points.append(span.start)
                    points.append(span.end)
                }
            }
        }
        points.sort()
        boundaries = OrderStatistics.mergeUnique(points, [])
        var queryTurns: [Range<Int>] = []
        var turnOrder: [Int] = []
        var turnStart: [Int64] = []
        var turnEnd: [Int64] = []
        var turnSpans: [Range<Int>] = []
        var spanIsTool: [Bool] = []
        var spanStart: [Int64] = []
        var spanEnd: [Int64] = []
        for query in queries {
            let first = turnStart.count
            let order = query.turns.indices.sorted { (query.turns[$0].start, $0) < (query.turns[$1].start, $1) }
            queryTurns.append(turnOrder.count..<turnOrder.count + order.count)
            turnOrder += order.map { first + $0 }
            for turn in query.turns {
                turnStart.append(turn.start)
                turnEnd.append(turn.end)
                turnSpans.append(spanStart.count..<spanStart.count + turn.spans.count)
                for span in turn.spans {
                    spanIsTool.append(span.kind == .tool)
                    spanStart.append(span.start)
                    spanEnd.append(span.end)
                }
            }
        }
        queryStart = queries.map(\.start)
        queryEnd = queries.map(\.end)
        (self.queryTurns, self.turnOrder, self.turnStart, self.turnEnd) = (queryTurns, turnOrder, turnStart, turnEnd)
        (self.turnSpans, self.spanIsTool, self.spanStart, self.spanEnd) = (turnSpans, spanIsTool, spanStart, spanEnd)
        queryTotal = Array(repeating: CompensatedSum(), count: queries.count)
        queryOverhead = queryTotal
        queryFlags = Array(repeating: EnergyFlags(), count: queries.count)
        queryCursor = Array(repeating: 0, count: queries.count)
        turnTotal = Array(repeating: CompensatedSum(), count: turnStart.count)
        (turnInference, turnTool, turnUnspanned) = (turnTotal, turnTotal, turnTotal)
        turnFlags = Array(repeating: EnergyFlags(), count: turnStart.count)
        spanTotal = Array(repeating: CompensatedSum(), count: spanStart.count)
        turnEdgeWatts = Array(repeating: (.nan, .nan), count: turnStart.count)
        queryEdgeWatts = Array(repeating: (.nan, .nan), count: queries.count)
        queryLongest = Array(repeating: -1, count: queries.count * series.count)
        turnLongest = Array(repeating: -1, count: turnStart.count * series.count)
        runLongest = Array(repeating: -1, count: series.count)
        pieceLength = Array(repeating: -1, count: series.count)
        byStart = queries.indices.sorted { (queries[$0].start, $0) < (queries[$1].start, $1) }
    }

    /// Adds the next knot of series `k`: its time and the interval ending at
    /// it (nil for the series' first knot). Knots of a series come in time
    /// order; the last one is the series' coverage end.
    func push(series k: Int, time: Int64, interval: SeriesInterval?) {
        queues[k].times.append(time)
        if let interval { queues[k].intervals.append(interval) }
        if time >= queues[k].coverage.upperBound { queues[k].complete = true }
    }

    /// Declares every series complete (the input is over).
    func finishInput() {
        for k in queues.indices { queues[k].complete = true }
    }

    /// The next grid point after `a`, or nil when it is not known yet;
    /// `.max` when there is none.
    private func nextPoint(after a: Int64) -> Int64? {
        var next = Int64.max
        if nextBoundary < boundaries.count { next = boundaries[nextBoundary] }
        // By index: a `for queue in queues` would copy each queue (and
        // retain its arrays) for every piece.
        for k in queues.indices {
            let coverage = queues[k].coverage
            if a < coverage.lowerBound {
                next = min(next, coverage.lowerBound)
                continue
            }
            if a >= coverage.upperBound { continue }
            // The first knot after a.
            let found: Int64? = queues[k].times.withUnsafeBufferPointer { times in
                var i = queues[k].head
                while i < times.count, times[i] <= a { i += 1 }
                return i < times.count ? times[i] : nil
            }
            if let found {
                next = min(next, found)
            } else if !queues[k].complete {
                return nil
            }
        }
        return next
    }

    /// Attributes every piece whose end is known.
    func advance() {
        if position == nil {
            // The grid starts at the earliest boundary or knot.
            var first = boundaries.first ?? .max
            for info in infos { first = min(first, info.coverage.lowerBound) }
            if first == .max { return }
            position = first
            while nextBoundary < boundaries.count, boundaries[nextBoundary] <= first { nextBoundary += 1 }
        }
        while let a = position, let b = nextPoint(after: a), b != .max {
            attributePiece(from: a, to: b)
            position = b
            while nextBoundary < boundaries.count, boundaries[nextBoundary] <= b { nextBoundary += 1 }
        }
        for k in queues.indices { queues[k].compact() }
    }

    private func attributePiece(from a: Int64, to b: Int64) {
        // Queries active over a ..< b.
        if !active.isEmpty { active.removeAll { queryEnd[$0] <= a } }
        var opened = false
        while nextToOpen < byStart.count, queryStart[byStart[nextToOpen]] <= a {
            let index = byStart[nextToOpen]
            if queryEnd[index] > a {
                active.append(index)
                opened = true
            }
            nextToOpen += 1
        }
        if opened { active.sort() }

        // The piece's energy, summed over the domain's sources.
        var pieceFlags = EnergyFlags()
        var energy = CompensatedSum()
        var coveredBy = 0
        for k in queues.indices {
            let coverage = queues[k].coverage
            guard coverage.lowerBound <= a, b <= coverage.upperBound else {
                pieceLength[k] = -1
                continue
            }
            var head = queues[k].head
            while head + 1 < queues[k].times.count, queues[k].times[head + 1] <= a { head += 1 }
            queues[k].head = head
            coveredBy += 1
            let t0 = queues[k].times[head]
            let t1 = queues[k].times[head + 1]
            let interval = queues[k].intervals[head]
            pieceLength[k] = max(t1 - t0, interval.measuredLength)
            energy.add(EnergySeries.ShapePowers.joules(interval.joules, shape: interval.shape, over: t0, t1, from: a, to: b))
            pieceFlags.formUnion(interval.flags)
        }
        if coveredBy == 0 { return }
        if coveredBy < queues.count { pieceFlags.insert(.partialCoverage) }
        let joules = energy.value
        device.add(joules)
        runFlags.formUnion(pieceFlags)
        let seriesCount = queues.count
        for k in 0..<seriesCount where pieceLength[k] > runLongest[k] { runLongest[k] = pieceLength[k] }
        if active.isEmpty {
            idle.add(joules)
            return
        }
        if active.count > 1 { pieceFlags.insert(.concurrentQueries) }
        let share = joules / Double(active.count)
        let shareWatts = share / Double(b - a) * 1e9
        for index in active {
            queryTotal[index].add(share)
            if queryEdgeWatts[index].first.isNaN { queryEdgeWatts[index].first = shareWatts }
            queryEdgeWatts[index].last = shareWatts
            queryFlags[index].formUnion(pieceFlags)
            for k in 0..<seriesCount where pieceLength[k] > queryLongest[index * seriesCount + k] {
                queryLongest[index * seriesCount + k] = pieceLength[k]
            }
            // The turn holding the piece.
            let turns = queryTurns[index]
            var cursor = queryCursor[index]
            while cursor < turns.count, turnEnd[turnOrder[turns.lowerBound + cursor]] <= a { cursor += 1 }
            queryCursor[index] = cursor
            guard cursor < turns.count, turnStart[turnOrder[turns.lowerBound + cursor]] <= a else {
                queryOverhead[index].add(share)
                continue
            }
            let turn = turnOrder[turns.lowerBound + cursor]
            var inferenceCount = 0
            var toolCount = 0
            for s in turnSpans[turn] where spanStart[s] <= a && b <= spanEnd[s] {
                if spanIsTool[s] { toolCount += 1 } else { inferenceCount += 1 }
            }
            turnTotal[turn].add(share)
            if turnEdgeWatts[turn].first.isNaN { turnEdgeWatts[turn].first = shareWatts }
            turnEdgeWatts[turn].last = shareWatts
            turnFlags[turn].formUnion(pieceFlags)
            for k in 0..<seriesCount where pieceLength[k] > turnLongest[turn * seriesCount + k] {
                turnLongest[turn * seriesCount + k] = pieceLength[k]
            }
            let spans = inferenceCount + toolCount
            if spans == 0 {
                turnUnspanned[turn].add(share)
            } else {
                let perSpan = share / Double(spans)
                for s in turnSpans[turn] where spanStart[s] <= a && b <= spanEnd[s] {
                    spanTotal[s].add(perSpan)
                }
                if inferenceCount > 0 { turnInference[turn].add(perSpan * Double(inferenceCount)) }
                if toolCount > 0 { turnTool[turn].add(perSpan * Double(toolCount)) }
            }
        }
    }

    /// The domain's attribution, once every knot has been pushed and
    /// ``advance()`` has run after the last; `ends` gives each series'
    /// period and gap threshold.
    func result(_ ends: [SeriesEnd]) -> DomainAttribution {
        let coverages = infos.map(\.coverage)
        let period = ends.compactMap(\.nominalPeriod).max() ?? 0
        let seriesCount = queues.count
        /// Whether any series gave a total energy over an interval longer
        /// than its gap threshold.
        func longGap(_ longest: [Int64], at index: Int) -> Bool {
            (0..<seriesCount).contains { k in
                let length = longest[index * seriesCount + k]
                return length >= 0 && Double(length) > ends[k].gapThreshold
            }
        }
        var runFlags = runFlags
        if longGap(runLongest, at: 0) { runFlags.insert(.longGapInterpolated) }

        /// Flags that follow from a window's extent alone.
        func windowFlags(start: Int64, end: Int64) -> (covered: Bool, flags: EnergyFlags) {
            var flags = EnergyFlags()
            let covered = coverages.contains { $0.lowerBound <= end && start <= $0.upperBound }
            if !covered {
                flags.insert(.noSamples)
                return (false, flags)
            }
            if !coverages.allSatisfy({ $0.contains(start) && $0.contains(end) }) { flags.insert(.partialCoverage) }
            if end - start < period { flags.insert(.shorterThanSamplingInterval) }
            return (true, flags)
        }

        var attributed = CompensatedSum()
        var results: [QueryEnergy] = []
        var turn = 0
        for (index, query) in queries.enumerated() {
            var turns: [TurnEnergy] = []
            for _ in query.turns {
                let spans = turnSpans[turn]
                var (covered, flags) = windowFlags(start: turnStart[turn], end: turnEnd[turn])
                flags.formUnion(turnFlags[turn])
                if longGap(turnLongest, at: turn) { flags.insert(.longGapInterpolated) }
                if covered && spans.contains(where: { spanEnd[$0] - spanStart[$0] < period }) {
                    flags.insert(.partShorterThanSamplingInterval)
                }
                var energy = covered
                    ? TurnEnergy(joules: turnTotal[turn].value, inferenceJoules: turnInference[turn].value,
                                 toolJoules: turnTool[turn].value, unspannedJoules: turnUnspanned[turn].value, flags: flags,
                                 spanJoules: spans.map { spanTotal[$0].value })
                    : TurnEnergy(joules: nil, inferenceJoules: nil, toolJoules: nil, unspannedJoules: nil, flags: flags)
                if covered { energy.alignmentJoulesPerMillisecond = Self.alignment(turnEdgeWatts[turn]) }
                turns.append(energy)
                turn += 1
            }
            var (covered, flags) = windowFlags(start: query.start, end: query.end)
            flags.formUnion(queryFlags[index])
            if longGap(queryLongest, at: index) { flags.insert(.longGapInterpolated) }
            if covered { attributed.add(queryTotal[index].value) }
            var energy = QueryEnergy(
                id: query.id,
                joules: covered ? queryTotal[index].value : nil,
                overheadJoules: covered ? queryOverhead[index].value : nil,
                turns: turns, flags: flags)
            if covered { energy.alignmentJoulesPerMillisecond = Self.alignment(queryEdgeWatts[index]) }
            results.append(energy)
        }
        return DomainAttribution(
            domain: domain, sources: sources.sorted(), deviceJoules: device.value, attributedJoules: attributed.value,
            idleJoules: idle.value, queries: results, flags: runFlags)
    }

    /// Joules per millisecond by which a window's energy changes when the
    /// telemetry shifts against it: the difference of its share's power at
    /// its two ends (0 for a window of one piece; nil for one with none).
    static func alignment(_ edges: (first: Double, last: Double)) -> Double? {
        guard edges.first.isFinite, edges.last.isFinite else { return nil }
        return abs(edges.first - edges.last) * 1e-3
    }

    /// The attribution of a domain with no usable series.
    static func missing(domain: EnergyDomain, queries: [QueryInterval]) -> DomainAttribution {
        let missing = EnergyFlags([.noSamples])
        return DomainAttribution(
            domain: domain, sources: [], deviceJoules: nil, attributedJoules: nil, idleJoules: nil,
            queries: queries.map { query in
                QueryEnergy(id: query.id, joules: nil, overheadJoules: nil,
                            turns: query.turns.map { _ in
                                TurnEnergy(joules: nil, inferenceJoules: nil, toolJoules: nil, unspannedJoules: nil, flags: missing)
                            }, flags: missing)
            }, flags: missing)
    }
}
