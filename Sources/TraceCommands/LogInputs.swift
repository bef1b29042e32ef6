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

/// The logs of a command analysed once with one metric set, for every view
/// the command prints or writes.
struct AnalyzedLogs {
    /// The runs, in order of first appearance, with their rows.
    var runs: [AnalyzedRun]
    /// Each run's span energies when the analysis made them (streamed);
    /// nil to have the views compute them from the runs' events.
    var spanEnergy: [SpanEnergy]?
    /// The files read (directories expanded).
    var files: [String]
    /// Whether any segment was read.
    var foundSegments: Bool
}

extension LogInputs {
    /// Reads and analyses the logs: streamed for the default set (memory
    /// flat in telemetry), else, or where a stream cannot follow the logs or
    /// `stream` is false, read whole. Read problems go to standard error
    /// unless `quiet`.
    func analyze(with metricSet: any MetricSet, quiet: Bool = false, stream: Bool = true) -> AnalyzedLogs {
        if stream, let set = metricSet as? DefaultMetricSet, let streamed = StreamedLogAnalysis.analyze(logs, metricSet: set) {
            if !quiet {
                for diagnostic in streamed.pass.diagnostics { StandardStreams.err("trace-analyze: \(diagnostic)\n") }
            }
            return AnalyzedLogs(
                runs: streamed.runs, spanEnergy: streamed.spanEnergy, files: streamed.pass.files.map(\.path),
                foundSegments: streamed.pass.segmentCount > 0)
        }
        let log = read(quiet: quiet)
        return AnalyzedLogs(
            runs: log.runs.map { AnalyzedRun(events: RunEvents(runID: $0.runID, events: $0.events), metricSet: metricSet) },
            spanEnergy: nil, files: log.files.map(\.path), foundSegments: !log.files.allSatisfy { $0.segments.isEmpty })
    }
}
