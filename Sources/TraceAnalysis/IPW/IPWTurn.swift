import TraceLog

/// One turn as ipw's `TurnTrace` holds it.
struct IPWTurn {
    /// 0-based position in the query.
    var index: Int
    /// Prompt tokens of the inference end; `nil` when not reported.
    var inputTokens: Int64?
    /// Completion tokens of the inference end; `nil` when not reported.
    var outputTokens: Int64?
    /// Names of the tool calls that ended since the previous turn, in order.
    var toolsCalled: [String]
    /// Latency (seconds) by tool name, in first-insertion order of names; a
    /// later call of the same name overwrites the value in place.
    var toolLatencies: [(String, Double)]
    /// Inference end minus inference start, seconds; 0 without a start.
    var wallClock: Double
    /// GPU energy, joules.
    var gpuEnergy: Double?
    /// CPU energy, joules.
    var cpuEnergy: Double?
    /// Mean GPU power, watts.
    var gpuPower: Double?
    /// Mean CPU power, watts.
    var cpuPower: Double?
    /// The turn's reading window, inference start to end (nanoseconds);
    /// nil without a start (no energy then).
    var window: (start: Int64, end: Int64)?
}

/// Builds turns from a query's events, as ipw's `_build_turn_traces` does.
///
/// - An inference start sets the turn start (a second start replaces the
///   first, which is reported as never ended).
/// - An inference end makes a turn: wall clock from the turn start (0 without
///   one), tokens from the end event, tools and latencies gathered since the
///   previous turn, energy and power from the readings with
///   `turn start <= t <= turn end` (none without a start).
/// - A tool start records its time by tool name (`unknown` without a name);
///   a later start of the same name replaces it. A tool end appends the name
///   to the turn's tools, takes the start of that name and records
///   `end - start` under the name. Span ids are not used for matching: ipw
///   matches by name, and so does this set (open starts carry over turns).
/// - When the events held inference or tool events but made no turn, one
///   synthetic turn holds the pending tools: index 0, tokens 0, wall clock 0,
///   no energy.
struct IPWTurnBuilder {
    /// The run, for diagnostics.
    var runID: String
    /// The query, for diagnostics.
    var queryID: String
    /// Problems met while building.
    private(set) var diagnostics: [AnalysisDiagnostic] = []

    /// Creates a builder for one query.
    init(runID: String, queryID: String) {
        self.runID = runID
        self.queryID = queryID
    }

    private mutating func warn(_ sequence: UInt64, _ message: String) {
        diagnostics.append(AnalysisDiagnostic(runID: runID, queryID: queryID, sequence: sequence, message: message))
    }

    /// The turns of a query's events (record order), their energy not yet
    /// known: each turn's ``IPWTurn/window`` says which readings it takes
    /// (``IPWTurn/applyEnergy(_:)``).
    mutating func build(_ events: [TraceEvent]) -> [IPWTurn] {
        var turns: [IPWTurn] = []
        var turnStart: (timestamp: Int64, sequence: UInt64)?
        var tools: [String] = []
        var latencies: [(String, Double)] = []
        // Open tool starts by name; kept across turns, as in the reference.
        var toolStarts: [String: (timestamp: Int64, sequence: UInt64)] = [:]
        var sawRecorderEvent = false

        for event in events {
            switch event.payload {
            case .inferenceStart:
                sawRecorderEvent = true
                if let previous = turnStart {
                    warn(previous.sequence, "inference start never ended (replaced by record \(event.sequence))")
                }
                turnStart = (event.timestamp, event.sequence)
            case .inferenceEnd(let end):
                sawRecorderEvent = true
                if turnStart == nil { warn(event.sequence, "inference end without a start") }
                var turn = IPWTurn(
                    index: turns.count, inputTokens: end.promptTokens, outputTokens: end.completionTokens,
                    toolsCalled: tools, toolLatencies: latencies,
                    wallClock: turnStart.map { ipwDuration(from: $0.timestamp, to: event.timestamp) } ?? 0)
                if let start = turnStart?.timestamp { turn.window = (start, event.timestamp) }
                turns.append(turn)
                turnStart = nil
                tools = []
                latencies = []
            case .toolStart(let start):
                sawRecorderEvent = true
                let name = start.tool ?? "unknown"
                if let previous = toolStarts[name] {
                    warn(previous.sequence, "tool start never ended (tool \(quoted(name)), replaced by record \(event.sequence))")
                }
                toolStarts[name] = (event.timestamp, event.sequence)
            case .toolEnd(let end):
                sawRecorderEvent = true
                let name = end.tool ?? "unknown"
                tools.append(name)
                if let start = toolStarts.removeValue(forKey: name) {
                    let latency = ipwDuration(from: start.timestamp, to: event.timestamp)
                    if let slot = latencies.firstIndex(where: { $0.0 == name }) {
                        latencies[slot].1 = latency
                    } else {
                        latencies.append((name, latency))
                    }
                } else {
                    warn(event.sequence, "tool end without a start (tool \(quoted(name)))")
                }
            default:
                continue
            }
        }

        if let start = turnStart { warn(start.sequence, "inference start never ended") }
        for (name, start) in toolStarts.sorted(by: { $0.value.sequence < $1.value.sequence }) {
            warn(start.sequence, "tool start never ended (tool \(quoted(name)))")
        }
        if turns.isEmpty && sawRecorderEvent {
            turns.append(IPWTurn(
                index: 0, inputTokens: 0, outputTokens: 0, toolsCalled: tools, toolLatencies: latencies,
                wallClock: 0))
        }
        return turns
    }
}

extension IPWTurn {
    /// Sets the turn's energy and power from the readings of its window
    /// (none when no reading fell in it, as the reference leaves them).
    mutating func applyEnergy(_ energy: IPWWindowEnergy) {
        guard energy.readings > 0 else { return }
        gpuEnergy = energy.gpuDelta
        cpuEnergy = energy.cpuDelta
        gpuPower = energy.gpuMean
        cpuPower = energy.cpuMean
    }
}

/// A name in double quotes, for messages.
func quoted(_ name: String) -> String {
    "\"" + name + "\""
}

/// ipw's `_correlate_energy`: when no turn has GPU energy, the query's
/// energy (counter delta over all its readings) is spread over the turns in
/// proportion to wall clock, for GPU and CPU alike.
///
/// Quirks kept: the total wall clock is summed left to right and nothing is
/// spread when it is 0; each turn gets `total * (wall / totalWall)`; a
/// turn's own CPU energy is overwritten whenever a CPU total exists, and
/// left alone otherwise.
func correlateEnergy(_ turns: inout [IPWTurn], query: IPWWindowEnergy) {
    guard query.readings > 0, !turns.isEmpty else { return }
    guard !turns.contains(where: { $0.gpuEnergy != nil }) else { return }
    let gpuTotal = query.gpuDelta
    let cpuTotal = query.cpuDelta
    let totalWall = turns.reduce(0.0) { $0 + $1.wallClock }
    guard totalWall > 0 else { return }
    for index in turns.indices {
        let fraction = turns[index].wallClock / totalWall
        if let gpuTotal { turns[index].gpuEnergy = gpuTotal * fraction }
        if let cpuTotal { turns[index].cpuEnergy = cpuTotal * fraction }
    }
}
