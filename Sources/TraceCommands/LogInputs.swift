import ArgumentParser
import TraceAnalysis
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

extension LogInputs {
    /// Reads and analyses the logs (``LogAnalysis``): streamed when the set
    /// can and the logs allow it, else read whole. Read problems go to
    /// standard error unless `quiet`.
    func analyze(with metricSet: any MetricSet, quiet: Bool = false, stream: Bool = true) -> AnalyzedLogs {
        let analyzed = LogAnalysis.analyze(logs, with: metricSet, stream: stream)
        if !quiet {
            for diagnostic in analyzed.diagnostics { StandardStreams.err("trace-analyze: \(diagnostic)\n") }
        }
        return analyzed
    }
}
