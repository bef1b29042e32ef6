import TraceLog

/// The `ipw` set over one run, fed its events once in record order and its
/// readings (samples) a second time, without holding them: what both
/// ``IPWMetricSet/analyze(_:)`` and the streamed analysis of logs run.
///
/// 1. ``survey(_:)`` takes every event in record order. Events that are
///    not samples go to their query's window (``QueryWindowSplitter``);
///    a window's turns are built as soon as it closes and its events
///    dropped, so only the open queries' events are held. Samples only
///    count for the run's time span.
/// 2. ``beginReadings()`` closes the queries never ended and indexes
///    every query and turn window by its float-second bounds
///    (``IntervalIndex``).
/// 3. ``read(_:)`` takes the readings in record (arrival) order and adds
///    each to every window holding it (a turn's only inside its query's),
///    in any time order.
/// 4. ``finish()`` makes the rows.
///
/// With `buildsStructure`, the same events also build the run's
/// ``RunStructure`` (``structure()``), which the views read.
///
/// A stream is for one owner at a time.
final class IPWRunStream {
    let runID: String
    @exclusivity(unchecked) private var admission = RunAdmission()
    /// Whether the events came in record order.
    var inRecordOrder: Bool { admission.inRecordOrder }
    @exclusivity(unchecked) private var splitter: QueryWindowSplitter
    /// Windows closed before one that started earlier, by start position,
    /// until every window before them is made.
    @exclusivity(unchecked) private var closedEarly: [Int: QueryWindow] = [:]
    /// The structure of the events taken, when asked for.
    @exclusivity(unchecked) private var structureBuilder: RunStructureBuilder?

    /// One query of the run, once split.
    private struct Query {
        /// Its window, without its events (dropped once its turns are made).
        var window: QueryWindow
        var raised: Bool
        var turns: [IPWTurn]
        var costs: [Double]
        /// The windows of its turns, in ``windows``.
        var turnWindows: [Int]
        /// Its own window in ``windows``.
        var windowIndex: Int
    }

    @exclusivity(unchecked) private var queries: [Query] = []
    /// The turn builders' problems, window by window in start order.
    @exclusivity(unchecked) private var turnDiagnostics: [AnalysisDiagnostic] = []
    @exclusivity(unchecked) private var diagnostics: [AnalysisDiagnostic] = []
    /// Every window's bounds in float seconds and, for a turn's, its query's window.
    @exclusivity(unchecked) private var bounds: [(low: Double, high: Double)] = []
    @exclusivity(unchecked) private var parent: [Int] = []
    @exclusivity(unchecked) private var energies: [IPWWindowEnergy] = []
    @exclusivity(unchecked) private var index = IntervalIndex([])

    init(runID: String, buildsStructure: Bool = false) {
        self.runID = runID
        splitter = QueryWindowSplitter(runID: runID)
        if buildsStructure { structureBuilder = RunStructureBuilder(runID: runID) }
    }

    /// Takes the run's next event in record order.
    func survey(_ event: TraceEvent) {
        guard admit(sequence: event.sequence, timestamp: event.timestamp, event: event) else { return }
        if case .sample = event.payload { return }
        structureBuilder?.add(event)
        if case .closed(let position, _, let window) = splitter.add(event) { closed(window, at: position) }
    }

    /// Takes the run's next event in record order when it is a sample (the
    /// same as ``survey(_:)`` of it; `event` makes it only for messages).
    func surveySample(sequence: UInt64, timestamp: Int64, event: @autoclosure () -> TraceEvent) {
        _ = admit(sequence: sequence, timestamp: timestamp, event: event())
    }

    private func admit(sequence: UInt64, timestamp: Int64, event: @autoclosure () -> TraceEvent) -> Bool {
        admission.admit(sequence: sequence, timestamp: timestamp, event: event())
    }

    /// Takes a closed window, the `position`-th to start: made at once when
    /// every window before it is, else kept until they are.
    private func closed(_ window: QueryWindow, at position: Int) {
        guard position == queries.count else {
            closedEarly[position] = window
            return
        }
        make(window)
        while !closedEarly.isEmpty, let next = closedEarly.removeValue(forKey: queries.count) { make(next) }
    }

    /// The run's structure, once every event has been surveyed (nil unless
    /// the stream was made to build it).
    func structure() -> RunStructure? {
        guard var builder = structureBuilder else { return nil }
        structureBuilder = nil
        return builder.finish()
    }

    /// Makes the next window's query, in start order: its turns, its costs
    /// and its windows' bounds; its events are dropped.
    private func make(_ window: QueryWindow) {
        var window = window
        let status = window.endStatus
        let raised = status == "failed" || status == "timed_out"
        var turns: [IPWTurn] = []
        var costs: [Double] = []
        if !raised {
            var builder = IPWTurnBuilder(runID: runID, queryID: window.queryID)
            turns = builder.build(window.events)
            turnDiagnostics += builder.diagnostics
            for event in window.events {
                if case .inferenceEnd(let e) = event.payload, let cost = e.costUSD { costs.append(cost) }
            }
        }
        window.events = []
        let own = bounds.count
        // A raised query takes no readings (the reference keeps nothing).
        bounds.append(raised ? (1, 0) : (ipwSeconds(window.start.timestamp), ipwSeconds(window.endTimestamp)))
        parent.append(-1)
        var turnWindows: [Int] = []
        if !raised {
            for turn in turns {
                guard let w = turn.window else {
                    turnWindows.append(-1)
                    continue
                }
                turnWindows.append(bounds.count)
                bounds.append((ipwSeconds(w.start), ipwSeconds(w.end)))
                parent.append(own)
            }
        }
        queries.append(Query(window: window, raised: raised, turns: turns, costs: costs,
                             turnWindows: turnWindows, windowIndex: own))
    }

    /// Between the passes: the queries never ended are made, and the windows
    /// indexed.
    func beginReadings() {
        for (position, window) in splitter.finish() { closed(window, at: position) }
        if let diagnostic = admission.diagnostic(runID: runID) { diagnostics.append(diagnostic) }
        diagnostics += splitter.diagnostics
        diagnostics += turnDiagnostics
        turnDiagnostics = []
        energies = Array(repeating: IPWWindowEnergy(), count: bounds.count)
        index = IntervalIndex(bounds)
    }

    /// Second pass: the run's next reading in record order.
    func read(_ reading: IPWReading) {
        guard RunEvents.plausibleTimestamps.contains(reading.timestamp) else { return }
        let x = reading.seconds
        index.forEach(holding: x) { window in
            let query = parent[window]
            // A turn sees only its query's readings.
            if query >= 0 && !(bounds[query].low <= x && x <= bounds[query].high) { return }
            energies[window].add(reading)
        }
    }

    /// The rows, once every reading has been read.
    func finish() -> AnalysisResult {
        var result = AnalysisResult()
        for var query in queries {
            let window = query.window
            if !query.raised {
                for (k, w) in query.turnWindows.enumerated() where w >= 0 && energies[query.windowIndex].readings > 0 {
                    query.turns[k].applyEnergy(energies[w])
                }
                correlateEnergy(&query.turns, query: energies[query.windowIndex])
            }
            result.turns += query.turns.map { IPWMetricSet.turnRow($0, queryID: window.queryID) }
            result.queries.append(IPWMetricSet.queryRow(
                window.queryID, completed: window.end != nil && !query.raised, turns: query.turns, costs: query.costs,
                seconds: ipwDuration(from: window.start.timestamp, to: window.endTimestamp)))
        }
        let wall: Double? = admission.timeSpan.map { seconds(from: $0.first, to: $0.last) }
        result.runs = [AnalysisRow([
            ("run_id", .string(runID)),
            ("wall_clock_s", .double(wall)),
            ("num_queries", .int(Int64(queries.count))),
        ])]
        result.diagnostics = IPWMetricSet.stableSorted(diagnostics)
        return result
    }
}

extension IPWReading {
    /// The reading of a sample given as its energy fields.
    init(timestamp: Int64, fields: EnergyFields) {
        self.timestamp = timestamp
        seconds = ipwSeconds(timestamp)
        gpuEnergy = fields.value(0)
        gpuPower = fields.value(1)
        cpuEnergy = fields.value(2)
        cpuPower = fields.value(3)
    }
}
