import TraceAnalysis
import TraceLog

/// The default set's analysis of logs read as a stream, twice, holding no
/// telemetry (``DefaultRunStream``): for the views made from the set's rows.
enum StreamedAnalysis {
    /// Whether `view` under `metricSet` can be made from a streamed
    /// analysis: every view of the default set (they are built from its
    /// rows, its span energies and the events other than samples).
    static func applies(to view: AnalysisView, metricSet: any MetricSet) -> Bool {
        metricSet is DefaultMetricSet
    }

    /// Analyses the logs at `paths` (see ``StreamedLogAnalysis``); nil when
    /// their order does not allow a stream: read them whole then.
    static func analyze(_ paths: [String], metricSet: DefaultMetricSet) -> StreamedLogAnalysis.Outcome? {
        StreamedLogAnalysis.analyze(paths, metricSet: metricSet)
    }
}
