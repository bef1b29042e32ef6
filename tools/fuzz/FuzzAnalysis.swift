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
        }
    }
}
