import TraceLog

/// Logs analysed once with one metric set, for every view a command prints
/// or writes.
public struct AnalyzedLogs: Sendable {
    /// The runs, in order of first appearance, with their rows and structure.
    public var runs: [AnalyzedRun]
    /// Each run's span energies when the analysis made them (streamed);
    /// nil to have the views ask the set (``MetricSet/spanEnergy(_:)``).
    public var spanEnergy: [SpanEnergy]?
    /// The files read (directories expanded).
    public var files: [String]
    /// Whether any segment was read.
    public var foundSegments: Bool
    /// Problems met reading the logs (damage, unreadable files), in order.
    public var diagnostics: [LogDiagnostic]

    /// Creates analysed logs.
    public init(
        runs: [AnalyzedRun], spanEnergy: [SpanEnergy]?, files: [String], foundSegments: Bool,
        diagnostics: [LogDiagnostic]
    ) {
        self.runs = runs
        self.spanEnergy = spanEnergy
        self.files = files
        self.foundSegments = foundSegments
        self.diagnostics = diagnostics
    }
}

/// Reads and analyses logs with a metric set: streamed when the set can
/// (``MetricSet/analyzeStream(_:)``: memory flat in telemetry) and the logs
/// allow it, else read whole and analysed run by run.
public enum LogAnalysis {
    /// Analyses the logs (files or directories of `.zst` files) at `paths`;
    /// `stream: false` reads them whole (the same rows).
    public static func analyze(_ paths: [String], with metricSet: any MetricSet, stream: Bool = true) -> AnalyzedLogs {
        if stream, let streamed = metricSet.analyzeStream(paths) {
            return AnalyzedLogs(
                runs: streamed.runs, spanEnergy: streamed.spanEnergy, files: streamed.pass.files.map(\.path),
                foundSegments: streamed.pass.segmentCount > 0, diagnostics: streamed.pass.diagnostics)
        }
        let log = LogReader.read(paths)
        return AnalyzedLogs(
            runs: log.runs.map { AnalyzedRun(events: RunEvents(runID: $0.runID, events: $0.events), metricSet: metricSet) },
            spanEnergy: nil, files: log.files.map(\.path), foundSegments: !log.files.allSatisfy { $0.segments.isEmpty },
            diagnostics: log.diagnostics)
    }
}
