import TraceLog

/// The `default` set over logs read as a stream, twice, holding no
/// telemetry (see ``DefaultRunStream``): the same rows as reading the logs
/// whole with `LogReader` and analysing each run with
/// ``DefaultMetricSet/analyze(_:)``, in memory that does not grow with the
/// number of samples.
public enum StreamedLogAnalysis {
    /// What a streamed analysis gives: the runs, in order of first
    /// appearance, and what reading the logs found.
    public struct Outcome: Sendable {
        /// The runs' rows, with their events other than samples.
        public var runs: [AnalyzedRun]
        /// Each run's span energies (``DefaultMetricSet/spanEnergy(_:)``),
        /// in the order of ``runs``.
        public var spanEnergy: [SpanEnergy]
        /// The diagnostics and counts of the first pass over the logs.
        public var pass: LogStream.Pass
    }

    /// Analyses the logs at `paths`; nil when their order does not allow a
    /// stream (a run's segments out of order or repeated, events out of
    /// record order, a source's readings out of time order): read them
    /// whole with ``LogReader`` then.
    public static func analyze(_ paths: [String], metricSet: DefaultMetricSet = DefaultMetricSet()) -> Outcome? {
        analyze(paths, metricSet: metricSet, prepare: { _ in })
    }

    /// ``analyze(_:metricSet:)``, with `prepare` given each run's stream
    /// between the passes (to observe its second pass).
    package static func analyze(
        _ paths: [String], metricSet: DefaultMetricSet, prepare: (DefaultRunStream) -> Void
    ) -> Outcome? {
        // Two passes need files that read the same twice (not a pipe).
        guard LogStream.isRereadable(paths) else { return nil }
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
        // Sources are numbered across the logs, each name looked up once per
        // segment; samples are read as their energy fields only.
        var sourceNumbers: [String: Int] = [:]
        var sourceNames: [String?] = []
        var noSource: Int?
        func number(_ name: String?) -> Int {
            guard let name else {
                if let noSource { return noSource }
                noSource = sourceNames.count
                sourceNames.append(nil)
                return sourceNames.count - 1
            }
            if let known = sourceNumbers[name] { return known }
            sourceNumbers[name] = sourceNames.count
            sourceNames.append(name)
            return sourceNames.count - 1
        }
        let pass = LogStream.forEachEnergy(in: paths) { header in
            current = stream(header.runID)
        } _: { event in
            current!.survey(event)
        } sourceID: { name in
            number(name)
        } visitEnergy: { sequence, timestamp, source, fields in
            current!.survey(energy: fields, source: source, name: { sourceNames[$0] }, sequence: sequence, timestamp: timestamp)
        }
        guard pass.segmentsInOrder, runs.values.allSatisfy(\.isStreamable) else { return nil }
        for id in pass.runs {
            guard let stream = runs[id] else { continue }
            stream.beginAttribution()
            prepare(stream)
        }
        current = nil
        // The second pass reads the bytes the first one read (a log still
        // being written may have grown since).
        let second = LogStream.forEachEnergy(in: pass.files, samplesOnly: true) { header in
            current = runs[header.runID]
        } _: { _ in
        } sourceID: { name in
            number(name)
        } visitEnergy: { _, timestamp, source, fields in
            current?.attribute(energy: fields, source: source, name: { sourceNames[$0] }, timestamp: timestamp)
        }
        // A file that changed between the passes: read the logs whole.
        guard pass.readTheSame(as: second) else { return nil }
        // A run whose segments hold no events analyses as an empty run.
        let finished = pass.runs.map { id in
            let stream = runs[id] ?? DefaultRunStream(runID: id, metricSet: metricSet)
            if runs[id] == nil { stream.beginAttribution() }
            return (stream.finish(), stream.spanEnergy)
        }
        return Outcome(runs: finished.map(\.0), spanEnergy: finished.map(\.1), pass: pass)
    }
}
