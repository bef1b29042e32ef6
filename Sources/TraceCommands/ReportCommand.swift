import ArgumentParser
import Foundation
import TraceAnalysis
import TraceExport
import TraceLog

/// `trace-analyze report LOG... -o report.html`: one self-contained page.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report: power chart, energy per turn, summary tables.",
        discussion: """
            One HTML file with inline CSS and SVG; nothing is loaded from the network and \
            there are no scripts. Per run: a power-over-time chart with query, turn, \
            inference and tool bands, energy bars per turn, and the run, query and turn \
            tables of the metric set (named on the page).

            Example: trace-analyze report run.zst -o report.html
            """)

    @OptionGroup var inputs: LogInputs

    @Option(name: .shortAndLong, help: ArgumentHelp("File to write (`-` for standard output).", valueName: "report.html"))
    var output: String

    @Option(name: .long, help: ArgumentHelp("Metric set for the tables.", valueName: "name"))
    var metrics: String?

    @OptionGroup var clockOffsets: ClockOffsetOptions

    @Option(name: .long, help: ArgumentHelp("Show at most this many turns in bars and tables.", valueName: "n"))
    var turnLimit: Int = 80

    @OptionGroup var priceOptions: PriceOptions

    @OptionGroup var quietOption: QuietOption

    func validate() throws {
        if turnLimit < 1 { throw ValidationError("--turn-limit must be at least 1.") }
    }

    func run() throws {
        let metricSet = try clockOffsets.apply(to: MetricSetOption.resolve(metrics))
        var report = HTMLReport(metricSet: metricSet, turnLimit: turnLimit, prices: try priceOptions.load())
        report.clockOffsets = clockOffsets.offsets
        let messages = Messages(quiet: quietOption.quiet)
        let progress = inputs.reading("report", messages)
        let sources = inputs.logs.map { URL(fileURLWithPath: $0).lastPathComponent }
        var foundSegments = false
        var diagnostics: [LogDiagnostic] = []
        // Streamed (no telemetry held) when the logs allow it, else read
        // whole; the page goes out in pieces as it is made.
        try OutputFile.streaming(to: output, inputs: inputs.files) { write in
            if case (var contents, let pass)? = report.streamedContents(inputs.logs) {
                messages.log(pass.diagnostics)
                foundSegments = pass.segmentCount > 0
                diagnostics = pass.diagnostics
                // Each run's rows go as its section is written.
                withoutActuallyEscaping(write) { report.write(taking: &contents, sources: sources, to: $0) }
                return
            }
            let log = inputs.read(messages)
            let runs = log.runs.map { RunEvents(runID: $0.runID, events: $0.events) }
            foundSegments = !log.files.allSatisfy { $0.segments.isEmpty }
            diagnostics = log.diagnostics
            withoutActuallyEscaping(write) { report.write(runs, sources: sources, to: $0) }
        }
        progress.stop()
        try LogInputs.exitIfIncomplete(foundSegments: foundSegments, diagnostics: diagnostics)
    }
}
