import ArgumentParser
import Foundation
import TraceAnalysis
import TraceExport
import TraceLog

/// `trace-analyze perfetto LOG... -o trace.json`: a timeline for
/// ui.perfetto.dev and chrome://tracing.
struct PerfettoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perfetto",
        abstract: "Write a Chrome Trace Event JSON timeline (opens in ui.perfetto.dev and chrome://tracing).",
        discussion: """
            One process per run and one thread per query, with slices for the query, its \
            turns, inferences and tool calls (arguments: the metric set's query and turn \
            rows, model, tokens, cost, error), and a counter track per telemetry channel \
            and source (power in W, cleaned cumulative energy in J, utilisation, memory, \
            temperature). A slice that would not nest on its query's thread (a tool call \
            that outlives its turn, parallel calls) goes on an extra thread of the same \
            query named `QUERY (overlap N)`; nothing is clipped. Times are microseconds \
            from the earliest event; `otherData.origin_unix_ns` gives it.

            Example: trace-analyze perfetto run.zst -o trace.json
            """)

    @OptionGroup var inputs: LogInputs

    @Option(name: .shortAndLong, help: ArgumentHelp("File to write (`-` for standard output).", valueName: "trace.json"))
    var output: String

    @OptionGroup var priceOptions: PriceOptions

    @OptionGroup var quietOption: QuietOption

    @Option(name: .long, help: ArgumentHelp("Metric set for the query and turn arguments.", valueName: "name"))
    var metrics: String?

    @OptionGroup var clockOffsets: ClockOffsetOptions

    func run() throws {
        let metricSet = try clockOffsets.apply(to: MetricSetOption.resolve(metrics))
        var trace = PerfettoTrace(metricSet: metricSet, prices: try priceOptions.load())
        trace.clockOffsets = clockOffsets.offsets
        let messages = Messages(quiet: quietOption.quiet)
        let progress = inputs.reading("timeline", messages, writingOut: output == "-")
        var foundSegments = false
        var diagnostics: [LogDiagnostic] = []
        try OutputFile.streaming(to: output, inputs: inputs.files) { write in
            // Streamed (tracks spilled to temporary files) when the logs
            // allow it, else read whole.
            if let pass = trace.writeStreamed(inputs.logs, progress: { _, _ in }, to: write) {
                messages.log(pass.diagnostics)
                foundSegments = pass.segmentCount > 0
                diagnostics = pass.diagnostics
                return
            }
            let log = inputs.read(messages)
            let runs = log.runs.map { RunEvents(runID: $0.runID, events: $0.events) }
            trace.write(runs, progress: { _, _ in }, to: write)
            foundSegments = !log.files.allSatisfy { $0.segments.isEmpty }
            diagnostics = log.diagnostics
        }
        progress.stop()
        try LogInputs.exitIfIncomplete(foundSegments: foundSegments, diagnostics: diagnostics)
    }
}
