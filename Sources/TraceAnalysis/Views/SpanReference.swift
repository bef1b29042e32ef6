/// Identifies one span (an inference or a tool call) of a run, by its
/// records, so that an energy attribution computed elsewhere can be looked up.
public struct SpanReference: Sendable, Equatable, Hashable {
    /// What kind of span it is.
    public enum Kind: String, Sendable, Hashable {
        /// A model inference.
        case inference
        /// A tool call.
        case tool
    }

    /// The kind of span.
    public var kind: Kind
    /// The run it is in.
    public var runID: String
    /// The query it is attributed to (the `ipw` query-window rules), if any.
    public var queryID: String?
    /// The recorded span id, if any.
    public var spanID: String?
    /// The sequence number of its start record, if one was matched.
    public var startSequence: UInt64?
    /// The sequence number of its end record, if one was recorded.
    public var endSequence: UInt64?

    /// Creates a reference.
    public init(
        kind: Kind, runID: String, queryID: String?, spanID: String?, startSequence: UInt64?, endSequence: UInt64?
    ) {
        self.kind = kind
        self.runID = runID
        self.queryID = queryID
        self.spanID = spanID
        self.startSequence = startSequence
        self.endSequence = endSequence
    }
}
