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
        // The run of the segment being read (events name their run too;
        // samples belong to their segment's).
        var current: DefaultRunStream?
        func stream(_ id: String) -> DefaultRunStream {
            if let current, current.runID == id { return current }
            if let known = runs[id] { return known }
            let created = DefaultRunStream(runID: id, metricSet: metricSet)
            runs[id] = created
            return created
        }
        let pass = LogStream.forEachEvent(in: paths) { header in
            current = stream(header.runID)
        } _: { event in
            current!.survey(event)
        } visitSample: { sequence, timestamp, sample in
            current!.survey(sample: sample, sequence: sequence, timestamp: timestamp)
        }
        guard pass.segmentsInOrder, runs.values.allSatisfy(\.isStreamable) else { return nil }
        for stream in runs.values { stream.beginAttribution() }
        current = nil
        _ = LogStream.forEachEvent(in: paths, samplesOnly: true) { header in
            current = runs[header.runID]
        } _: { _ in
        } visitSample: { _, timestamp, sample in
            current?.attribute(sample: sample, timestamp: timestamp)
        }
        // A run whose segments hold no events analyses as an empty run.
        let analyzed = pass.runs.map { id in
            let stream = runs[id] ?? DefaultRunStream(runID: id, metricSet: metricSet)
            if runs[id] == nil { stream.beginAttribution() }
            return stream.finish()
        }
        return Outcome(runs: analyzed, pass: pass)
    }
}
