import ArgumentParser
import Foundation
import TraceAnalysis
import TraceExport
import TraceLog

/// `trace-analyze export LOG... --out DIR`: CSV summaries and a JSON summary.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write turns.csv, queries.csv, tools.csv, models.csv and summary.json into a directory.",
        discussion: """
            Each CSV holds one row per row of the matching `--by` JSON view (RFC 4180, \
            header row). summary.json names the metric set and version, the price table \
            and its SHA-256, the SHA-256 of the logs' bytes, and totals.
            """)

    @OptionGroup var inputs: LogInputs

    @Option(name: [.short, .customLong("output"), .customLong("out")],
            help: ArgumentHelp("Directory to write (created if missing); --out is the same option.", valueName: "dir"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("Metric set (see `trace-analyze metrics`).", valueName: "name"))
    var metrics: String?

    @OptionGroup var clockOffsets: ClockOffsetOptions

    @OptionGroup var priceOptions: PriceOptions

    @OptionGroup var quietOption: QuietOption

    @Flag(name: .customLong("csv-formulas"), help: ArgumentHelp(
        "Print text that starts with = + - @ as it is (by default a ' is put in front, so spreadsheets do not run it)."))
    var csvFormulas = false

    func run() throws {
        let name = metrics ?? MetricSets.defaultName
        guard let named = MetricSets.named(name) else {
            throw CommandError("Unknown metric set \"\(name)\"; known: \(MetricSets.names.joined(separator: ", ")).")
        }
        let metricSet = try clockOffsets.apply(to: named)
        let prices = try priceOptions.load()
        // One analysis serves the four tables.
        let messages = Messages(quiet: quietOption.quiet)
        let analyzed = inputs.analyze(with: metricSet, messages: messages)
        var unpriced: [String] = []
        // The analysis's warnings, each once, as --by prints them.
        var diagnostics: [AnalysisDiagnostic] = []
        var seen = Set<AnalysisDiagnostic>()
        func rows(_ kind: ViewKind) -> [AnalysisRow] {
            let report = AnalysisReport(metricSet: metricSet, view: .view(kind), format: .csv, prices: prices)
            let (rows, notes) = report.rows(analyzed: analyzed.runs, spanEnergy: analyzed.spanEnergy)
            for model in notes.unpricedModels where !unpriced.contains(model) { unpriced.append(model) }
            for diagnostic in notes.diagnostics where seen.insert(diagnostic).inserted { diagnostics.append(diagnostic) }
            return rows
        }
        var input = Export.Input(
            turns: rows(.turn), queries: rows(.query), tools: rows(.tool), models: rows(.model),
            metricSet: metricSet.identity, priceTable: prices.identity, logSHA256: LogContentHash.hex(ofFiles: analyzed.files),
            unpricedModels: unpriced)
        input.csvFormulas = csvFormulas
        try OutputFile.makeDirectory(out)
        for (fileName, contents) in Export.files(input) {
            try OutputFile.write(contents, to: (out as NSString).appendingPathComponent(fileName), inputs: analyzed.files)
        }
        messages.warnings(diagnostics.map(\.description))
        if !unpriced.isEmpty {
            messages.warnings(["no price for \(unpriced.joined(separator: ", ")) in \(prices.identity): their cost is null"])
        }
        messages.note("wrote \(Export.fileNames.joined(separator: ", ")) to \(out)")
        try LogInputs.exitIfIncomplete(foundSegments: analyzed.foundSegments, diagnostics: analyzed.diagnostics)
    }
}
