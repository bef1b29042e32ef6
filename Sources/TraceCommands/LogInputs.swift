import ArgumentParser
import TraceLog

/// The log files, directories or both that a command reads.
struct LogInputs: ParsableArguments {
    @Argument(help: ArgumentHelp("Log files (.zst) or directories of them.", valueName: "log"))
    var logs: [String] = []

    func validate() throws {
        if logs.isEmpty { throw ValidationError("Give at least one log file or directory.") }
    }

    /// Reads every log and prints read problems on standard error.
    func read(quiet: Bool = false) -> LogSet {
        let set = LogReader.read(logs)
        if !quiet {
            for diagnostic in set.diagnostics { StandardStreams.err("trace-analyze: \(diagnostic)\n") }
        }
        return set
    }
}
