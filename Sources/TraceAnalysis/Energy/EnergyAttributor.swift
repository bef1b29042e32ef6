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
                let e = min(max(span.end, s), turnEnd)
                return SpanInterval(kind: span.kind, start: s, end: e, firstToken: span.firstToken.map { min(max($0, s), e) })
            }
            result[entry.offset] = TurnInterval(start: start, end: turnEnd, spans: spans)
        }
        return QueryInterval(id: query.id, start: query.start, end: end, turns: result)
    }

    private func attribute(_ queries: [QueryInterval], domain: EnergyDomain, series: [EnergySeries]) -> DomainAttribution {
        guard !series.isEmpty else { return DomainSweep.missing(domain: domain, queries: queries) }
        let sweep = DomainSweep(
            domain: domain, queries: queries, sources: series.map(\.source),
            series: series.map { DomainSweep.SeriesInfo(coverage: $0.coverage!) })
        for (k, s) in series.enumerated() {
            for (i, time) in s.times.enumerated() {
                // The sweep judges long gaps itself (see ``DomainSweep``).
                sweep.push(series: k, time: time, interval: i == 0 ? nil : SeriesInterval(
                    joules: s.intervalJoules[i - 1], flags: s.intervalFlags[i - 1].subtracting(.longGapInterpolated),
                    shape: s.shapePowers[i - 1]))
            }
        }
        sweep.finishInput()
        sweep.advance()
        return sweep.result(series.map { DomainSweep.SeriesEnd(nominalPeriod: $0.nominalPeriod, gapThreshold: $0.gapThreshold) })
    }
}
