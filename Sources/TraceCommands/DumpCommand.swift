import ArgumentParser
import TraceInterchange
import TraceLog

/// `trace-analyze dump LOG...`: the log as interchange JSON Lines.
struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print logs as JSON Lines (the interchange format that `import` reads).",
        discussion: "`import` of a dump analyses byte-identically to the original log.")

    @OptionGroup var inputs: LogInputs

    @OptionGroup var quietOption: QuietOption

    func run() throws {
        // The logs are indexed once, then each run's segments decoded again
        // one at a time, in record order: memory does not grow with the logs.
        let messages = Messages(quiet: quietOption.quiet)
        let progress = inputs.reading("dumping", messages, writingOut: true)
        defer { progress.stop() }
        let log = LogIndex.build(inputs.logs)
        messages.log(log.diagnostics)
        let encoder = InterchangeEncoder(timeFields: .seconds)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        for run in log.runs.indices {
            log.forEachEvent(ofRun: run) { event in
                encoder.encode(event, into: &buffer)
                buffer.append(0x0A)
                if buffer.count >= 1 << 20 {
                    StandardStreams.out(bytes: buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        StandardStreams.out(bytes: buffer)
        try LogInputs.exitIfIncomplete(
            foundSegments: !log.files.allSatisfy({ $0.segments.isEmpty }), diagnostics: log.diagnostics)
    }
}
