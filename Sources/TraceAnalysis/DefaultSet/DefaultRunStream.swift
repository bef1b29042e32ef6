import TraceLog

/// The `default` set over one run read twice, one event at a time, without
/// holding its telemetry: the same result as ``DefaultMetricSet/analyze(_:)``
/// on the whole run, bit for bit, in memory that does not grow with the
/// number of samples.
///
/// 1. **Survey** (``survey(_:)``, every event in record order): gives the
///    events that are not samples to the run structure's builder (each
///    query is paired as soon as it ends, so only open queries' events are
///    held) and surveys each source's readings per domain: the series'
///    method, coverage and where its median interval length lies
///    (``SeriesSurvey``, in memory bounded by the spread of the lengths).
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

    /// Builds the run structure from the events that are not samples.
    @exclusivity(unchecked) private var builder: RunStructureBuilder
    /// Version 3: the clock offsets the logs measured.
    @exclusivity(unchecked) private var handshakes: [ClockOffsetMark] = []
    @exclusivity(unchecked) private var admission = RunAdmission()

    /// The (domain, source) series seen, and each one's survey.
    @exclusivity(unchecked) private var slots = SeriesSlots()
    @exclusivity(unchecked) private var surveys: [SeriesSurvey] = []

    /// Second-pass state: per slot, its builder and where its knots go.
    @exclusivity(unchecked) private var builders: [SeriesBuilder?] = []
    @exclusivity(unchecked) private var targets: [(domain: Int, series: Int)?] = []
    @exclusivity(unchecked) private var sweeps: [DomainSweep?] = []
    @exclusivity(unchecked) private var parts: [DefaultMetricSet.QueryParts] = []
    /// The queries as the attribution takes them (normalised).
    @exclusivity(unchecked) private var queries: [QueryInterval] = []
    @exclusivity(unchecked) private var structureDiagnostics: [AnalysisDiagnostic] = []
    /// The run's structure, built once between the passes.
    @exclusivity(unchecked) private var structure: RunStructure?

    // Version 3's sensor model (``EnergySeries/Options/sensorModel``), per
    // slot: the counter's steps while they may be needed, whether power
    // readings came, what the run start declares, the model given, and
    // the update instants of a reconstructed series.
    @exclusivity(unchecked) private var steps: [CounterSteps?] = []
    @exclusivity(unchecked) private var powerSeen: [Bool] = []
    @exclusivity(unchecked) private var declaredPower: [SensorModel.Power?] = []
    @exclusivity(unchecked) private var declaredPeriod: [Int64?] = []
    /// Per slot: recorded on another host, with no clock offset given.
    @exclusivity(unchecked) private var unaligned: [Bool] = []
    @exclusivity(unchecked) private var reconstructed: [Bool] = []
    @exclusivity(unchecked) private var models: [SensorModel?] = []
    @exclusivity(unchecked) private var updateInstants: [[Int64]] = []
    /// Reconstructed series whose knots are still to be pushed (at the
    /// second pass's first sample, once ``knotObserver`` may be set).
    @exclusivity(unchecked) private var reconstructions: [(slot: Int, domain: Int, series: Int, knots: SpanFitReconstruction)] = []
    /// Per source position, what is added to its samples' timestamps
    /// (``EnergySeries/Options/clockOffsets``); nil until looked up.
    @exclusivity(unchecked) private var positionOffsets: [Int64?] = []

    /// Starts the analysis of run `runID`.
    public init(runID: String, metricSet: DefaultMetricSet = DefaultMetricSet()) {
        self.runID = runID
        self.metricSet = metricSet
        self.builder = RunStructureBuilder(runID: runID)
    }

    /// Whether the second pass can follow the first: events came in record
    /// order and every source's readings in time order.
    public var isStreamable: Bool { admission.inRecordOrder && surveys.allSatisfy(\.isOrdered) }

    /// First pass: takes the run's next event in record order.
    public func survey(_ event: TraceEvent) {
        survey(event, checkingOrder: true)
    }

    /// Records events left out for their timestamps before the first pass
    /// (by a caller that filtered them itself).
    func leftOut(first: TraceEvent, count: Int) {
        admission.leftOut(first: first, count: count)
    }

    /// First pass: takes the run's next event; with `checkingOrder` false
    /// the caller vouches for the order (``DefaultMetricSet`` sorts the
    /// samples by time, which need not be record order).
    func survey(_ event: TraceEvent, checkingOrder: Bool) {
        guard admit(sequence: event.sequence, timestamp: event.timestamp, checkingOrder: checkingOrder, event: event)
        else { return }
        guard case .sample(let sample) = event.payload else {
            builder.add(event)
            if metricSet.options.sensorModel, let measured = ClockOffsetMark(event.payload) {
                handshakes.append(measured)
            }
            return
        }
        surveySample(sample, at: event.timestamp)
    }

    /// First pass: takes the run's next event in record order when it is a
    /// sample, given unwrapped (the same as ``survey(_:)`` of the event).
    public func survey(sample: TelemetrySample, sequence: UInt64, timestamp: Int64) {
        guard admit(sequence: sequence, timestamp: timestamp,
                    event: TraceEvent(runID: runID, sequence: sequence, timestamp: timestamp, payload: .sample(sample)))
        else { return }
        surveySample(sample, at: timestamp)
    }

    /// Checks the record order and the timestamp of the next event; false
    /// (and counted) when its timestamp is left out of the analysis.
    private func admit(
        sequence: UInt64, timestamp: Int64, checkingOrder: Bool = true, event: @autoclosure () -> TraceEvent
    ) -> Bool {
        admission.admit(sequence: sequence, timestamp: timestamp, checkingOrder: checkingOrder, event: event())
    }

    private func surveySample(_ sample: TelemetrySample, at timestamp: Int64) {
        surveyFields(EnergyFields(sample), at: timestamp) { slots.position(adding: sample.source ?? "unknown") }
    }

    /// Surveys a sample's energy fields; `position` gives its source's
    /// position, asked only when some domain is present.
    private func surveyFields(_ fields: EnergyFields, at timestamp: Int64, position source: () -> Int) {
        var position: Int?
        var time = timestamp
        for d in 0..<SeriesSlots.domains.count where fields.hasDomain(d) {
            if position == nil {
                position = source()
                time = timestamp &+ offset(of: position!)
            }
            let reading = EnergyReading(
                timestamp: time, counterJoules: fields.value(2 * d), powerWatts: fields.value(2 * d + 1),
                wrapJoules: fields.value(6))
            let slot = slots.slot(adding: d, source: position!)
            if slot == surveys.count { addSlot() }
            let clean = surveys[slot].add(reading)
            if metricSet.options.sensorModel { keepSteps(clean, slot: slot) }
        }
    }

    /// Version 3: the clock offsets the logs measured (``ClockOffsetMark``,
    /// `trace-record --clock-peer`) for the run's sources recorded on
    /// another host that no offset was given for, known after the first
    /// pass. A source takes the measurements of its host (the host of the
    /// telemetry-only run start naming it, else of the only telemetry-only
    /// run start; any measurement when every one names the same host and
    /// there is one such run start), the one with the shortest round trip.
    /// The analysis is then made again with them (``StreamedLogAnalysis``,
    /// ``DefaultMetricSet/analyze(_:)``), as if given with `--clock-offset`.
    package var measuredClockOffsets: [SourceClockOffset] {
        guard metricSet.options.sensorModel, !handshakes.isEmpty else { return [] }
        let remoteStarts = builder.runStarts.filter { start in
            start.labels.contains { $0.key == "recording" && $0.value == "telemetry_only" }
        }
        let measuredHosts = Set(handshakes.map(\.host))
        var offsets: [SourceClockOffset] = []
        for slot in slots.sorted where slot < unaligned.count && unaligned[slot] {
            let source = slots.keys[slot].source
            guard !offsets.contains(where: { $0.source == source }) else { continue }
            let naming = remoteStarts.filter { start in start.labels.contains { $0.key.hasPrefix(source + ".") } }
            let hosts = Set((naming.isEmpty ? remoteStarts : naming).map(\.host))
            var candidates = hosts.count == 1 ? handshakes.filter { $0.host == hosts.first! } : []
            if candidates.isEmpty, hosts.count <= 1, measuredHosts.count == 1 { candidates = handshakes }
            guard let best = candidates.min(by: { $0.roundTripNanoseconds < $1.roundTripNanoseconds }) else { continue }
            offsets.append(SourceClockOffset(
                source: source, nanoseconds: best.offsetNanoseconds, roundTripNanoseconds: best.roundTripNanoseconds))
        }
        return offsets
    }

    /// The clock offset of the source at `position`.
    private func offset(of position: Int) -> Int64 {
        if position < positionOffsets.count, let known = positionOffsets[position] { return known }
        if position >= positionOffsets.count {
            positionOffsets += Array(repeating: nil, count: position + 1 - positionOffsets.count)
        }
        let name = slots.name(at: position)
        let found = metricSet.options.clockOffsets.last { $0.source == name }?.nanoseconds ?? 0
        positionOffsets[position] = found
        return found
    }

    /// Starts the state of a new slot (the last one).
    private func addSlot() {
        surveys.append(SeriesSurvey())
        let declared = SensorModel.declared(runLabelsSoFar, source: slots.keys[surveys.count - 1].source)
        steps.append(metricSet.options.sensorModel ? CounterSteps() : nil)
        powerSeen.append(false)
        declaredPower.append(declared.power)
        declaredPeriod.append(declared.period)
        let source = slots.keys[surveys.count - 1].source
        unaligned.append(declared.remote && !metricSet.options.clockOffsets.contains { $0.source == source })
        reconstructed.append(false)
        models.append(nil)
        updateInstants.append([])
    }

    /// The labels of the run starts seen so far.
    private var runLabelsSoFar: [[Label]] { builder.runLabels }

    /// Version 3: keeps a counter's steps while they may be needed. A
    /// counter read at its own instants (no value repeated over its first
    /// 256 readings, no period declared) with instant power is interpolated
    /// as in version 2, so its steps go.
    private func keepSteps(_ clean: CleanReading, slot: Int) {
        if clean.power != nil { powerSeen[slot] = true }
        guard steps[slot] != nil else { return }
        if let watts = clean.power, declaredPower[slot] != .average { steps[slot]!.addPower(time: clean.time, watts: watts) }
        guard let counter = clean.counter else { return }
        steps[slot]!.add(time: clean.time, value: counter, wrap: clean.wrap)
        if steps[slot]!.pairs >= 256, powerSeen[slot], declaredPower[slot] != .average, declaredPeriod[slot] == nil,
           !steps[slot]!.isStaircase, !unaligned[slot] {
            steps[slot] = nil
        }
    }

    /// Told every knot of every energy series in the second pass: the
    /// series (``energySeries``' `slot`), the knot's time and the energy of
    /// the interval it ends (nil for a series' first knot). What the report
    /// draws its power chart from, without holding the series.
    package var knotObserver: ((_ slot: Int, _ time: Int64, _ joules: Double?) -> Void)?

    /// The energy series the second pass builds, in attribution order
    /// (domain, then source name); set by ``beginAttribution()``, gone
    /// after ``finish()``.
    package var energySeries: [(slot: Int, source: String, domain: EnergyDomain)] {
        slots.sorted.filter { builders.indices.contains($0) && builders[$0] != nil }
            .map { ($0, slots.keys[$0].source, slots.keys[$0].domain) }
    }

    /// The first and last timestamps of the run's events (samples
    /// included, timestamps left out excepted), known after the first pass.
    package var timeSpan: (first: Int64, last: Int64)? { admission.timeSpan }

    /// Each global source number's position in ``slots`` (-1: not yet
    /// known, -2: no position), for the energy-field passes.
    @exclusivity(unchecked) private var sourcePositions: [Int] = []

    /// First pass: takes the run's next event in record order when it is a
    /// sample, given as its energy fields and its source's number (the same
    /// as ``survey(sample:sequence:timestamp:)`` of the sample; `name` gives
    /// a number's source name, asked once per number).
    package func survey(
        energy fields: EnergyFields, source: Int, name: (Int) -> String?, sequence: UInt64, timestamp: Int64
    ) {
        guard admit(sequence: sequence, timestamp: timestamp, event: TraceEvent(
            runID: runID, sequence: sequence, timestamp: timestamp, payload: .sample(Self.sample(fields, source: name(source)))))
        else { return }
        surveyFields(fields, at: timestamp) {
            if source >= sourcePositions.count {
                sourcePositions += Array(repeating: -1, count: source + 1 - sourcePositions.count)
            }
            if sourcePositions[source] < 0 { sourcePositions[source] = slots.position(adding: name(source) ?? "unknown") }
            return sourcePositions[source]
        }
    }

    /// Second pass: takes the run's next sample in record order as its
    /// energy fields (the same as ``attribute(sample:timestamp:)``).
    package func attribute(energy fields: EnergyFields, source: Int, name: (Int) -> String?, timestamp: Int64) {
        guard RunEvents.plausibleTimestamps.contains(timestamp) else { return }
        if source >= sourcePositions.count {
            sourcePositions += Array(repeating: -1, count: source + 1 - sourcePositions.count)
        }
        if sourcePositions[source] == -1 { sourcePositions[source] = slots.position(of: name(source) ?? "unknown") ?? -2 }
        let position = sourcePositions[source]
        guard position >= 0 else { return }
        attributeFields(fields, position: position, timestamp: timestamp)
    }

    /// Feeds a sample's energy fields to the series of its source (at
    /// `position`) and advances the sweeps it touched.
    private func attributeFields(_ fields: EnergyFields, position: Int, timestamp: Int64) {
        if !reconstructions.isEmpty { pushReconstructions() }
        var touched = 0
        let timestamp = timestamp &+ offset(of: position)
        for d in 0..<SeriesSlots.domains.count where fields.hasDomain(d) {
            guard let slot = slots.slot(domain: d, source: position), let target = targets[slot] else { continue }
            let reading = EnergyReading(
                timestamp: timestamp, counterJoules: fields.value(2 * d), powerWatts: fields.value(2 * d + 1),
                wrapJoules: fields.value(6))
            var ignored = 0
            let clean = CleanReading(reading, skipped: &ignored)
            // A reconstructed series' knots were pushed between the passes;
            // its builder still finds the sampling period and the resets.
            guard let knot = builders[slot]!.add(clean), !reconstructed[slot] else { continue }
            sweeps[target.domain].unsafelyUnwrapped.push(series: target.series, time: knot.time, interval: knot.interval)
            if let knotObserver { knotObserver(slot, knot.time, knot.interval?.joules) }
            touched |= 1 << target.domain
        }
        // Only a new knot can end a piece.
        for d in sweeps.indices where touched & (1 << d) != 0 { sweeps[d].unsafelyUnwrapped.advance() }
    }

    /// A sample holding `fields`, for messages.
    static func sample(_ fields: EnergyFields, source: String?) -> TelemetrySample {
        TelemetrySample(
            source: source, gpuEnergyJoules: fields.value(0), gpuPowerWatts: fields.value(1),
            cpuEnergyJoules: fields.value(2), cpuPowerWatts: fields.value(3), dramEnergyJoules: fields.value(4),
            dramPowerWatts: fields.value(5), energyWrapJoules: fields.value(6))
    }

    /// Between the passes: builds the queries and turns and plans every
    /// series. Call once, after the last ``survey(_:)``.
    public func beginAttribution() {
        let structure = builder.finish()
        self.structure = structure
        let (parts, intervals, diagnostics) = metricSet.structure(structure)
        self.parts = parts
        structureDiagnostics = diagnostics
        queries = intervals.map(EnergyAttributor.normalize)
        let order = slots.sorted
        builders = Array(repeating: nil, count: slots.count)
        targets = Array(repeating: nil, count: slots.count)
        var activities: [SpanFitReconstruction.Activity]?
        for (d, domain) in SeriesSlots.domains.enumerated() {
            var names: [String] = []
            var infos: [DomainSweep.SeriesInfo] = []
            var pending: [(slot: Int, series: Int, reconstruction: SpanFitReconstruction)] = []
            for slot in order where slots.keys[slot].domain == domain {
                let plan = surveys[slot].plan()
                guard var coverage = plan.coverage else { continue }
                builders[slot] = SeriesBuilder(plan: plan, shape: metricSet.options.shape)
                if metricSet.options.sensorModel {
                    let (model, reconstruction) = sensorModel(slot: slot, plan: plan) {
                        if activities == nil { activities = SpanFitReconstruction.Activity.variants(queries) }
                        return activities!
                    }
                    models[slot] = model
                    if let reconstruction {
                        coverage = reconstruction.times.first!...reconstruction.times.last!
                        pending.append((slot, infos.count, reconstruction))
                        reconstructed[slot] = true
                        updateInstants[slot] = reconstruction.updates
                    }
                    steps[slot] = nil
                }
                targets[slot] = (d, infos.count)
                names.append(slots.keys[slot].source)
                infos.append(DomainSweep.SeriesInfo(coverage: coverage))
            }
            sweeps.append(infos.isEmpty ? nil : DomainSweep(domain: domain, queries: queries, sources: names, series: infos))
            reconstructions += pending.map { ($0.slot, d, $0.series, $0.reconstruction) }
        }
        steps = []
        // The lengths gathered for the periods are no longer needed.
        for slot in surveys.indices { surveys[slot].dropLengths() }
    }

    /// Pushes the knots of every reconstructed series into its sweep.
    private func pushReconstructions() {
        let observer = knotObserver
        for entry in reconstructions {
            let sweep = sweeps[entry.domain]!
            let r = entry.knots
            for (i, time) in r.times.enumerated() {
                let interval = i == 0 ? nil : r.intervals[i - 1]
                sweep.push(series: entry.series, time: time, interval: interval)
                observer?(entry.slot, time, interval?.joules)
            }
        }
        reconstructions = []
    }

    /// Version 3: the sensor model of a slot, and its reconstruction when
    /// the model calls for one (a staircase counter, or a counter whose
    /// power readings are averaged or missing).
    private func sensorModel(
        slot: Int, plan: SeriesPlan, activities: () -> [SpanFitReconstruction.Activity]
    ) -> (SensorModel, SpanFitReconstruction?) {
        let key = slots.keys[slot]
        let power: SensorModel.Power = powerSeen[slot] ? declaredPower[slot] ?? .instant : .none
        var model = SensorModel(
            source: key.source, domain: key.domain, updatePeriod: nil, updateJitter: nil, periodDeclared: false,
            power: power, powerDeclared: declaredPower[slot] != nil && powerSeen[slot],
            reconstruction: plan.method == .powerIntegration ? .powerIntegrated : .interpolated)
        guard plan.method == .counter, let kept = steps[slot], kept.values.count >= 2 else { return (model, nil) }
        let detected = kept.detectedPeriod
        // A declared period (measured by the source at its own pace) is
        // trusted over one detected from readings that may be too sparse.
        let period = declaredPeriod[slot] ?? detected?.period
        var reconstruction: SpanFitReconstruction?
        if period != nil || power != .instant {
            // The spans place energy better than instant power read at
            // sample instants (the accuracy study); a run without spans is
            // spread by its instant power where the source has it.
            let measured = power == .instant && kept.powerTimes.count >= 2 && activities()[0].times.isEmpty
            let built = SpanFitReconstruction(
                steps: kept, period: period, jitter: detected?.jitter, activities: activities(),
                instantPower: measured ? (kept.powerTimes, kept.powerValues) : nil)
            if built.times.count >= 2 {
                reconstruction = built
                model.updatePeriod = period
                model.updateJitter = detected?.jitter
                model.periodDeclared = declaredPeriod[slot] != nil
                model.reconstruction = measured ? .instantPower : .spanFit
            }
        }
        if let given = metricSet.options.clockOffsets.last(where: { $0.source == key.source }),
           let roundTrip = given.roundTripNanoseconds {
            model.measuredOffset = given.nanoseconds
            model.measuredRoundTrip = roundTrip
        }
        if unaligned[slot] {
            if let shift = SpanFitReconstruction.estimateOffset(
                steps: kept, period: period, jitter: detected?.jitter, activities: activities()),
                abs(shift) > kept.meanSamplingInterval {
                model.suspectedOffset = -shift
            }
        }
        return (model, reconstruction)
    }

    /// Version 3's flags of the windows of domain `d`:
    /// ``EnergyFlag/shorterThanSensorUpdate`` for a window shorter than the
    /// update period of a reconstructed source that covers it, and
    /// ``EnergyFlag/mostlyReconstructed`` for one whose time lies mostly in
    /// update intervals it only partly covers.
    private func addSensorFlags(_ attribution: inout DomainAttribution, domain d: Int) {
        let sources = slots.sorted.filter { targets[$0]?.domain == d && reconstructed[$0] }
        guard !sources.isEmpty else { return }
        func flags(start: Int64, end: Int64) -> EnergyFlags {
            var flags = EnergyFlags()
            guard end > start else { return flags }
            for slot in sources {
                let updates = updateInstants[slot]
                guard let first = updates.first, let last = updates.last, first < end, start < last else { continue }
                if let period = models[slot]?.updatePeriod, end - start < period { flags.insert(.shorterThanSensorUpdate) }
                // Updates strictly inside the window: the parts before the
                // first and after the last are reconstructed.
                let after = OrderStatistics.firstIndex(in: updates, above: start)
                var reconstructedTime = end - start
                if after < updates.count, updates[after] < end {
                    let lastInside = OrderStatistics.firstIndex(in: updates, atOrAbove: end) - 1
                    reconstructedTime = (updates[after] - start) + (end - updates[lastInside])
                }
                if reconstructedTime * 2 > end - start { flags.insert(.mostlyReconstructed) }
            }
            return flags
        }
        for (q, query) in queries.enumerated() where q < attribution.queries.count {
            if attribution.queries[q].joules != nil { attribution.queries[q].flags.formUnion(flags(start: query.start, end: query.end)) }
            for (k, turn) in query.turns.enumerated() where k < attribution.queries[q].turns.count {
                guard attribution.queries[q].turns[k].joules != nil else { continue }
                attribution.queries[q].turns[k].flags.formUnion(flags(start: turn.start, end: turn.end))
            }
        }
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
        guard let position = slots.position(of: sample.source ?? "unknown") else { return }
        attributeFields(EnergyFields(sample), position: position, timestamp: timestamp)
    }

    /// The GPU energy of each inference and tool call, as
    /// ``DefaultMetricSet/spanEnergy(_:)`` gives it (for the tool and model
    /// views); set by ``finish()``.
    public private(set) var spanEnergy = SpanEnergy.unknown

    /// Ends the second pass and gives the run's rows (and its events
    /// without samples, for the views); ``spanEnergy`` is then set too.
    public func finish() -> AnalyzedRun {
        if !reconstructions.isEmpty { pushReconstructions() }
        for slot in builders.indices {
            guard let target = targets[slot] else { continue }
            guard let knot = builders[slot]!.finish(), !reconstructed[slot] else { continue }
            sweeps[target.domain]!.push(series: target.series, time: knot.time, interval: knot.interval)
            knotObserver?(slot, knot.time, knot.interval?.joules)
        }
        let order = slots.sorted
        var domains: [DomainAttribution] = []
        for (d, domain) in SeriesSlots.domains.enumerated() {
            guard let sweep = sweeps[d] else {
                domains.append(DomainSweep.missing(domain: domain, queries: queries))
                continue
            }
            sweep.finishInput()
            sweep.advance()
            let ends = order.filter { targets[$0]?.domain == d }.map { slot in
                let period = builders[slot]!.nominalPeriod
                return DomainSweep.SeriesEnd(
                    nominalPeriod: period, gapThreshold: period.map { Double($0) * metricSet.options.gapFactor } ?? .infinity)
            }
            var attribution = sweep.result(ends)
            if metricSet.options.sensorModel {
                addSensorFlags(&attribution, domain: d)
                if order.contains(where: { targets[$0]?.domain == d && models[$0]?.suspectedOffset != nil }) {
                    attribution.flags.insert(.clockOffsetSuspected)
                }
                // Hosts measured to disagree by more than a sampling period.
                if order.contains(where: { slot in
                    guard targets[slot]?.domain == d, let measured = models[slot]?.measuredOffset else { return false }
                    return measured.magnitude > (builders[slot]?.nominalPeriod ?? .max).magnitude
                }) {
                    attribution.flags.insert(.clockOffsetMeasured)
                }
            }
            domains.append(attribution)
            // Its attribution taken, the sweep's sums go.
            sweeps[d] = nil
        }

        var diagnostics: [AnalysisDiagnostic] = []
        if let diagnostic = admission.diagnostic(runID: runID) { diagnostics.append(diagnostic) }
        diagnostics += structureDiagnostics
        for slot in order {
            guard let model = models[slot], let offset = model.suspectedOffset else { continue }
            let sign = offset < 0 ? "-" : "+"
            diagnostics.append(AnalysisDiagnostic(runID: runID, message:
                "source \(model.source) (\(model.domain.rawValue)) was recorded on another host and its readings fit the spans best "
                    + "shifted by \(sign)\(SensorModel.milliseconds(abs(offset))) ms, more than its sampling interval: "
                    + "give --clock-offset \(model.source)=\(sign)\(SensorModel.milliseconds(abs(offset))) if the hosts' clocks differ"))
        }
        diagnostics += DefaultMetricSet.seriesDiagnostics(runID: runID, order.map { slot in
            (slots.keys[slot].source, slots.keys[slot].domain, builders[slot]?.counterResets ?? 0, surveys[slot].skippedValues)
        })
        let wall = admission.timeSpan.map { DefaultMetricSet.seconds($0.first, $0.last) }
        // What only the passes needed goes before the rows are made.
        builders = []
        surveys = []
        steps = []
        updateInstants = []
        queries = []
        FreedMemory.release()
        var attribution = EnergyAttribution(domains: domains)
        domains = []
        spanEnergy = DefaultMetricSet.spanEnergy(runID: runID, parts: parts, gpu: attribution[.gpu], cpu: attribution[.cpu])
        let sensorModels = metricSet.options.sensorModel ? order.compactMap { models[$0]?.summary } : nil
        let result = DefaultMetricSet.result(
            runID: runID, parts: &parts, attribution: &attribution, diagnostics: diagnostics, wall: wall,
            sensorModels: sensorModels, rowKinds: metricSet.rowKinds)
        parts = []
        return AnalyzedRun(
            events: RunEvents(runID: runID, events: []), result: result,
            structure: structure ?? RunStructure(RunEvents(runID: runID, events: [])))
    }
}
