import TraceLog

/// One run's events, in record order (ascending ``TraceEvent/sequence``).
public struct RunEvents: Sendable, Equatable {
    /// The run's identifier.
    public var runID: String
    /// The run's events, in record order.
    public var events: [TraceEvent]

    /// Creates a run from its events, which must already be in record order.
    public init(runID: String, events: [TraceEvent]) {
        self.runID = runID
        self.events = events
    }
}
