import ArgumentParser
import TraceAnalysis
import TraceLog

/// `trace-analyze compare LOG --metrics A --metrics B`: what changes
/// between two metric sets, row by row.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Show, row by row, what changes between two metric sets.",
        discussion: """
            Analyses the logs with both sets, matches rows by their keys (run_id, query_id \
            and turn_index for turns, run_id and query_id for queries, run_id for runs) and prints one \
            row per value that differs: the keys, `column`, `value_a`, `value_b`, \
            `delta` (b − a) and `relative_change` ((b − a) / |a|). Unchanged values are \
            not printed; columns only one set has are listed on standard error.

            Example: trace-analyze compare run.zst --metrics ipw --metrics default --by query
            """)

    @OptionGroup var inputs: LogInputs

    @Option(name: .long, help: ArgumentHelp("A metric set; give exactly two (A, then B).", valueName: "name"))
    var metrics: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "Rows to compare: turn, query or run (the tool, model and label views are not compared).", valueName: "view"))
    var by: AnalysisView = .query

    @Option(name: .long, help: "Output format: table, csv or json.")
    var format: OutputFormat = .table

    @OptionGroup var quietOption: QuietOption

    func validate() throws {
        guard metrics.count == 2 else { throw ValidationError("Give --metrics exactly twice: --metrics A --metrics B.") }
        guard [AnalysisView.turn, .query, .run].contains(by) else {
            throw ValidationError("compare takes --by turn, query or run, not \(by).")
        }
        for name in metrics where MetricSets.named(name) == nil {
            throw ValidationError("Unknown metric set \"\(name)\"; known: \(MetricSets.names.joined(separator: ", ")).")
        }
    }

    func run() throws {
        let a = MetricSets.named(metrics[0])!, b = MetricSets.named(metrics[1])!
        // Each set analyses the logs its own way (streamed when it can);
        // read problems are told once.
        let messages = Messages(quiet: quietOption.quiet)
        let analyzedA = inputs.analyze(with: a, messages: messages)
        let analyzedB = inputs.analyze(with: b, messages: nil)
        messages.warnings(analyzedA.runs.flatMap(\.result.diagnostics).map(\.description))
        let comparison = Self.compare(
            analyzedA.runs.map { ($0.structure.runID, $0.result) }, analyzedB.runs.map { ($0.structure.runID, $0.result) },
            by: by)
        if !comparison.onlyInA.isEmpty {
            messages.note("only in \(a.identity.tag): \(comparison.onlyInA.joined(separator: ", "))")
        }
        if !comparison.onlyInB.isEmpty {
            messages.note("only in \(b.identity.tag): \(comparison.onlyInB.joined(separator: ", "))")
        }
        messages.note("\(comparison.unchangedRows) rows unchanged")
        StandardStreams.out(format.render(comparison.rows, metricSet: .comparison(a.identity, b.identity)))
        try LogInputs.exitIfIncomplete(foundSegments: analyzedA.foundSegments, diagnostics: analyzedA.diagnostics)
    }

    /// Compares the `view` rows of two sets over every run of `log`.
    static func compare(_ log: LogSet, _ a: any MetricSet, _ b: any MetricSet, by view: AnalysisView) -> RowComparison {
        let runs = log.runs.map { RunEvents(runID: $0.runID, events: $0.events) }
        return compare(runs.map { ($0.runID, a.analyze($0)) }, runs.map { ($0.runID, b.analyze($0)) }, by: view)
    }

    /// Compares the `view` rows of two sets' results, run by run.
    static func compare(
        _ a: [(runID: String, result: AnalysisResult)], _ b: [(runID: String, result: AnalysisResult)],
        by view: AnalysisView
    ) -> RowComparison {
        func rows(_ results: [(runID: String, result: AnalysisResult)]) -> [AnalysisRow] {
            results.flatMap { runID, result -> [AnalysisRow] in
                let rows: [AnalysisRow] =
                    switch view {
                    case .view(.turn): result.turns
                    case .view(.query): result.queries
                    default: result.runs
                    }
                return rows.map { $0.leading("run_id", .string(runID)) }
            }
        }
        let rowsA = rows(a), rowsB = rows(b)
        let keys: [String] =
            switch view {
            case .view(.turn): ["run_id", "query_id", "turn_index"]
            case .view(.query): ["run_id", "query_id"]
            default: ["run_id"]
            }
        return RowComparison(a: rowsA, b: rowsB, keys: keys)
    }
}
