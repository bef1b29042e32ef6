import TraceLog

/// The `default` metric set: turn, query and run metrics with exact,
/// conserving energy attribution (see docs/METRICS.md).
///
/// ## Queries and turns
/// Queries are split as the `ipw` set splits them (a start opens, its end
/// closes; events without a query id go to the most recent open query).
/// Turns follow ``DefaultTurnBuilder``: turn k spans
/// `[inference k start, inference k+1 start)`, the last ends at the query's
/// end, and a turn's tools are the calls it asked for (`parentSpanID`), or
/// without parent ids the calls starting in its window. Failed queries keep
/// their turns: their energy was spent all the same.
///
/// ## Energy
/// Every source and domain becomes an ``EnergySeries`` (counter
/// interpolation shaped by power readings, wrap and reset handling, power
/// integration where no counter exists); ``EnergyAttributor`` splits each
/// piece of time's energy equally among the active queries and, inside a
/// query, among the active spans of the turn holding it. Hence, per domain,
/// run energy = Σ queries + idle and query energy = Σ turns + overhead.
///
/// ## Rows
/// - Turns: the ipw turn fields (`wall_clock_s` is the turn window) plus
///   `inference_s`, `inference_gpu_energy_joules`, `tool_gpu_energy_joules`,
///   `inference_cpu_energy_joules`, `tool_cpu_energy_joules`, `flags`.
/// - Queries: the ipw query fields (`total_*_energy_joules` is the query's
///   attributed energy), ipw's two wall-clock rates under names that say
///   what they are over (`wall_ms_per_output_token`: the query's wall clock
///   × 1000 / its output tokens, ipw's `per_token_ms`;
///   `wall_output_tokens_per_s`: the inverse, ipw's
///   `throughput_tokens_per_sec`), plus `overhead_gpu_energy_joules`,
///   `overhead_cpu_energy_joules`, `flags`.
///
/// ## Versions
/// Version 3 gives every source a sensor model (``SensorModel``): counters
/// that advance in steps and sources whose power is averaged or missing are
/// reconstructed from the spans (``SpanFitReconstruction``); runs name each
/// source's model (`sensor_models`); rows gain the flags
/// `shorter_than_sensor_update` and `mostly_reconstructed`. A source read
/// at its own instants with instant power gives the numbers of version 2.
/// ``DefaultMetricSetV2`` (`--metrics default@2`) takes every reading as
/// exact at its instant. Version 2 renamed the two rates (version 1 called
/// them `per_token_ms` and `throughput_tokens_per_sec`, as ipw does); every
/// number is the same. ``DefaultMetricSetV1`` (`--metrics default@1`) keeps
/// version 1's names.
/// - Runs: `run_id`, `wall_clock_s`, `num_queries`, and per domain (gpu, cpu,
///   dram) `*_energy_joules` (all measured), `*_attributed_joules`,
///   `*_idle_joules`; then `flags`.
///
/// Energy is `null` where no telemetry of the domain covers the window.
/// Average power is the attributed energy over the turn window. Flags are
/// `domain:flag` strings (``EnergyFlag``), gpu before cpu.
public struct DefaultMetricSet: MetricSet {
    /// `default`, version `3`.
    public static let identity = MetricSetIdentity(name: "default", version: "3")
    /// One line for `trace-analyze metrics`.
    public static let summary =
        "energy of every query, turn and call from each source's readings (counters, else power), split among concurrent spans; flags what is interpolated"

    /// How energy series are built.
    public var options: EnergySeries.Options

    /// The rows the set makes (``making(_:)``): without `.turns` it leaves
    /// ``AnalysisResult/turns`` and ``AnalysisResult/turnInferences``
    /// empty; every other row is the same. Not part of the definition.
    public var rowKinds: AnalysisRowKinds = .all

    /// Creates the metric set (the options are part of its definition; the
    /// registered set uses the defaults).
    public init(options: EnergySeries.Options = EnergySeries.Options()) {
        self.options = options
    }

    struct QueryParts {
        var queryID: String
        var completed: Bool
        var start: Int64
        var end: Int64
        var turns: [DefaultTurn]
        var unassignedTools: Int
    }

    /// One run analysed by the one engine (``DefaultRunStream``): sort, then
    /// stream. The events that are not samples go in record order, the
    /// samples ordered by time (then sequence, then position, a stable sort),
    /// both passes over the same order; the stream then never sees a
    /// reading out of time order.
    func streamed(_ run: RunEvents) -> DefaultRunStream {
        let stream = DefaultRunStream(runID: run.runID, metricSet: self)
        // Events left out for their timestamps are reported as found in
        // record order, the first of them named.
        let range = RunEvents.plausibleTimestamps
        var ordered = run.eventsInRecordOrder
        if let first = ordered.first(where: { !range.contains($0.timestamp) }) {
            let kept = ordered.filter { range.contains($0.timestamp) }
            stream.leftOut(first: first, count: ordered.count - kept.count)
            ordered = kept
        }
        let samples = EnergySeries.sampleOrder(ordered)
        for event in ordered {
            if case .sample = event.payload { continue }
            stream.survey(event, checkingOrder: false)
        }
        for index in samples { stream.survey(ordered[index], checkingOrder: false) }
        let measured = stream.measuredClockOffsets
        if !measured.isEmpty { return addingClockOffsets(measured).streamed(run) }
        stream.beginAttribution()
        for index in samples { stream.attribute(ordered[index]) }
        return stream
    }

    /// The queries and turns of a run's events in record order (samples are
    /// ignored, see ``RunStructure``), the windows the attributor takes, and
    /// the problems met.
    func structure(_ ordered: RunEvents) -> (parts: [QueryParts], intervals: [QueryInterval], diagnostics: [AnalysisDiagnostic]) {
        structure(RunStructure(ordered))
    }

    /// The default set's queries and turns of a run's structure, the windows
    /// the attributor takes, and the structure's diagnostics.
    func structure(_ run: RunStructure) -> (parts: [QueryParts], intervals: [QueryInterval], diagnostics: [AnalysisDiagnostic]) {
        let parts = run.queries.map { query in
            QueryParts(queryID: query.queryID, completed: query.completed, start: query.start, end: query.end,
                       turns: query.turns.map { DefaultTurn($0, in: run) }, unassignedTools: query.toolsOutsideTurns.count)
        }
        let intervals = parts.map { query in
            QueryInterval(id: query.queryID, start: query.start, end: query.end, turns: query.turns.map { turn in
                var spans = [SpanInterval(kind: .inference, start: turn.inference.start, end: turn.inference.end ?? query.end,
                                          firstToken: turn.inference.firstToken)]
                for tool in turn.tools {
                    spans.append(SpanInterval(kind: .tool, start: tool.start, end: tool.end ?? query.end))
                }
                return TurnInterval(start: turn.start, end: turn.end, spans: spans)
            })
        }
        return (parts, intervals, run.diagnostics)
    }

    /// The diagnostics about energy series (source, domain, counter resets,
    /// unusable values skipped), in series order.
    static func seriesDiagnostics(
        runID: String, _ series: [(source: String, domain: EnergyDomain, resets: Int, skipped: Int)]
    ) -> [AnalysisDiagnostic] {
        var diagnostics: [AnalysisDiagnostic] = []
        for s in series {
            if s.resets > 0 {
                diagnostics.append(AnalysisDiagnostic(runID: runID, message:
                    "source \(s.source) (\(s.domain.rawValue)): counter went backwards \(s.resets) time(s) without a wrap range; treated as reset"))
            }
            if s.skipped > 0 {
                diagnostics.append(AnalysisDiagnostic(runID: runID, message:
                    "source \(s.source) (\(s.domain.rawValue)): \(s.skipped) unusable value(s) skipped (NaN, infinite, negative or -1)"))
            }
        }
        return diagnostics
    }

    /// The GPU energy this set attributes to each inference and tool call
    /// of `run` (concurrent spans of a turn share each interval equally),
    /// for the tool and model views. Spans are found by their start
    /// record's sequence number.
    public func spanEnergy(_ run: RunEvents) -> SpanEnergy {
        let stream = streamed(run)
        _ = stream.finish()
        return stream.spanEnergy
    }

    /// The span energies of a run's structure and GPU attribution.
    static func spanEnergy(runID: String, parts: [QueryParts], gpu: DomainAttribution, cpu: DomainAttribution? = nil) -> SpanEnergy {
        // By start record's sequence, one table per kind and domain.
        func tables(_ domain: DomainAttribution) -> (inferences: [UInt64: Double], tools: [UInt64: Double]) {
            var inferences: [UInt64: Double] = [:]
            var tools: [UInt64: Double] = [:]
            for (index, query) in parts.enumerated() {
                for (turnIndex, turn) in query.turns.enumerated() {
                    guard let spans = domain.queries[index].turns[turnIndex].spanJoules else { continue }
                    // Spans were given as [inference] + tools, in order.
                    inferences[turn.inference.startSequence] = spans[0]
                    for (k, tool) in turn.tools.enumerated() where k + 1 < spans.count {
                        tools[tool.startSequence] = spans[k + 1]
                    }
                }
            }
            return (inferences, tools)
        }
        // The flags of the turn each span is in, both domains.
        var flags: [UInt64: [String]] = [:]
        for (index, query) in parts.enumerated() {
            for (turnIndex, turn) in query.turns.enumerated() {
                var names = gpu.queries[index].turns[turnIndex].flags.sorted.map { "gpu:\($0.rawValue)" }
                if let cpu { names += cpu.queries[index].turns[turnIndex].flags.sorted.map { "cpu:\($0.rawValue)" } }
                guard !names.isEmpty else { continue }
                flags[turn.inference.startSequence] = names
                for tool in turn.tools { flags[tool.startSequence] = names }
            }
        }
        let gpuTables = tables(gpu)
        let cpuTables = cpu.map(tables)
        let flagTable = flags
        @Sendable func key(_ reference: SpanReference) -> UInt64? {
            reference.runID == runID ? reference.startSequence : nil
        }
        return SpanEnergy({ reference in
            guard let start = key(reference) else { return nil }
            return reference.kind == .inference ? gpuTables.inferences[start] : gpuTables.tools[start]
        }, details: { reference in
            guard let start = key(reference) else { return (nil, []) }
            let cpuJoules = reference.kind == .inference ? cpuTables?.inferences[start] : cpuTables?.tools[start]
            return (cpuJoules ?? nil, flagTable[start] ?? [])
        })
    }

    /// Analyses logs as a stream, twice, holding no telemetry
    /// (``StreamedLogAnalysis``); nil when their order does not allow it.
    public func analyzeStream(_ paths: [String]) -> StreamedLogAnalysis.Outcome? {
        StreamedLogAnalysis.analyze(paths, metricSet: self)
    }

    /// The set with more clock offsets in its options (after those it has:
    /// the last offset of a source is the one applied).
    func addingClockOffsets(_ offsets: [SourceClockOffset]) -> DefaultMetricSet {
        var options = options
        options.clockOffsets += offsets
        var set = DefaultMetricSet(options: options)
        set.rowKinds = rowKinds
        return set
    }

    /// The set with the clock offsets in its options.
    public func withClockOffsets(_ offsets: [SourceClockOffset]) -> (any MetricSet)? {
        var options = options
        options.clockOffsets = offsets
        var set = DefaultMetricSet(options: options)
        set.rowKinds = rowKinds
        return set
    }

    /// The set making the turn rows only when `rows` has `.turns` (query
    /// and run rows always: they cost one row per query).
    public func making(_ rows: AnalysisRowKinds) -> any MetricSet {
        var set = self
        set.rowKinds = rows.contains(.turns) ? .all : [.queries, .runs]
        return set
    }

    /// Analyses one run: sort, then stream (``streamed(_:)``).
    public func analyze(_ run: RunEvents) -> AnalysisResult {
        streamed(run).finish().result
    }

    /// The rows of a run from its structure and attribution; `wall` is the
    /// time from its first to its last event. Each query's parts and
    /// energies are let go once its rows are made (`parts` keeps its
    /// queries without their turns; `attribution` its domains' totals
    /// without their queries), so the rows take the place they leave.
    static func result(
        runID: String, parts: inout [QueryParts], attribution: inout EnergyAttribution, diagnostics: [AnalysisDiagnostic],
        wall: Double?, sensorModels: [String]? = nil, rowKinds: AnalysisRowKinds = .all
    ) -> AnalysisResult {
        func takeQueries(_ domain: EnergyDomain) -> DomainAttribution {
            let taken = attribution[domain]
            if let index = attribution.domains.firstIndex(where: { $0.domain == domain }) {
                attribution.domains[index].queries = []
            }
            return taken
        }
        var gpu = takeQueries(.gpu)
        var cpu = takeQueries(.cpu)
        let aligned = sensorModels != nil

        var result = AnalysisResult()
        let turnCount = rowKinds.contains(.turns) ? parts.reduce(0) { $0 + $1.turns.count } : 0
        result.turns.reserveCapacity(turnCount)
        result.turnInferences.reserveCapacity(turnCount)
        result.queries.reserveCapacity(parts.count)
        for index in parts.indices {
            let query = parts[index]
            parts[index].turns = []
            let (gpuQuery, cpuQuery) = (gpu.queries[index], cpu.queries[index])
            gpu.queries[index].turns = []
            cpu.queries[index].turns = []
            for (turnIndex, turn) in query.turns.enumerated() where turnCount > 0 {
                result.turnInferences.append(SpanReference(
                    kind: .inference, runID: runID, queryID: query.queryID, spanID: turn.inference.spanID,
                    startSequence: turn.inference.startSequence, endSequence: nil))
                result.turns.append(Self.turnRow(
                    turn, index: turnIndex, queryID: query.queryID,
                    gpu: gpuQuery.turns[turnIndex], cpu: cpuQuery.turns[turnIndex], aligned: aligned))
            }
            result.queries.append(Self.queryRow(query, gpu: gpuQuery, cpu: cpuQuery, aligned: aligned))
        }

        var runColumns: [(name: String, value: AnalysisValue)] = [
            ("run_id", .string(runID)),
            ("wall_clock_s", .double(wall)),
            ("num_queries", .int(Int64(parts.count))),
        ]
        var runFlags: [String] = []
        for domain in EnergyDomain.allCases {
            let d = attribution[domain]
            runColumns.append(("\(domain.rawValue)_energy_joules", .double(d.deviceJoules)))
            runColumns.append(("\(domain.rawValue)_attributed_joules", .double(d.attributedJoules)))
            runColumns.append(("\(domain.rawValue)_idle_joules", .double(d.idleJoules)))
            runFlags += Self.flagStrings(d.flags, domain: domain)
        }
        if let sensorModels { runColumns.append(("sensor_models", .strings(sensorModels))) }
        runColumns.append(("flags", .strings(runFlags)))
        result.runs = [AnalysisRow(runColumns)]
        result.diagnostics = diagnostics.enumerated()
            .sorted { ($0.element.sequence ?? .max, $0.offset) < ($1.element.sequence ?? .max, $1.offset) }
            .map(\.element)
        return result
    }

    /// `domain:flag` strings in flag order.
    static func flagStrings(_ flags: EnergyFlags, domain: EnergyDomain) -> [String] {
        flags.sorted.map { "\(domain.rawValue):\($0.rawValue)" }
    }

    /// Seconds between two instants.
    static func seconds(_ start: Int64, _ end: Int64) -> Double {
        Double(end - start) / 1e9
    }

    /// The turn rows' columns, without and with version 3's alignment
    /// columns (before `flags`): every turn row shares one of the two.
    static let turnColumns = [
        "query_id", "turn_index", "input_tokens", "output_tokens", "tools_called", "tool_latencies_s", "wall_clock_s",
        "gpu_energy_joules", "cpu_energy_joules", "gpu_power_avg_watts", "cpu_power_avg_watts", "inference_s",
        "inference_gpu_energy_joules", "tool_gpu_energy_joules", "inference_cpu_energy_joules", "tool_cpu_energy_joules",
        "flags",
    ]
    static let alignedTurnColumns = Array(turnColumns.dropLast()) + ["gpu_alignment_joules_per_ms", "cpu_alignment_joules_per_ms", "flags"]

    /// A turn row, with the alignment columns when `aligned`.
    static func turnRow(
        _ turn: DefaultTurn, index: Int, queryID: String, gpu: TurnEnergy, cpu: TurnEnergy, aligned: Bool = false
    ) -> AnalysisRow {
        let window = seconds(turn.start, turn.end)
        func power(_ joules: Double?) -> Double? {
            guard let joules, window > 0 else { return nil }
            return joules / window
        }
        var latencies: [(String, AnalysisValue)] = []
        latencies.reserveCapacity(turn.tools.count)
        for (position, tool) in turn.tools.enumerated() {
            // The n-th call of a name is keyed NAME#n.
            var count = 1
            for earlier in turn.tools[..<position] where earlier.name == tool.name { count += 1 }
            let key = count == 1 ? tool.name : "\(tool.name)#\(count)"
            latencies.append((key, .double(tool.end.map { seconds(tool.start, $0) })))
        }
        let names = aligned ? alignedTurnColumns : turnColumns
        var values: [AnalysisValue] = []
        values.reserveCapacity(names.count)
        values.append(.string(queryID))
        values.append(.int(Int64(index)))
        values.append(.int(turn.inference.promptTokens))
        values.append(.int(turn.inference.completionTokens))
        values.append(.strings(turn.tools.map(\.name)))
        values.append(.object(latencies))
        values.append(.double(window))
        values.append(.double(gpu.joules))
        values.append(.double(cpu.joules))
        values.append(.double(power(gpu.joules)))
        values.append(.double(power(cpu.joules)))
        values.append(.double(turn.inference.end.map { seconds(turn.inference.start, $0) }))
        values.append(.double(gpu.inferenceJoules))
        values.append(.double(gpu.toolJoules))
        values.append(.double(cpu.inferenceJoules))
        values.append(.double(cpu.toolJoules))
        if aligned {
            values.append(.double(gpu.alignmentJoulesPerMillisecond))
            values.append(.double(cpu.alignmentJoulesPerMillisecond))
        }
        values.append(.strings(flagStrings(gpu.flags, domain: .gpu) + flagStrings(cpu.flags, domain: .cpu)))
        return AnalysisRow(shape: names, values: values)
    }

    /// The query rows' columns, without and with the alignment columns.
    static let queryColumns = [
        "query_id", "completed", "num_turns", "total_input_tokens", "total_output_tokens", "tool_call_count",
        "total_gpu_energy_joules", "total_cpu_energy_joules", "total_cost_usd", "total_wall_clock_s",
        "wall_ms_per_output_token", "wall_output_tokens_per_s", "overhead_gpu_energy_joules", "overhead_cpu_energy_joules",
        "flags",
    ]
    static let alignedQueryColumns = Array(queryColumns.dropLast()) + ["gpu_alignment_joules_per_ms", "cpu_alignment_joules_per_ms", "flags"]

    /// A query row, with the alignment columns when `aligned`.
    private static func queryRow(_ query: QueryParts, gpu: QueryEnergy, cpu: QueryEnergy, aligned: Bool) -> AnalysisRow {
        func total(_ values: [Int64?]) -> Int64? {
            var sum: Int64 = 0
            for value in values {
                guard let value else { return nil }
                sum &+= value
            }
            return sum
        }
        let inputTokens = total(query.turns.map(\.inference.promptTokens))
        let outputTokens = total(query.turns.map(\.inference.completionTokens))
        let costs = query.turns.compactMap(\.inference.costUSD)
        var cost = CompensatedSum()
        for c in costs { cost.add(c) }
        let wall = seconds(query.start, query.end)
        var perTokenMs: Double?
        var throughput: Double?
        if let outputTokens, outputTokens > 0, wall > 0 {
            perTokenMs = wall * 1000 / Double(outputTokens)
            throughput = Double(outputTokens) / wall
        }
        let toolCount = query.turns.reduce(query.unassignedTools) { $0 + $1.tools.count }
        let names = aligned ? alignedQueryColumns : queryColumns
        var values: [AnalysisValue] = []
        values.reserveCapacity(names.count)
        values.append(.string(query.queryID))
        values.append(.bool(query.completed))
        values.append(.int(Int64(query.turns.count)))
        values.append(.int(inputTokens))
        values.append(.int(outputTokens))
        values.append(.int(Int64(toolCount)))
        values.append(.double(gpu.joules))
        values.append(.double(cpu.joules))
        values.append(.double(costs.isEmpty ? nil : cost.value))
        values.append(.double(wall))
        values.append(.double(perTokenMs))
        values.append(.double(throughput))
        values.append(.double(gpu.overheadJoules))
        values.append(.double(cpu.overheadJoules))
        if aligned {
            values.append(.double(gpu.alignmentJoulesPerMillisecond))
            values.append(.double(cpu.alignmentJoulesPerMillisecond))
        }
        values.append(.strings(flagStrings(gpu.flags, domain: .gpu) + flagStrings(cpu.flags, domain: .cpu)))
        return AnalysisRow(shape: names, values: values)
    }
}
