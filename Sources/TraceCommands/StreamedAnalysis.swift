import TraceAnalysis
import TraceLog

/// The default set's analysis of logs read as a stream, twice, holding no
/// telemetry (``DefaultRunStream``): for the views made from the set's rows.
enum StreamedAnalysis {
    /// What a streamed analysis gives: the runs, in order of first
    /// appearance, and what reading the logs found.
    struct Outcome {
        var runs: [AnalyzedRun]
        var pass: LogStream.Pass
    }

    /// Whether `view` under `metricSet` can be made from a streamed analysis:
    /// views built from the rows and the events other than samples.
    static func applies(to view: AnalysisView, metricSet: any MetricSet) -> Bool {
        guard metricSet is DefaultMetricSet else { return false }
        switch view {
        case .run, .view(.turn), .view(.query), .view(.label(_)): return true
        case .view(.tool), .view(.model): return false
        }
    }

    /// Analyses the logs at `paths`; nil when their order does not allow a
    /// stream (a run's segments out of order or repeated, events out of
    /// record order, a source's readings out of time order): read them
    /// whole with ``LogReader`` then.
    static func analyze(_ paths: [String], metricSet: DefaultMetricSet) -> Outcome? {
        var runs: [String: DefaultRunStream] = [:]
        var latest: (id: String, index: Dictionary<String, DefaultRunStream>.Index)?
        let pass = LogStream.forEachEvent(in: paths) { event in
            // Runs change rarely: keep the current one's index at hand.
            if latest?.id != event.runID {
                if runs[event.runID] == nil { runs[event.runID] = DefaultRunStream(runID: event.runID, metricSet: metricSet) }
                latest = (event.runID, runs.index(forKey: event.runID)!)
            }
            runs.values[latest!.index].survey(event)
        }
        guard pass.segmentsInOrder, runs.values.allSatisfy(\.isStreamable) else { return nil }
        for id in runs.keys { runs[id]!.beginAttribution() }
        latest = nil
        _ = LogStream.forEachEvent(in: paths, samplesOnly: true) { event in
            if latest?.id != event.runID {
                guard let index = runs.index(forKey: event.runID) else { return }
                latest = (event.runID, index)
            }
            runs.values[latest!.index].attribute(event)
        }
        // Runs without events have no stream; they analyse as empty runs.
        let analyzed = pass.runs.map { id in
            var stream = runs[id] ?? {
                var empty = DefaultRunStream(runID: id, metricSet: metricSet)
                empty.beginAttribution()
                return empty
            }()
            return stream.finish()
        }
        return Outcome(runs: analyzed, pass: pass)
    }
}
