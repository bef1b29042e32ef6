import TraceLog

extension RunEvents {
    /// Timestamps the metric sets accept: within ±2^62 ns (about 146 years)
    /// of the Unix epoch, so that the difference or sum of any two fits in
    /// 64 bits. A log can hold anything (a damaged or hand-written one, an
    /// import with an absurd `t_ns`); such events are left out of the
    /// analysis with one diagnostic instead of overflowing.
    public static let plausibleTimestamps: ClosedRange<Int64> = -(1 << 62) + 1...(1 << 62) - 1

    /// The run without events whose timestamps are outside
    /// ``plausibleTimestamps``, and a diagnostic when there were any.
    public func withPlausibleTimestamps() -> (run: RunEvents, diagnostics: [AnalysisDiagnostic]) {
        let range = Self.plausibleTimestamps
        guard let first = events.first(where: { !range.contains($0.timestamp) }) else { return (self, []) }
        let kept = events.filter { range.contains($0.timestamp) }
        let diagnostic = Self.implausibleTimestampsDiagnostic(runID: runID, first: first, count: events.count - kept.count)
        return (RunEvents(runID: runID, events: kept), [diagnostic])
    }

    /// The diagnostic for `count` events left out for their timestamps, the
    /// first of them (in record order) `first`.
    static func implausibleTimestampsDiagnostic(runID: String, first: TraceEvent, count: Int) -> AnalysisDiagnostic {
        AnalysisDiagnostic(
            runID: runID, sequence: first.sequence,
            message: "\(count) event(s) with timestamps more than 146 years from 1970 "
                + "(first: \(first.timestamp) ns) left out of the analysis")
    }
}
