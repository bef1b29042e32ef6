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

    func run() throws {
        let log = inputs.read()
        let encoder = InterchangeEncoder(timeFields: .seconds)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        for run in log.runs {
            for event in run.events {
                encoder.encode(event, into: &buffer)
                buffer.append(0x0A)
                if buffer.count >= 1 << 20 {
                    StandardStreams.out(bytes: buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        StandardStreams.out(bytes: buffer)
        if log.files.allSatisfy({ $0.segments.isEmpty }) { throw ExitCode(1) }
    }
}
