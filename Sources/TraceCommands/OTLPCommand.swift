import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TraceAnalysis
import TraceExport
import TraceLog

/// `trace-analyze otlp LOG... -o spans.jsonl`: the analysed runs as
/// OpenTelemetry spans (OTLP JSON), or posted to a collector.
struct OTLPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "otlp",
        abstract: "Write the analysed runs as OpenTelemetry GenAI spans (OTLP JSON), or post them to a collector.",
        discussion: """
            One line per query, each an OTLP ExportTraceServiceRequest as the Collector's \
            file exporter writes it: the query as an invoke_agent span, its inferences as \
            chat spans with the GenAI usage attributes, its tool calls as execute_tool \
            spans under the call that asked for them, and our results as attributes \
            (agent_trace.energy.gpu_joules, agent_trace.cost.usd and gen_ai.usage.cost.*, \
            agent_trace.metric_set). `import --from otlp` reads it back. With --endpoint \
            the requests are posted (application/json) to URL/v1/traces instead.

            Example: trace-analyze otlp run.zst -o spans.jsonl
            """)

    @OptionGroup var inputs: LogInputs

    @Option(name: .shortAndLong, help: ArgumentHelp("File to write (`-` for standard output).", valueName: "spans.jsonl"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Post to this OTLP/HTTP collector instead (URL/v1/traces).", valueName: "URL"))
    var endpoint: String?

    @OptionGroup var priceOptions: PriceOptions

    @OptionGroup var quietOption: QuietOption

    @Option(name: .long, help: ArgumentHelp("Metric set whose energy is written.", valueName: "name"))
    var metrics: String?

    @OptionGroup var clockOffsets: ClockOffsetOptions

    func validate() throws {
        if (output == nil) == (endpoint == nil) { throw ValidationError("Give -o FILE or --endpoint URL (one of them).") }
    }

    func run() throws {
        let metricSet = try clockOffsets.apply(to: MetricSetOption.resolve(metrics))
        let writer = OTLPTraceWriter(metricSet: metricSet.identity.description, prices: try priceOptions.load())
        let messages = Messages(quiet: quietOption.quiet)
        let analyzed = LogAnalysis.analyze(inputs.logs, with: metricSet)
        messages.log(analyzed.diagnostics)
        var lines: [String] = []
        for (position, run) in analyzed.runs.enumerated() {
            let energy = analyzed.spanEnergy?[position] ?? metricSet.spanEnergy(run.events)
            lines += writer.lines(for: run, spanEnergy: energy)
        }
        if let endpoint {
            try post(lines, to: endpoint)
            messages.note("posted \(lines.count) requests to \(endpoint)")
        } else if let output {
            try OutputFile.streaming(to: output, inputs: inputs.files) { write in
                for line in lines { write(line + "\n") }
            }
        }
        try LogInputs.exitIfIncomplete(foundSegments: analyzed.foundSegments, diagnostics: analyzed.diagnostics)
    }

    /// Posts each request to `endpoint`/v1/traces (unless the URL already
    /// names that path); a refused request is an error naming its status.
    private func post(_ lines: [String], to endpoint: String) throws {
        var text = endpoint
        if !text.hasSuffix("/v1/traces") { text = (text.hasSuffix("/") ? String(text.dropLast()) : text) + "/v1/traces" }
        guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
            throw CommandError("--endpoint \(endpoint): not an http or https URL")
        }
        for line in lines {
            var request = URLRequest(url: url)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(line.utf8)
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var failure: String?
            URLSession.shared.dataTask(with: request) { body, response, error in
                if let error {
                    failure = "\(error.localizedDescription)"
                } else if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
                    failure = "HTTP \(http.statusCode) \(String(decoding: (body ?? Data()).prefix(200), as: UTF8.self))"
                }
                done.signal()
            }.resume()
            done.wait()
            if let failure { throw CommandError("\(text): the collector refused the spans: \(failure)") }
        }
    }
}
