import TraceLog

extension RunEvents {
    /// The run's events in record order: by ascending ``TraceEvent/sequence``,
    /// events with equal sequences kept in their given order.
    ///
    /// Events read by `LogReader` are already in that order; one O(n) check
    /// finds so, and the array is then returned as it is (no copy, no sort).
    public var eventsInRecordOrder: [TraceEvent] { Self.recordOrder(events) }

    /// `events` sorted stably by sequence; `events` itself when already sorted.
    static func recordOrder(_ events: [TraceEvent]) -> [TraceEvent] {
        if isInRecordOrder(events) { return events }
        return events.enumerated()
            .sorted { ($0.element.sequence, $0.offset) < ($1.element.sequence, $1.offset) }
            .map(\.element)
    }

    /// Whether the sequences never decrease.
    static func isInRecordOrder(_ events: [TraceEvent]) -> Bool {
        events.withUnsafeBufferPointer { buffer in
            guard var previous = buffer.first?.sequence else { return true }
            for index in buffer.indices {
                let sequence = buffer[index].sequence
                if sequence < previous { return false }
                previous = sequence
            }
            return true
        }
    }
}
