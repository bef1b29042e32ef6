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
        // Clock offsets the logs measured are applied as if given: when the
        // first pass finds some, the analysis starts again with them.
        var measured: [SourceClockOffset] = []
        guard let (streams, pass) = TwoPassDriver.run(
            paths, make: { DefaultRunStream(runID: $0, metricSet: metricSet) }, prepare: prepare,
            proceed: { streams in
                measured = streams.flatMap(\.measuredClockOffsets)
                return measured.isEmpty
            })
        else {
            guard !measured.isEmpty else { return nil }
            return analyze(paths, metricSet: metricSet.addingClockOffsets(measured), prepare: prepare)
        }
        let runs = streams.map { $0.finish() }
        return Outcome(runs: runs, spanEnergy: streams.map(\.spanEnergy), pass: pass)
    }
}
