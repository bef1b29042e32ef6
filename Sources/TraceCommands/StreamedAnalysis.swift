import TraceAnalysis
import TraceLog

/// The default set's analysis of logs read as a stream, twice, holding no
/// telemetry (``DefaultRunStream``): for the views made from the set's rows.
enum StreamedAnalysis {
    /// Whether `view` under `metricSet` can be made from a streamed analysis:
    /// views built from the rows and the events other than samples.
    static func applies(to view: AnalysisView, metricSet: any MetricSet) -> Bool {
        guard metricSet is DefaultMetricSet else { return false }
        switch view {
        case .run, .view(.turn), .view(.query), .view(.label(_)): return true
        case .view(.tool), .view(.model): return false
        }
    }

    /// Analyses the logs at `paths` (see ``StreamedLogAnalysis``); nil when
    /// their order does not allow a stream: read them whole then.
    static func analyze(_ paths: [String], metricSet: DefaultMetricSet) -> StreamedLogAnalysis.Outcome? {
        StreamedLogAnalysis.analyze(paths, metricSet: metricSet)
    }
}
