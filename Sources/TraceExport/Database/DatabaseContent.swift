import TraceAnalysis
import TraceLog

/// Everything one `db` load writes: the five tables' rows and what made
/// them (metric set, price table, log content).
public struct DatabaseContent: Sendable {
    /// The log content hash (``LogContentHash``).
    public var logHash: String
    /// The metric set that made the rows.
    public var metricSet: MetricSetIdentity
    /// The price table's hash; nil while costs come from providers only.
    public var priceTableHash: String?
    /// `runs`, `queries`, `turns`, `tools`, `models`, in that order.
    public var tables: [DatabaseTable]
    /// Analysis warnings met while building the rows.
    public var diagnostics: [AnalysisDiagnostic]

    /// The number of rows over all tables.
    public var rowCount: Int { tables.reduce(0) { $0 + $1.rows.count } }

    /// Analyses `runs` with `metricSet` and derives the tool and model rows
    /// from the events.
    ///
    /// - `runs`, `queries`, `turns`: the metric set's rows (`--by run`,
    ///   `--by query`, `--by turn`), with `run_id` in front.
    /// - `tools`: one row per tool call (``RunTimeline``): `run_id`,
    ///   `query_id`, `span_id`, `tool`, `turn_index`, `ok`, `error`,
    ///   `latency_s`, `parent_span_id`, `output_bytes`.
    /// - `models`: one row per model over all runs (the routed model, else
    ///   the requested one, else `unknown`), sorted by name: `model`,
    ///   `calls` (ended inferences), `input_tokens`, `output_tokens`,
    ///   `cached_tokens` (sums, NULL when any call's count is unknown),
    ///   `cost_usd` (the providers' reported cost, NULL when any call's is
    ///   unknown).
    public static func make(_ runs: [RunEvents], metricSet: any MetricSet, logHash: String,
                            progress: ExportProgress? = nil) -> DatabaseContent {
        var runRows: [AnalysisRow] = [], queryRows: [AnalysisRow] = [], turnRows: [AnalysisRow] = []
        var toolRows: [[AnalysisValue]] = []
        var diagnostics: [AnalysisDiagnostic] = []
        var models = ModelTotals()
        for (index, run) in runs.enumerated() {
            let result = metricSet.analyze(run)
            diagnostics += result.diagnostics
            let runID = AnalysisValue.string(run.runID)
            runRows += result.runs.map { row in
                row["run_id"] == nil ? AnalysisRow([("run_id", runID)] + row.columns) : row
            }
            queryRows += result.queries.map { AnalysisRow([("run_id", runID)] + $0.columns) }
            turnRows += result.turns.map { AnalysisRow([("run_id", runID)] + $0.columns) }
            let timeline = RunTimeline(run)
            for query in timeline.queries {
                for tool in query.tools {
                    toolRows.append([
                        runID, .string(query.queryID), .string(tool.spanID), .string(tool.tool),
                        .int(Self.turnIndex(of: tool, in: query).map(Int64.init)),
                        tool.ok.map { .bool($0) } ?? .null, .string(tool.error), .double(tool.latencySeconds),
                        .string(tool.parentSpanID), .int(tool.outputBytes),
                    ])
                }
                for inference in query.inferences where inference.end != nil { models.add(inference) }
            }
            progress?(index + 1, runs.count)
        }
        let tables = [
            DatabaseTable(name: "runs", analysisRows: runRows),
            DatabaseTable(name: "queries", analysisRows: queryRows),
            DatabaseTable(name: "turns", analysisRows: turnRows),
            DatabaseTable(name: "tools", columns: DatabaseSchema.toolColumns, rows: toolRows),
            DatabaseTable(name: "models", columns: DatabaseSchema.modelColumns, rows: models.rows),
        ]
        return DatabaseContent(logHash: logHash, metricSet: metricSet.identity, priceTableHash: nil,
                               tables: tables, diagnostics: diagnostics)
    }

    /// The turn a call belongs to: its parent inference's, else the turn
    /// whose window holds its start (the default set's convention).
    static func turnIndex(of tool: TimelineTool, in query: TimelineQuery) -> Int? {
        if let parent = tool.parentSpanID,
           let turn = query.turns.first(where: { query.inferences[$0.inference].spanID == parent }) {
            return turn.index
        }
        return query.turns.last { $0.start <= tool.start }?.index
    }
}

/// Per-model sums for the `models` table, in first-seen order until sorted.
struct ModelTotals {
    private struct Totals {
        var calls: Int64 = 0
        var input: Int64? = 0
        var output: Int64? = 0
        var cached: Int64? = 0
        var cost: Double? = 0
    }

    private var names: [String] = []
    private var totals: [String: Totals] = [:]

    mutating func add(_ inference: TimelineInference) {
        let name = inference.effectiveModel ?? "unknown"
        if totals[name] == nil { names.append(name) }
        var t = totals[name] ?? Totals()
        t.calls += 1
        func add(_ sum: Int64?, _ value: Int64?) -> Int64? { sum.flatMap { s in value.map { s &+ $0 } } }
        t.input = add(t.input, inference.promptTokens)
        t.output = add(t.output, inference.completionTokens)
        t.cached = add(t.cached, inference.cachedTokens)
        t.cost = t.cost.flatMap { s in inference.costUSD.map { s + $0 } }
        totals[name] = t
    }

    /// Rows in ``DatabaseSchema/modelColumns`` order, sorted by model name (UTF-8 bytes).
    var rows: [[AnalysisValue]] {
        names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.map { name in
            let t = totals[name]!
            return [.string(name), .int(t.calls), .int(t.input), .int(t.output), .int(t.cached), .double(t.cost)]
        }
    }
}
