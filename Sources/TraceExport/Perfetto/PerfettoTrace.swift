import TraceAnalysis
import TraceLog

/// Writes runs as a Chrome Trace Event Format JSON object, which
/// ui.perfetto.dev and chrome://tracing open.
///
/// Layout:
/// - one process per run (`pid` = 1, 2, … in run order), named `run ID`;
/// - one thread per query (`tid` = 1, 2, … in query order), named by the
///   query id; slices that would not nest on the query's thread (a tool call
///   that outlives its turn, parallel calls) go on extra threads of the same
///   query, named `ID (overlap N)`, never clipped (see ``TrackLayout``);
/// - complete (`X`) slices for each query, turn, inference and tool call,
///   with arguments: the query and turn rows of the views (``AnalysisReport``
///   with the writer's ``prices``: the same costs as `--by query` and
///   `--by turn`), and the inference's model, tokens, cost (priced the same
///   way) and error, the call's tool, ok, error;
///   spans that never ended run to their query's end with `ended: false`;
/// - counter (`C`) tracks per telemetry channel and source
///   (``TelemetryChannel``), power in W and energy in J.
///
/// Times (`ts`, `dur`) are microseconds with nanosecond decimals from the
/// earliest event of all runs, whose Unix time in nanoseconds is in
/// `otherData.origin_unix_ns`. Output is deterministic: no dictionary order,
/// no clock reads.
public struct PerfettoTrace {
    /// The metric set whose rows annotate queries and turns.
    public var metricSet: any MetricSet
    /// The prices costs are computed with.
    public var prices: PriceTable
    /// Telemetry sources' clock offsets, for the counter tracks' series
    /// (the rows' set takes its own).
    public var clockOffsets: [SourceClockOffset] = []

    /// Creates a writer.
    public init(metricSet: any MetricSet, prices: PriceTable = .default) {
        self.metricSet = metricSet
        self.prices = prices
    }

    /// The query and turn rows of the views for one analysed run.
    func viewRows(_ run: AnalyzedRun) -> (queries: [AnalysisRow], turns: [AnalysisRow]) {
        var run = run
        return viewRows(taking: &run)
    }

    /// The query and turn rows of the views for one analysed run, letting
    /// go of the set's turn rows once the turn view has its own: when `run`
    /// holds the only reference to them, the two are never held at once.
    func viewRows(taking run: inout AnalyzedRun) -> (queries: [AnalysisRow], turns: [AnalysisRow]) {
        func report(_ view: ViewKind) -> AnalysisReport {
            AnalysisReport(metricSet: metricSet, view: .view(view), format: .json, prices: prices, namesPriceTableInRows: false)
        }
        // The run moves into a one-run array, which the turn view takes its
        // rows out of.
        var runs = [run]
        run.result.turns = []
        let turns = report(.turn).rows(taking: &runs).rows
        runs[0].result.turns = []
        runs[0].result.turnInferences = []
        run = runs[0]
        return (report(.query).rows(analyzed: runs).rows, turns)
    }

    /// The trace JSON of `runs`.
    public func json(_ runs: [RunEvents], progress: ExportProgress? = nil) -> String {
        var text = ""
        write(runs, progress: progress) { text += $0 }
        return text
    }

    /// What the trace shows of one run: the set's rows, the structure its
    /// timeline is made from (a query at a time, as it is written) and the
    /// counter tracks, each able to replay its points in time order.
    package struct RunContent {
        var runID: String
        /// The views' query and turn rows.
        var queryRows: [AnalysisRow]
        var turnRows: [AnalysisRow]
        var structure: RunStructure
        var channels: [Channel]
    }

    /// One counter track: its name and its points, replayed on demand.
    package struct Channel {
        var source: String
        var channel: String
        var forEachPoint: ((Int64, Double) -> Void) -> Void
        var name: String { "\(source) \(channel)" }
    }

    /// Writes the trace JSON of `runs` to `sink` in pieces of about a
    /// megabyte (the same bytes as ``json(_:progress:)``), so the whole
    /// text is never held.
    public func write(_ runs: [RunEvents], progress: ExportProgress? = nil, to sink: (String) -> Void) {
        // Timestamps the metric sets leave out (beyond ±2^62 ns) are left
        // out here too: every difference of two timestamps then fits.
        let runs = runs.map { $0.withPlausibleTimestamps().run }
        let origin = runs.compactMap { $0.events.map(\.timestamp).min() }.min() ?? 0
        write(runs.count, origin: origin, progress: progress, to: sink) { index in
            let run = runs[index]
            let channels = TelemetryChannel.channels(from: run.events).map { channel in
                Channel(source: channel.source, channel: channel.channel) { body in
                    for point in channel.points { body(point.time, point.value) }
                }
            }
            let analyzed = AnalyzedRun(events: run, metricSet: metricSet)
            let rows = viewRows(analyzed)
            return RunContent(runID: run.runID, queryRows: rows.queries, turnRows: rows.turns,
                              structure: analyzed.structure, channels: channels)
        }
    }

    /// Writes the trace of `count` runs whose contents `content` gives, one
    /// at a time, times counted from `origin`.
    package func write(
        _ count: Int, origin: Int64, progress: ExportProgress? = nil, to sink: (String) -> Void,
        content: (Int) -> RunContent
    ) {
        var out = "{\"displayTimeUnit\":\"ms\",\"otherData\":{\"producer\":\"agent-trace\",\"metric_set\":"
        JSONText.string(metricSet.identity.tag, to: &out)
        out += ",\"origin_unix_ns\":\(origin)},\"traceEvents\":[\n"
        var first = true
        func emit(_ event: String) {
            if !first { out += ",\n" }
            first = false
            out += event
            if out.utf8.count >= 1 << 20 {
                sink(out)
                out = ""
                out.reserveCapacity(1 << 20 + 4096)
            }
        }
        for runIndex in 0..<count {
            let pid = runIndex + 1
            let run = content(runIndex)
            emit(#"{"ph":"M","name":"process_name","pid":\#(pid),"tid":0,"args":{"name":\#(JSONText.string("run " + run.runID))}}"#)
            emit(#"{"ph":"M","name":"process_sort_index","pid":\#(pid),"tid":0,"args":{"sort_index":\#(pid)}}"#)
            var nextTID = 1
            // The set's rows by query (the first row of an id, as a lookup
            // by id finds it), gathered once: linear in the queries.
            var queryRows: [String: AnalysisRow] = [:]
            for row in run.queryRows {
                if let id = row["query_id"]?.stringValue, queryRows[id] == nil { queryRows[id] = row }
            }
            var turnRows: [String: [AnalysisRow]] = [:]
            for row in run.turnRows {
                if let id = row["query_id"]?.stringValue { turnRows[id, default: []].append(row) }
            }
            for queryIndex in run.structure.queries.indices {
                let query = RunTimeline.query(queryIndex, of: run.structure)
                let slices = Self.slices(
                    of: query, queryRow: queryRows[query.queryID], turnRows: turnRows[query.queryID] ?? [], prices: prices)
                let layout = TrackLayout.place(slices.enumerated().map {
                    TrackLayout.Slice(start: $0.element.start, end: $0.element.end, rank: $0.element.rank, id: $0.offset)
                })
                for track in 0..<layout.count {
                    let tid = nextTID + track
                    let name = track == 0 ? query.queryID : "\(query.queryID) (overlap \(track + 1))"
                    emit(#"{"ph":"M","name":"thread_name","pid":\#(pid),"tid":\#(tid),"args":{"name":\#(JSONText.string(name))}}"#)
                    emit(#"{"ph":"M","name":"thread_sort_index","pid":\#(pid),"tid":\#(tid),"args":{"sort_index":\#(tid)}}"#)
                }
                let order = slices.indices.sorted { a, b in
                    let ta = layout.tracks[a]!, tb = layout.tracks[b]!
                    if ta != tb { return ta < tb }
                    if slices[a].start != slices[b].start { return slices[a].start < slices[b].start }
                    if slices[a].end != slices[b].end { return slices[a].end > slices[b].end }
                    return (slices[a].rank, a) < (slices[b].rank, b)
                }
                for i in order {
                    let slice = slices[i]
                    var event = #"{"ph":"X","pid":\#(pid),"tid":\#(nextTID + layout.tracks[i]!),"cat":"\#(slice.category)","name":"#
                    JSONText.string(slice.name, to: &event)
                    event += ",\"ts\":" + Self.microseconds(slice.start - origin)
                    event += ",\"dur\":" + Self.microseconds(slice.end - slice.start)
                    event += ",\"args\":{"
                    for (j, arg) in slice.args.enumerated() {
                        if j > 0 { event += "," }
                        JSONText.string(arg.0, to: &event)
                        event += ":"
                        JSONText.value(arg.1, to: &event)
                    }
                    event += "}}"
                    emit(event)
                }
                nextTID += max(layout.count, 1)
            }
            for channel in run.channels {
                let key = JSONText.string(Self.unit(of: channel.channel))
                let name = JSONText.string(channel.name)
                channel.forEachPoint { time, value in
                    emit(#"{"ph":"C","pid":\#(pid),"tid":0,"name":\#(name),"ts":\#(Self.microseconds(time - origin)),"args":{\#(key):\#(JSONText.number(value))}}"#)
                }
            }
            progress?(runIndex + 1, count)
        }
        out += "\n]}\n"
        sink(out)
    }

    /// One slice before layout.
    struct Slice {
        var name: String
        var category: String
        var start: Int64
        var end: Int64
        var rank: Int
        var args: [(String, AnalysisValue)]
    }

    /// A query's slices: the query, its turns, inferences and tool calls.
    static func slices(
        of query: TimelineQuery, queryRow: AnalysisRow?, turnRows: [AnalysisRow], prices: PriceTable = .default
    ) -> [Slice] {
        var slices: [Slice] = []
        var queryArgs: [(String, AnalysisValue)] = [("status", .string(query.status)), ("error", .string(query.error))]
        queryArgs += queryRow?.columns.map { ($0.name, $0.value) } ?? []
        slices.append(Slice(name: "query \(query.queryID)", category: "query", start: query.start, end: query.end,
                            rank: 0, args: queryArgs))
        for turn in query.turns {
            let row = turnRows.first { $0["turn_index"]?.intValue == Int64(turn.index) }
            slices.append(Slice(name: "turn \(turn.index)", category: "turn", start: turn.start, end: turn.end, rank: 1,
                                args: row?.columns.map { ($0.name, $0.value) } ?? [("turn_index", .int(Int64(turn.index)))]))
        }
        for inference in query.inferences {
            let args: [(String, AnalysisValue)] = [
                ("span_id", .string(inference.spanID)), ("model", .string(inference.model)),
                ("routed_model", .string(inference.routedModel)),
                ("input_tokens", .int(inference.promptTokens)), ("output_tokens", .int(inference.completionTokens)),
                ("cached_tokens", .int(inference.cachedTokens)),
                ("cost_usd", .double(InferenceCost.usd(
                    providerCostUSD: inference.costUSD, model: inference.effectiveModel, promptTokens: inference.promptTokens,
                    completionTokens: inference.completionTokens, cachedTokens: inference.cachedTokens, prices: prices))),
                ("time_to_first_token_s", .double(inference.timeToFirstTokenSeconds)),
                ("status", .string(inference.status)), ("error", .string(inference.error)),
                ("stop_reason", .string(inference.stopReason)), ("ended", .bool(inference.end != nil)),
            ]
            slices.append(Slice(name: inference.effectiveModel ?? "inference", category: "inference",
                                start: inference.start, end: inference.end ?? max(query.end, inference.start),
                                rank: 2, args: args))
        }
        for tool in query.tools {
            let args: [(String, AnalysisValue)] = [
                ("span_id", .string(tool.spanID)), ("tool", .string(tool.tool)),
                ("parent_span_id", .string(tool.parentSpanID)), ("ok", tool.ok.map { .bool($0) } ?? .null),
                ("error", .string(tool.error)), ("output_bytes", .int(tool.outputBytes)),
                ("latency_s", .double(tool.latencySeconds)), ("ended", .bool(tool.end != nil)),
            ]
            slices.append(Slice(name: tool.tool, category: "tool", start: tool.start,
                                end: tool.end ?? max(query.end, tool.start), rank: 3, args: args))
        }
        return slices
    }

    /// The counter argument's name: the channel's unit.
    static func unit(of channel: String) -> String {
        if channel.hasSuffix("_w") { return "W" }
        if channel.hasSuffix("_j") { return "J" }
        if channel.hasSuffix("_pct") { return "%" }
        if channel.hasSuffix("_c") { return "°C" }
        return "bytes"
    }

    /// Nanoseconds as decimal microseconds (`1234.567`), exactly.
    static func microseconds(_ ns: Int64) -> String {
        let sign = ns < 0 ? "-" : ""
        let magnitude = ns.magnitude
        let fraction = magnitude % 1000
        if fraction == 0 { return sign + String(magnitude / 1000) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return sign + String(magnitude / 1000) + "." + digits
    }
}
