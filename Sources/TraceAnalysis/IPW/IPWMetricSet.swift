import TraceLog

/// The `ipw` metric set: reproduces the numbers of ipw's `AgenticRunner`
/// (`_build_turn_traces`, `_correlate_energy`, `_build_profiling_record`)
/// exactly, quirks included, for comparison with old results.
///
/// ## Queries
/// A query start opens a window that its query end closes (see the rules
/// below for events naming no query). The window is
/// `[start timestamp, end timestamp]`; its readings are the samples with
/// `start <= t <= end`, both ends included, in record (arrival) order: they
/// are not re-sorted by time, as the reference's reading list is in arrival
/// order. Events of the query are those naming it, or naming no query while
/// it is the most recently started open query, in record order.
///
/// - A query end with status `failed` or `timed_out` means the agent raised:
///   the query is not completed and keeps no turns (and no cost), but its
///   wall clock is still `end - start`.
/// - A query never ended is not completed; its turns are built from the
///   events recorded, its window closes at its last event, and a diagnostic
///   says so.
///
/// ## Turns
/// See the rules of ipw's `_build_turn_traces` as kept here: one turn per
/// inference end; tools are those whose end came since the previous turn;
/// latencies are keyed by tool name (a later call of the same name
/// overwrites, keys in first-insertion order); tool ends match tool starts
/// by name, not span id. Energy is the last minus the first finite counter
/// value in the turn's readings when there are two or more, `null` when
/// negative; power is the exactly rounded mean of the finite values (as
/// Python's `statistics.mean`). Tokens absent from the inference end are
/// `null` ("absent is not zero"). When no turn has GPU energy, the query's
/// energy is spread over its turns by wall-clock fraction.
///
/// All telemetry sources form one stream, as in the reference: several GPUs
/// are not separated by this set.
///
/// ## Rows
/// - Turns: `query_id`, `turn_index`, `input_tokens`, `output_tokens`,
///   `tools_called`, `tool_latencies_s`, `wall_clock_s`, `gpu_energy_joules`,
///   `cpu_energy_joules`, `gpu_power_avg_watts`, `cpu_power_avg_watts`.
/// - Queries: `query_id`, `completed`, `num_turns`, `total_input_tokens`,
///   `total_output_tokens` (null when any turn's is null), `tool_call_count`,
///   `total_gpu_energy_joules` (sum of known turn values, null when none),
///   `total_cpu_energy_joules` (the same, and 0 becomes null, the reference's
///   `or None`), `total_cost_usd` (sum of provider-reported costs, null when
///   none), `total_wall_clock_s`, `per_token_ms` and
///   `throughput_tokens_per_sec` (only when output tokens and seconds are
///   both positive).
/// - Runs: `run_id`, `wall_clock_s` (earliest to latest event timestamp,
///   null for an empty run), `num_queries`.
///
/// Durations are the reference's: differences of float seconds since the
/// epoch, as `time.time()` gives them (``ipwDuration(from:to:)``); the run
/// row's `wall_clock_s`, which the reference lacks, is
/// `Double(end_ns - start_ns) / 1e9`.
public struct IPWMetricSet: MetricSet {
    /// `ipw`, version `2` (version 1 computed durations from nanoseconds).
    public static let identity = MetricSetIdentity(name: "ipw", version: "2")
    /// One line for `trace-analyze metrics`.
    public static let summary =
        "what ipw's AgenticRunner reports: turn per inference, energy from readings inside each window, in the runner's float-second arithmetic"

    /// The rows reproduce the reference runner's: the turn and query views
    /// print them as made.
    public var viewConvention: ViewConvention { .asDefined }

    /// Creates the metric set.
    public init() {}

    /// Analyses one run the way ipw's runner would have: its events in
    /// record order through ``IPWRunStream`` (the one engine), the readings
    /// a second time.
    public func analyze(_ run: RunEvents) -> AnalysisResult {
        let ordered = Self.recordOrder(run.events)
        let stream = IPWRunStream(runID: run.runID)
        for event in ordered { stream.survey(event) }
        stream.beginReadings()
        for event in ordered {
            if let reading = IPWReading(event) { stream.read(reading) }
        }
        return stream.finish()
    }

    /// Analyses logs as a stream, twice, holding no telemetry; nil when
    /// their order does not allow it (a run's segments out of order or
    /// repeated, events out of record order): read them whole then.
    public func analyzeStream(_ paths: [String]) -> StreamedLogAnalysis.Outcome? {
        guard let (streams, pass) = TwoPassDriver.run(
            paths, make: { IPWRunStream(runID: $0, buildsStructure: true) })
        else { return nil }
        let runs = streams.map { stream in
            // The views read the run structure, built from the events as
            // they were surveyed; the events themselves are not kept.
            let structure = stream.structure()!
            return AnalyzedRun(
                events: RunEvents(runID: stream.runID, events: []), result: stream.finish(), structure: structure)
        }
        return StreamedLogAnalysis.Outcome(runs: runs, spanEnergy: runs.map { _ in .unknown }, pass: pass)
    }

    /// Events sorted by sequence, keeping the given order among equal
    /// sequences (the events themselves when already in that order).
    static func recordOrder(_ events: [TraceEvent]) -> [TraceEvent] {
        RunEvents.recordOrder(events)
    }

    /// Diagnostics by record (those naming none last), keeping discovery order otherwise.
    static func stableSorted(_ diagnostics: [AnalysisDiagnostic]) -> [AnalysisDiagnostic] {
        diagnostics.enumerated()
            .sorted { ($0.element.sequence ?? .max, $0.offset) < ($1.element.sequence ?? .max, $1.offset) }
            .map(\.element)
    }

    /// A turn row.
    static func turnRow(_ turn: IPWTurn, queryID: String) -> AnalysisRow {
        AnalysisRow([
            ("query_id", .string(queryID)),
            ("turn_index", .int(Int64(turn.index))),
            ("input_tokens", .int(turn.inputTokens)),
            ("output_tokens", .int(turn.outputTokens)),
            ("tools_called", .strings(turn.toolsCalled)),
            ("tool_latencies_s", .object(turn.toolLatencies.map { ($0.0, .double($0.1)) })),
            ("wall_clock_s", .double(turn.wallClock)),
            ("gpu_energy_joules", .double(turn.gpuEnergy)),
            ("cpu_energy_joules", .double(turn.cpuEnergy)),
            ("gpu_power_avg_watts", .double(turn.gpuPower)),
            ("cpu_power_avg_watts", .double(turn.cpuPower)),
        ])
    }

    /// A query row, as `_build_profiling_record` derives it from the trace.
    static func queryRow(
        _ queryID: String, completed: Bool, turns: [IPWTurn], costs: [Double], seconds: Double
    ) -> AnalysisRow {
        func total(_ values: [Int64?]) -> Int64? {
            var sum: Int64 = 0
            for value in values {
                guard let value else { return nil }
                sum &+= value
            }
            return sum
        }
        let inputTokens = total(turns.map(\.inputTokens))
        let outputTokens = total(turns.map(\.outputTokens))
        let gpuValues = turns.compactMap(\.gpuEnergy)
        let gpuTotal: Double? = gpuValues.isEmpty ? nil : gpuValues.reduce(0, +)
        let cpuSum = turns.compactMap(\.cpuEnergy).reduce(0.0, +)
        let cpuTotal: Double? = cpuSum == 0 ? nil : cpuSum
        let cost: Double? = costs.isEmpty ? nil : costs.reduce(0, +)
        var perTokenMs: Double?
        var throughput: Double?
        if let outputTokens, outputTokens > 0, seconds > 0 {
            perTokenMs = seconds * 1000 / Double(outputTokens)
            throughput = Double(outputTokens) / seconds
        }
        return AnalysisRow([
            ("query_id", .string(queryID)),
            ("completed", .bool(completed)),
            ("num_turns", .int(Int64(turns.count))),
            ("total_input_tokens", .int(inputTokens)),
            ("total_output_tokens", .int(outputTokens)),
            ("tool_call_count", .int(Int64(turns.reduce(0) { $0 + $1.toolsCalled.count }))),
            ("total_gpu_energy_joules", .double(gpuTotal)),
            ("total_cpu_energy_joules", .double(cpuTotal)),
            ("total_cost_usd", .double(cost)),
            ("total_wall_clock_s", .double(seconds)),
            ("per_token_ms", .double(perTokenMs)),
            ("throughput_tokens_per_sec", .double(throughput)),
        ])
    }
}
