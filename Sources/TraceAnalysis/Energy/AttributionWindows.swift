/// What a span of a turn is doing.
public enum SpanKind: String, Sendable, Hashable {
    /// A model inference.
    case inference
    /// A tool call.
    case tool
}

/// One inference or tool call of a turn, as a time interval
/// `start ..< end` (nanoseconds since the Unix epoch).
public struct SpanInterval: Sendable, Hashable {
    /// What the span is.
    public var kind: SpanKind
    /// When it started.
    public var start: Int64
    /// When it ended.
    public var end: Int64
    /// When an inference's first token arrived (`start` plus its recorded
    /// time to first token), if known: where prefill gives way to decoding.
    public var firstToken: Int64?

    /// Creates a span.
    public init(kind: SpanKind, start: Int64, end: Int64, firstToken: Int64? = nil) {
        self.kind = kind
        self.start = start
        self.end = end
        self.firstToken = firstToken
    }
}

/// One turn of a query: the window `start ..< end` and the spans that are
/// its parts (its inference and the tool calls it asked for).
///
/// The attributor clips spans to the turn's window and the turn's window to
/// its query's; a turn ends where the next one starts at the latest.
public struct TurnInterval: Sendable, Hashable {
    /// When the turn started (its inference's start).
    public var start: Int64
    /// When it ended (the next inference's start, or the query's end).
    public var end: Int64
    /// Its parts.
    public var spans: [SpanInterval]

    /// Creates a turn window.
    public init(start: Int64, end: Int64, spans: [SpanInterval]) {
        self.start = start
        self.end = end
        self.spans = spans
    }
}

/// One query: the window `start ..< end` and its turns in order.
///
/// Time of the query outside every turn (before the first inference) is the
/// query's *overhead*.
public struct QueryInterval: Sendable, Hashable {
    /// The query's identifier.
    public var id: String
    /// When the query started.
    public var start: Int64
    /// When the query ended.
    public var end: Int64
    /// Its turns, ordered by start.
    public var turns: [TurnInterval]

    /// Creates a query window.
    public init(id: String, start: Int64, end: Int64, turns: [TurnInterval]) {
        self.id = id
        self.start = start
        self.end = end
        self.turns = turns
    }
}
