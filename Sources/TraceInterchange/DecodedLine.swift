import TraceLog

/// One line of the JSON Lines interchange, decoded.
///
/// A line carries no sequence number and no run id of its own: record order
/// is the order of the lines, and the run is whatever the importer decides.
public struct DecodedLine: Sendable, Equatable {
    /// Wall-clock time of the event in nanoseconds since the Unix epoch, from
    /// `t_ns` or, when the line has no `t_ns`, from `t`; `nil` when the line
    /// has neither (or both are `null`).
    public var timestamp: Int64?
    /// What happened.
    public var payload: EventPayload
    /// `sender_pid`: the process that sent the event, as `dump` writes it
    /// for events `trace-record` took from its socket (1 … 2³¹ − 1).
    public var senderPID: Int32?

    /// Creates a decoded line.
    public init(timestamp: Int64?, payload: EventPayload, senderPID: Int32? = nil) {
        self.timestamp = timestamp
        self.payload = payload
        self.senderPID = senderPID
    }
}
