import TraceLog

/// The `default` set over one run read twice, one event at a time, without
/// holding its telemetry: the same result as ``DefaultMetricSet/analyze(_:)``
/// on the whole run, bit for bit, in memory that does not grow with the
/// number of samples.
///
/// 1. **Survey** (``survey(_:)``, every event in record order): keeps the
///    events that are not samples (the queries, turns and spans are made
///    from them) and surveys each source's readings per domain: the series'
///    method, coverage and nominal sampling period (``SeriesSurvey``; the
///    period needs each interval's length, 4 bytes per sample, dropped
///    before the second pass).
/// 2. **Attribute** (``attribute(_:)``, the samples again, in the same
///    order): builds each series' intervals as its readings arrive and
///    sweeps every domain's pieces of time as soon as their ends are known
///    (``DomainSweep``), holding a few knots per source.
///
/// The second pass relies on what the first checked (``isStreamable``):
/// events in record order and each source's readings in time order. When
/// that fails the whole run must be analysed with ``DefaultMetricSet/analyze(_:)``,
/// which sorts.
///
/// A stream is a mutable object for one owner: use it from one thread at a
/// time (its state is not locked).
public final class DefaultRunStream {
    /// The run's identifier.
    public let runID: String
    /// The set whose definition is followed.
    public let metricSet: DefaultMetricSet

    /// The events that are not samples, in record order.
    @exclusivity(unchecked) private var events: [TraceEvent] = []
    @exclusivity(unchecked) private var lastSequence: UInt64?
    @exclusivity(unchecked) private var recordOrder = true
    @exclusivity(unchecked) private var implausible = 0
    @exclusivity(unchecked) private var firstImplausible: TraceEvent?
    @exclusivity(unchecked) private var firstTime: Int64?
    @exclusivity(unchecked) private var lastTime: Int64?

    private struct Key {
        var domain: EnergyDomain
        var source: String
    }
    /// Each (domain, source)'s survey, in order of first appearance.
    @exclusivity(unchecked) private var keys: [Key] = []
    @exclusivity(unchecked) private var surveys: [SeriesSurvey] = []
    /// The sources seen, each with its slot per domain (-1: none yet).
    @exclusivity(unchecked) private var sources: [(name: String, slots: [Int])] = []

    /// Second-pass state: per slot, its builder and where its knots go.
    @exclusivity(unchecked) private var builders: [SeriesBuilder?] = []
    @exclusivity(unchecked) private var targets: [(domain: Int, series: Int)?] = []
    @exclusivity(unchecked) private var sweeps: [DomainSweep?] = []
    @exclusivity(unchecked) private var parts: [DefaultMetricSet.QueryParts] = []
    @exclusivity(unchecked) private var structureDiagnostics: [AnalysisDiagnostic] = []

    /// Starts the analysis of run `runID`.
    public init(runID: String, metricSet: DefaultMetricSet = DefaultMetricSet()) {
        self.runID = runID
        self.metricSet = metricSet
    }

    /// Whether the second pass can follow the first: events came in record
    /// order and every source's readings in time order.
    public var isStreamable: Bool { recordOrder && surveys.allSatisfy(\.isOrdered) }

    /// The run's events that are not samples, in record order (what the
    /// views built on the rows read).
    public var eventsWithoutSamples: RunEvents { RunEvents(runID: runID, events: events) }

    /// First pass: takes the run's next event in record order.
    public func survey(_ event: TraceEvent) {
        if let lastSequence, event.sequence < lastSequence { recordOrder = false }
        lastSequence = event.sequence
        guard RunEvents.plausibleTimestamps.contains(event.timestamp) else {
            implausible += 1
            if firstImplausible == nil { firstImplausible = event }
            return
        }
        firstTime = min(firstTime ?? event.timestamp, event.timestamp)
        lastTime = max(lastTime ?? event.timestamp, event.timestamp)
        guard case .sample(let sample) = event.payload else {
            events.append(event)
            return
        }
        surveySample(sample, at: event.timestamp)
    }

    /// First pass: takes the run's next event in record order when it is a
    /// sample, given unwrapped (the same as ``survey(_:)`` of the event).
    public func survey(sample: TelemetrySample, sequence: UInt64, timestamp: Int64) {
        if let lastSequence, sequence < lastSequence { recordOrder = false }
        lastSequence = sequence
        guard RunEvents.plausibleTimestamps.contains(timestamp) else {
            implausible += 1
            if firstImplausible == nil {
                firstImplausible = TraceEvent(runID: runID, sequence: sequence, timestamp: timestamp, payload: .sample(sample))
            }
            return
        }
        firstTime = min(firstTime ?? timestamp, timestamp)
        lastTime = max(lastTime ?? timestamp, timestamp)
        surveySample(sample, at: timestamp)
    }

    private func surveySample(_ sample: TelemetrySample, at timestamp: Int64) {
        var position: Int?
        for d in 0..<3 {
            guard let reading = Self.reading(sample, domain: d, at: timestamp) else { continue }
            let source = position ?? sourcePosition(sample.source ?? "unknown")
            position = source
            surveys[slot(domain: d, source: source)].add(reading)
        }
    }

    /// The reading `sample` holds for domain `d` (gpu, cpu, dram: as
    /// ``EnergyReading/init(sample:domain:timestamp:)`` makes it), read in
    /// place.
    @inline(__always)
    private static func reading(_ sample: borrowing TelemetrySample, domain d: Int, at timestamp: Int64) -> EnergyReading? {
        let counter: Double?
        let power: Double?
        switch d {
        case 0: (counter, power) = (sample.gpuEnergyJoules, sample.gpuPowerWatts)
        case 1: (counter, power) = (sample.cpuEnergyJoules, sample.cpuPowerWatts)
        default: (counter, power) = (sample.dramEnergyJoules, sample.dramPowerWatts)
        }
        if counter == nil && power == nil { return nil }
        return EnergyReading(timestamp: timestamp, counterJoules: counter, powerWatts: power, wrapJoules: sample.energyWrapJoules)
    }

    /// The position of source `name` among ``sources``, added when new.
    private func sourcePosition(_ name: String) -> Int {
        if let position = sources.firstIndex(where: { $0.name == name }) { return position }
        sources.append((name, Array(repeating: -1, count: EnergyDomain.allCases.count)))
        return sources.count - 1
    }

    /// The slot of (domain `d`, source at `position`), added when new.
    private func slot(domain d: Int, source position: Int) -> Int {
        var slot = sources[position].slots[d]
        if slot < 0 {
            slot = keys.count
            keys.append(Key(domain: EnergyDomain.allCases[d], source: sources[position].name))
            surveys.append(SeriesSurvey())
            sources[position].slots[d] = slot
        }
        return slot
    }

    /// Between the passes: builds the queries and turns and plans every
    /// series. Call once, after the last ``survey(_:)``.
    public func beginAttribution() {
        let (parts, intervals, diagnostics) = metricSet.structure(eventsWithoutSamples)
        self.parts = parts
        structureDiagnostics = diagnostics
        let queries = intervals.map(EnergyAttributor.normalize)
        let order = keys.indices.sorted { (keys[$0].domain, keys[$0].source) < (keys[$1].domain, keys[$1].source) }
        builders = Array(repeating: nil, count: keys.count)
        targets = Array(repeating: nil, count: keys.count)
        for (d, domain) in EnergyDomain.allCases.enumerated() {
            var names: [String] = []
            var infos: [DomainSweep.SeriesInfo] = []
            for slot in order where keys[slot].domain == domain {
                let plan = surveys[slot].plan()
                guard let coverage = plan.coverage else { continue }
                builders[slot] = SeriesBuilder(plan: plan, shape: metricSet.options.shape)
                targets[slot] = (d, infos.count)
                names.append(keys[slot].source)
                infos.append(DomainSweep.SeriesInfo(coverage: coverage))
            }
            sweeps.append(infos.isEmpty ? nil : DomainSweep(domain: domain, queries: queries, sources: names, series: infos))
        }
        // The lengths gathered for the periods are no longer needed.
        for slot in surveys.indices { surveys[slot].dropLengths() }
    }

    /// Second pass: takes the run's next sample in record order (other
    /// events are ignored).
    public func attribute(_ event: TraceEvent) {
        guard case .sample(let sample) = event.payload else { return }
        attribute(sample: sample, timestamp: event.timestamp)
    }

    /// Second pass: takes the run's next sample in record order, unwrapped.
    public func attribute(sample: TelemetrySample, timestamp: Int64) {
        guard RunEvents.plausibleTimestamps.contains(timestamp) else { return }
        let name = sample.source ?? "unknown"
        guard let position = sources.firstIndex(where: { $0.name == name }) else { return }
        var touched = 0
        for d in 0..<3 {
            let slot = sources[position].slots[d]
            guard slot >= 0, let target = targets[slot],
                  let reading = Self.reading(sample, domain: d, at: timestamp) else { continue }
            var ignored = 0
            let clean = CleanReading(reading, skipped: &ignored)
            let sweep = sweeps[target.domain]!
            builders[slot]!.add(clean) { time, interval in
                sweep.push(series: target.series, time: time, interval: interval)
            }
            touched |= 1 << target.domain
        }
        for d in sweeps.indices where touched & (1 << d) != 0 { sweeps[d]!.advance() }
    }

    /// The GPU energy of each inference and tool call, as
    /// ``DefaultMetricSet/spanEnergy(_:)`` gives it (for the tool and model
    /// views); set by ``finish()``.
    public private(set) var spanEnergy = SpanEnergy.unknown

    /// Ends the second pass and gives the run's rows (and its events
    /// without samples, for the views); ``spanEnergy`` is then set too.
    public func finish() -> AnalyzedRun {
        for slot in builders.indices {
            guard let target = targets[slot] else { continue }
            let sweep = sweeps[target.domain]!
            builders[slot]!.finish { time, interval in
                sweep.push(series: target.series, time: time, interval: interval)
            }
        }
        var domains: [DomainAttribution] = []
        for (d, domain) in EnergyDomain.allCases.enumerated() {
            guard let sweep = sweeps[d] else {
                domains.append(DomainSweep.missing(
                    domain: domain, queries: parts.map { query in
                        QueryInterval(id: query.queryID, start: query.start, end: query.end,
                                      turns: query.turns.map { _ in TurnInterval(start: 0, end: 0, spans: []) })
                    }))
                continue
            }
            sweep.finishInput()
            sweep.advance()
            let order = keys.indices.sorted { (keys[$0].domain, keys[$0].source) < (keys[$1].domain, keys[$1].source) }
            let ends = order.filter { targets[$0]?.domain == d }.map { slot in
                let period = builders[slot]!.nominalPeriod
                return DomainSweep.SeriesEnd(
                    nominalPeriod: period, gapThreshold: period.map { Double($0) * metricSet.options.gapFactor } ?? .infinity)
            }
            domains.append(sweep.result(ends))
        }

        var diagnostics: [AnalysisDiagnostic] = []
        if let first = firstImplausible {
            diagnostics.append(RunEvents.implausibleTimestampsDiagnostic(
                runID: runID, first: first, count: implausible))
        }
        diagnostics += structureDiagnostics
        let order = keys.indices.sorted { (keys[$0].domain, keys[$0].source) < (keys[$1].domain, keys[$1].source) }
        diagnostics += DefaultMetricSet.seriesDiagnostics(runID: runID, order.map { slot in
            (keys[slot].source, keys[slot].domain, builders[slot]?.counterResets ?? 0, surveys[slot].skippedValues)
        })
        let wall = firstTime.flatMap { first in lastTime.map { DefaultMetricSet.seconds(first, $0) } }
        let attribution = EnergyAttribution(domains: domains)
        spanEnergy = DefaultMetricSet.spanEnergy(runID: runID, parts: parts, gpu: attribution[.gpu])
        let result = DefaultMetricSet.result(
            runID: runID, parts: parts, attribution: attribution, diagnostics: diagnostics, wall: wall)
        return AnalyzedRun(events: eventsWithoutSamples, result: result)
    }
}
