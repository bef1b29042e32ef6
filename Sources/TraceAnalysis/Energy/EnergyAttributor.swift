/// Attributes measured energy to queries, turns and their parts, exactly and
/// without counting any joule twice.
///
/// ## Rule
///
/// Time is cut at every sample of every source and every boundary of every
/// query, turn and span into *pieces*; inside a piece nothing changes. For
/// each source the piece's energy is read from its ``EnergySeries`` (the
/// interval's energy, shaped over time). Then, per domain:
///
/// 1. a piece's energy is split **equally among the queries active** in it
///    (a query is active over `start ..< end`); with none active it is idle;
/// 2. inside a query, the share goes to the turn whose window holds the
///    piece (or to the query's overhead before its first turn) and is split
///    **equally among that turn's active spans** (inference, tool calls);
///    with none active it is the turn's unspanned energy.
///
/// Every total is a compensated sum over these same pieces, so
/// device = Σ queries + idle and query = Σ turns + overhead hold to rounding
/// (far below 1e-9 relative).
public struct EnergyAttributor: Sendable {
    /// The series to attribute, any domains.
    public let series: [EnergySeries]

    /// Creates an attributor over the given series (see
    /// ``EnergySeries/series(from:options:)``).
    public init(series: [EnergySeries]) {
        self.series = series
    }

    /// Attributes every domain's energy to the given queries.
    public func attribute(_ queries: [QueryInterval]) -> EnergyAttribution {
        let normalized = queries.map(Self.normalize)
        let domains = EnergyDomain.allCases.map { domain in
            attribute(normalized, domain: domain, series: series.filter { $0.domain == domain && $0.coverage != nil })
        }
        return EnergyAttribution(domains: domains)
    }

    /// Clamps a query's turns into its window, makes turns disjoint (a turn
    /// ends where the next starts at the latest) and clips spans to turns.
    static func normalize(_ query: QueryInterval) -> QueryInterval {
        let end = max(query.start, query.end)
        let turns = query.turns.enumerated().sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }
        var result = [TurnInterval](repeating: TurnInterval(start: 0, end: 0, spans: []), count: turns.count)
        for (position, entry) in turns.enumerated() {
            let turn = entry.element
            let start = min(max(turn.start, query.start), end)
            var turnEnd = min(max(turn.end, start), end)
            if position + 1 < turns.count {
                turnEnd = min(turnEnd, max(turns[position + 1].element.start, start))
            }
            let spans = turn.spans.map { span in
                let s = min(max(span.start, start), turnEnd)
                return SpanInterval(kind: span.kind, start: s, end: min(max(span.end, s), turnEnd))
            }
            result[entry.offset] = TurnInterval(start: start, end: turnEnd, spans: spans)
        }
        return QueryInterval(id: query.id, start: query.start, end: end, turns: result)
    }

    private struct TurnAccumulator {
        var total = CompensatedSum()
        var inference = CompensatedSum()
        var tool = CompensatedSum()
        var unspanned = CompensatedSum()
        var spans: [CompensatedSum]
        var flags = EnergyFlags()
        init(spans: Int) { self.spans = Array(repeating: CompensatedSum(), count: spans) }
    }

    private struct QueryAccumulator {
        var total = CompensatedSum()
        var overhead = CompensatedSum()
        var turns: [TurnAccumulator]
        var flags = EnergyFlags()
        /// Turn indices ordered by start (turns are disjoint after normalizing).
        var order: [Int]
        var cursor = 0
    }

    private func attribute(_ queries: [QueryInterval], domain: EnergyDomain, series: [EnergySeries]) -> DomainAttribution {
        let sources = series.map(\.source).sorted()
        guard !series.isEmpty else {
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
        let coverages = series.compactMap(\.coverage)
        let period = series.compactMap(\.nominalPeriod).max() ?? 0

        // The common grid of breakpoints: the queries', turns' and spans'
        // boundaries, sorted, merged with each series' (ascending) times.
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
        var grid = OrderStatistics.mergeUnique(points, [])
        for s in series { grid = OrderStatistics.mergeUnique(grid, s.times) }

        var accumulators = queries.map { query in
            QueryAccumulator(
                turns: query.turns.map { TurnAccumulator(spans: $0.spans.count) },
                order: query.turns.indices.sorted { (query.turns[$0].start, $0) < (query.turns[$1].start, $1) })
        }
        let byStart = queries.indices.sorted { (queries[$0].start, $0) < (queries[$1].start, $1) }
        var nextToOpen = 0
        var active: [Int] = []
        var cursors = [Int](repeating: 0, count: series.count)
        var device = CompensatedSum()
        var idle = CompensatedSum()
        var runFlags = EnergyFlags()

        for j in 0..<max(grid.count - 1, 0) {
            let a = grid[j]
            let b = grid[j + 1]
            // Queries active over a ..< b.
            active.removeAll { queries[$0].end <= a }
            var opened = false
            while nextToOpen < byStart.count, queries[byStart[nextToOpen]].start <= a {
                let index = byStart[nextToOpen]
                if queries[index].end > a {
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
            for (k, s) in series.enumerated() {
                let times = s.times
                guard times[0] <= a, b <= times[times.count - 1] else { continue }
                while cursors[k] + 2 < times.count, times[cursors[k] + 1] <= a { cursors[k] += 1 }
                coveredBy += 1
                energy.add(s.joules(interval: cursors[k], from: a, to: b))
                pieceFlags.formUnion(s.intervalFlags[cursors[k]])
            }
            if coveredBy == 0 { continue }
            if coveredBy < series.count { pieceFlags.insert(.partialCoverage) }
            let joules = energy.value
            device.add(joules)
            runFlags.formUnion(pieceFlags)
            if active.isEmpty {
                idle.add(joules)
                continue
            }
            if active.count > 1 { pieceFlags.insert(.concurrentQueries) }
            let share = joules / Double(active.count)
            for index in active {
                let query = queries[index]
                accumulators[index].total.add(share)
                accumulators[index].flags.formUnion(pieceFlags)
                // The turn holding the piece.
                var cursor = accumulators[index].cursor
                let order = accumulators[index].order
                while cursor < order.count, query.turns[order[cursor]].end <= a { cursor += 1 }
                accumulators[index].cursor = cursor
                guard cursor < order.count, query.turns[order[cursor]].start <= a else {
                    accumulators[index].overhead.add(share)
                    continue
                }
                let turnIndex = order[cursor]
                let turn = query.turns[turnIndex]
                var inferenceCount = 0
                var toolCount = 0
                for span in turn.spans where span.start <= a && b <= span.end {
                    switch span.kind {
                    case .inference: inferenceCount += 1
                    case .tool: toolCount += 1
                    }
                }
                accumulators[index].turns[turnIndex].total.add(share)
                accumulators[index].turns[turnIndex].flags.formUnion(pieceFlags)
                let spans = inferenceCount + toolCount
                if spans == 0 {
                    accumulators[index].turns[turnIndex].unspanned.add(share)
                } else {
                    let perSpan = share / Double(spans)
                    for (s, span) in turn.spans.enumerated() where span.start <= a && b <= span.end {
                        accumulators[index].turns[turnIndex].spans[s].add(perSpan)
                    }
                    if inferenceCount > 0 {
                        accumulators[index].turns[turnIndex].inference.add(perSpan * Double(inferenceCount))
                    }
                    if toolCount > 0 {
                        accumulators[index].turns[turnIndex].tool.add(perSpan * Double(toolCount))
                    }
                }
            }
        }

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
        for (index, query) in queries.enumerated() {
            let accumulator = accumulators[index]
            var turns: [TurnEnergy] = []
            for (turnIndex, turn) in query.turns.enumerated() {
                let t = accumulator.turns[turnIndex]
                var (covered, flags) = windowFlags(start: turn.start, end: turn.end)
                flags.formUnion(t.flags)
                if covered && turn.spans.contains(where: { $0.end - $0.start < period }) {
                    flags.insert(.partShorterThanSamplingInterval)
                }
                turns.append(covered
                    ? TurnEnergy(joules: t.total.value, inferenceJoules: t.inference.value, toolJoules: t.tool.value,
                                 unspannedJoules: t.unspanned.value, flags: flags, spanJoules: t.spans.map(\.value))
                    : TurnEnergy(joules: nil, inferenceJoules: nil, toolJoules: nil, unspannedJoules: nil, flags: flags))
            }
            var (covered, flags) = windowFlags(start: query.start, end: query.end)
            flags.formUnion(accumulator.flags)
            if covered { attributed.add(accumulator.total.value) }
            results.append(QueryEnergy(
                id: query.id,
                joules: covered ? accumulator.total.value : nil,
                overheadJoules: covered ? accumulator.overhead.value : nil,
                turns: turns, flags: flags))
        }
        return DomainAttribution(
            domain: domain, sources: sources, deviceJoules: device.value, attributedJoules: attributed.value,
            idleJoules: idle.value, queries: results, flags: runFlags)
    }
}
