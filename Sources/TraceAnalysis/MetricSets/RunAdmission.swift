import TraceLog

/// What a run's stream checks of every event it is fed, in record order:
/// that sequences do not go back, that the timestamp is one the metric
/// sets accept (``RunEvents/plausibleTimestamps``; the others are counted
/// and the first kept for the diagnostic), and the run's time span.
struct RunAdmission {
    private var lastSequence: UInt64?
    /// Whether the sequences never went back.
    private(set) var inRecordOrder = true
    private(set) var implausible = 0
    private(set) var firstImplausible: TraceEvent?
    private(set) var firstTime: Int64?
    private(set) var lastTime: Int64?

    /// Takes the next event; false (and counted) when its timestamp is left
    /// out. With `checkingOrder` false the caller vouches for the order.
    mutating func admit(
        sequence: UInt64, timestamp: Int64, checkingOrder: Bool = true, event: @autoclosure () -> TraceEvent
    ) -> Bool {
        if checkingOrder {
            if let lastSequence, sequence < lastSequence { inRecordOrder = false }
            lastSequence = sequence
        }
        guard RunEvents.plausibleTimestamps.contains(timestamp) else {
            implausible += 1
            if firstImplausible == nil { firstImplausible = event() }
            return false
        }
        firstTime = min(firstTime ?? timestamp, timestamp)
        lastTime = max(lastTime ?? timestamp, timestamp)
        return true
    }

    /// Records events a caller left out itself, before the first.
    mutating func leftOut(first: TraceEvent, count: Int) {
        firstImplausible = first
        implausible += count
    }

    /// The diagnostic for the events left out, if any.
    func diagnostic(runID: String) -> AnalysisDiagnostic? {
        firstImplausible.map { RunEvents.implausibleTimestampsDiagnostic(runID: runID, first: $0, count: implausible) }
    }

    /// The first and last admitted timestamps.
    var timeSpan: (first: Int64, last: Int64)? {
        firstTime.flatMap { first in lastTime.map { (first, $0) } }
    }
}
