import TraceAnalysis
import TraceLog

/// Everything one `db` load writes: the five tables' rows and what made
/// them (metric set, price table, log content).
public struct DatabaseContent: Sendable {
    /// The log content hash (``LogContentHash``).
    public var logHash: String
    /// The metric set that made the rows.
    public var metricSet: MetricSetIdentity
    /// The SHA-256 of the price table that priced the rows.
    public var priceTableHash: String?
    /// `runs`, `queries`, `turns`, `tools`, `models`, `tool_calls`, in that order.
    public var tables: [DatabaseTable]
    /// Analysis warnings met while building the rows.
    public var diagnostics: [AnalysisDiagnostic]

    /// The number of rows over all tables.
    public var rowCount: Int { tables.reduce(0) { $0 + $1.rows.count } }

    /// The rows of the `--by` views that become tables, computed by the
    /// caller (which knows the price table and the span energy).
    public struct Views: Sendable {
        /// `--by run` rows (each has `run_id`).
        public var runs: [AnalysisRow]
        /// `--by query` rows, each with its run's `run_id` in front.
        public var queries: [AnalysisRow]
        /// `--by turn` rows, each with its run's `run_id` in front.
        public var turns: [AnalysisRow]
        /// `--by tool` rows (one per run and tool, each with `run_id`).
        public var tools: [AnalysisRow]
        /// `--by model` rows (one per run and model, each with `run_id`).
        public var models: [AnalysisRow]
        /// Analysis warnings met while computing them.
        public var diagnostics: [AnalysisDiagnostic]

        /// Creates the views.
        public init(
            runs: [AnalysisRow], queries: [AnalysisRow], turns: [AnalysisRow], tools: [AnalysisRow],
            models: [AnalysisRow], diagnostics: [AnalysisDiagnostic] = []
        ) {
            self.runs = runs
            self.queries = queries
            self.turns = turns
            self.tools = tools
            self.models = models
            self.diagnostics = diagnostics
        }

        /// The views of runs analysed with `metricSet`, as `db` loads them:
        /// the `--by run`, `query`, `turn`, `tool` and `model` rows
        /// (``AnalysisReport``, JSON conventions, no `price_table` column),
        /// each with its `run_id`.
        public init(_ analyzed: [AnalyzedRun], spanEnergy: [SpanEnergy]?, metricSet: any MetricSet, prices: PriceTable) {
            func report(_ view: AnalysisView) -> AnalysisReport {
                AnalysisReport(metricSet: metricSet, view: view, format: .json, prices: prices, namesPriceTableInRows: false)
            }
            self.init(runs: [], queries: [], turns: [], tools: [], models: [])
            for run in analyzed {
                let runID = AnalysisValue.string(run.structure.runID)
                let (rows, notes) = report(.run).rows(analyzed: [run])
                runs += rows.map { $0.leading("run_id", runID) }
                queries += report(.query).rows(analyzed: [run]).rows
                turns += report(.turn).rows(analyzed: [run]).rows
                diagnostics += notes.diagnostics
            }
            tools = report(.view(.tool)).rows(analyzed: analyzed, spanEnergy: spanEnergy).rows
            models = report(.view(.model)).rows(analyzed: analyzed, spanEnergy: spanEnergy).rows
        }
    }

    /// The six tables of one load:
    ///
    /// - `runs`, `queries`, `turns`, `tools`, `models`: one row per row of
    ///   the matching `--by` view (``Views``), so SQL row counts equal the
    ///   JSON views;
    /// - `tool_calls`: one row per tool call (``RunTimeline``): `run_id`,
    ///   `query_id`, `span_id`, `tool`, `turn_index`, `ok`, `error`,
    ///   `latency_s`, `parent_span_id`, `output_bytes`.
    public static func make(
        _ runs: [RunEvents], views: Views, metricSet: MetricSetIdentity, priceTableHash: String?, logHash: String,
        progress: ExportProgress? = nil
    ) -> DatabaseContent {
        make(structures: runs.map(RunStructure.init), views: views, metricSet: metricSet,
             priceTableHash: priceTableHash, logHash: logHash, progress: progress)
    }

    /// The same tables from the runs' structures (what an analysis keeps).
    public static func make(
        structures runs: [RunStructure], views: Views, metricSet: MetricSetIdentity, priceTableHash: String?,
        logHash: String, progress: ExportProgress? = nil
    ) -> DatabaseContent {
        var toolRows: [[AnalysisValue]] = []
        for (index, run) in runs.enumerated() {
            let runID = AnalysisValue.string(run.runID)
            let timeline = RunTimeline(run, start: 0, end: 0)
            for query in timeline.queries {
                for tool in query.tools {
                    toolRows.append([
                        runID, .string(query.queryID), .string(tool.spanID), .string(tool.tool),
                        .int(Self.turnIndex(of: tool, in: query).map(Int64.init)),
                        tool.ok.map { .bool($0) } ?? .null, .string(tool.error), .double(tool.latencySeconds),
                        .string(tool.parentSpanID), .int(tool.outputBytes),
                    ])
                }
            }
            progress?(index + 1, runs.count)
        }
        let tables = [
            DatabaseTable(name: "runs", analysisRows: views.runs),
            DatabaseTable(name: "queries", analysisRows: views.queries),
            DatabaseTable(name: "turns", analysisRows: views.turns),
            DatabaseTable(name: "tools", analysisRows: views.tools),
            DatabaseTable(name: "models", analysisRows: views.models),
            DatabaseTable(name: "tool_calls", columns: DatabaseSchema.toolCallColumns, rows: toolRows),
        ]
        return DatabaseContent(logHash: logHash, metricSet: metricSet, priceTableHash: priceTableHash,
                               tables: tables, diagnostics: views.diagnostics)
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
