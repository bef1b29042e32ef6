import ArgumentParser
import Foundation
import TraceAnalysis
import TraceLog

extension LabelView.FailedQueries: ExpressibleByArgument {}

/// `trace-analyze LOG... --by turn|query|run`: the main job.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Rebuild turns, queries or runs from logs and print them (the default command).",
        discussion: """
            Every output names the metric set that made it: a footer line in tables, \
            a `metric_set` column in CSV, a `metric_set` member in JSON. Problems in the \
            logs (damaged segments, unmatched starts and ends) are reported on standard \
            error and analysis goes on with everything intact.
            """
    )

    @OptionGroup var inputs: LogInputs

    @Option(name: .long, help: ArgumentHelp(
        "Rows to print: turn, query, run, tool, model, or label:KEY (query totals grouped by a label, e.g. label:data_id).",
        valueName: "view"))
    var by: AnalysisView = .turn

    @Option(name: .long, help: ArgumentHelp("Metric set (see `trace-analyze metrics`).", valueName: "name"))
    var metrics: String?

    @OptionGroup var clockOffsets: ClockOffsetOptions

    @Option(name: .long, help: "Output format: table (default, 80 columns), csv or json (one array of row objects).")
    var format: OutputFormat = .table

    @OptionGroup var priceOptions: PriceOptions

    @OptionGroup var quietOption: QuietOption

    @Flag(name: .customLong("with-run-labels"), help: ArgumentHelp(
        "Give turn and query rows their run's labels as columns run.KEY (CSV and JSON query rows always have them)."))
    var withRunLabels = false

    @Option(name: .customLong("failed-queries"), help: ArgumentHelp(
        "How --by label:KEY scores a failed query without an outcome: exclude (default, as ipw) or zero.",
        valueName: "rule"))
    var failedQueries: LabelView.FailedQueries = .exclude

    @Option(name: .long, help: ArgumentHelp(
        "Print only these columns, in this order (any format); names as in CSV and JSON.", valueName: "a,b,c"))
    var columns: String?

    @Flag(name: .customLong("all-columns"), help: "Tables: every column, in panels (the default turn and query tables are compact).")
    var allColumns = false

    @Flag(name: .customLong("csv-formulas"), help: ArgumentHelp(
        "CSV: print text that starts with = + - @ as it is (by default a ' is put in front, so spreadsheets do not run it)."))
    var csvFormulas = false

    @Flag(name: .customLong("pool-runs"), help: ArgumentHelp(
        "For --by tool, model and label:KEY: one row per group over every run (run_id *), not one per run and group."))
    var poolRuns = false

    @Flag(name: .customLong("no-stream"), help: ArgumentHelp(
        "Read the logs whole instead of streaming them (same output; for comparison).", visibility: .hidden))
    var noStream = false

    func run() throws {
        let name = metrics ?? MetricSets.defaultName
        guard let named = MetricSets.named(name) else {
            throw ValidationError("Unknown metric set \"\(name)\"; known: \(MetricSets.names.joined(separator: ", ")).")
        }
        // The set makes only the rows the view reads.
        let metricSet = try clockOffsets.apply(to: named).making(by.rowsRead)
        let prices = try priceOptions.load()
        var report = AnalysisReport(
            metricSet: metricSet, view: by, format: format, prices: prices, withRunLabels: withRunLabels,
            failedQueries: failedQueries, poolRuns: poolRuns)
        if allColumns { report.columns = .all }
        report.csvFormulas = csvFormulas
        if let columns {
            report.columns = .named(columns.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
        }
        let messages = Messages(quiet: quietOption.quiet)
        var analyzed = inputs.analyze(with: metricSet, messages: messages, stream: !noStream)
        // The runs are read once: the view takes the set's rows out of them.
        var runs = analyzed.runs
        analyzed.runs = []
        let (output, notes) = report.render(taking: &runs, spanEnergy: analyzed.spanEnergy)
        runs = []
        if !notes.unknownColumns.isEmpty {
            throw CommandError("--columns: no column named \(notes.unknownColumns.joined(separator: ", ")) in --by \(by); "
                + "columns: \(notes.knownColumns.joined(separator: ", "))")
        }
        messages.warnings(notes.diagnostics.map(\.description) + notes.warnings)
        if !notes.unpricedModels.isEmpty {
            messages.warnings(["no price for \(notes.unpricedModels.joined(separator: ", ")) in \(prices.identity): their cost is null"])
        }
        StandardStreams.out(output)
        try LogInputs.exitIfIncomplete(foundSegments: analyzed.foundSegments, diagnostics: analyzed.diagnostics)
    }
}
