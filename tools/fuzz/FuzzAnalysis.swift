// Shared by the log fuzz targets: runs decoded events through every metric
// set, view and renderer, so that no log content can crash the analyser.
import TraceAnalysis
import TraceLog

enum FuzzAnalysis {
    static func analyze(_ segments: [DecodedSegment]) {
        var byRun: [String: [TraceEvent]] = [:]
        for segment in segments { byRun[segment.header.runID, default: []] += segment.events }
        for (runID, events) in byRun {
            for set in MetricSets.all {
                let result = set.analyze(RunEvents(runID: runID, events: events))
                for rows in [result.turns, result.queries, result.runs] {
                    _ = CSVRenderer().render(rows, metricSet: set.identity)
                    _ = JSONRenderer().render(rows, metricSet: set.identity)
                    _ = TableRenderer().render(rows, metricSet: set.identity)
                }
                for diagnostic in result.diagnostics { _ = diagnostic.description }
            }
            compareStreamed(RunEvents(runID: runID, events: events))
        }
    }

    /// The streamed default set must give exactly what the whole-run one
    /// gives whenever it accepts the run (a differential check: a mismatch
    /// is reported as a crash).
    static func compareStreamed(_ run: RunEvents) {
        let stream = DefaultRunStream(runID: run.runID)
        for event in run.events { stream.survey(event) }
        guard stream.isStreamable else { return }
        stream.beginAttribution()
        for event in run.events { stream.attribute(event) }
        let streamed = stream.finish().result
        let whole = DefaultMetricSet().analyze(run)
        func text(_ result: AnalysisResult) -> String {
            [result.turns, result.queries, result.runs].map { JSONRenderer().render($0, metricSet: DefaultMetricSet.identity) }
                .joined() + result.diagnostics.map(\.description).joined(separator: "\n")
        }
        if text(streamed) != text(whole) { fatalError("streamed and whole-run default analyses differ") }
    }
}
