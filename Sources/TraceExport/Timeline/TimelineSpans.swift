/// One inference (LLM call) as the timeline pairs its start and end.
public struct TimelineInference: Sendable, Equatable {
    /// The span id, if recorded.
    public var spanID: String?
    /// The model requested.
    public var model: String?
    /// The model the provider routed to.
    public var routedModel: String?
    /// Start, nanoseconds since the Unix epoch.
    public var start: Int64
    /// End, nanoseconds since the Unix epoch; nil when it never ended.
    public var end: Int64?
    /// Prompt tokens.
    public var promptTokens: Int64?
    /// Completion tokens.
    public var completionTokens: Int64?
    /// Cached prompt tokens.
    public var cachedTokens: Int64?
    /// The cost the provider reported, US dollars.
    public var costUSD: Double?
    /// Time to first token, seconds.
    public var timeToFirstTokenSeconds: Double?
    /// How the call ended.
    public var status: String?
    /// The error, when it failed.
    public var error: String?
    /// Why generation stopped.
    public var stopReason: String?

    /// The model the call is counted under: routed, else requested.
    public var effectiveModel: String? { routedModel ?? model }
}

/// One tool call as the timeline pairs its start and end.
public struct TimelineTool: Sendable, Equatable {
    /// The span id, if recorded.
    public var spanID: String?
    /// The tool's name (`unknown` when none was recorded).
    public var tool: String
    /// The inference that asked for the call.
    public var parentSpanID: String?
    /// Start, nanoseconds since the Unix epoch.
    public var start: Int64
    /// End, nanoseconds since the Unix epoch; nil when it never ended.
    public var end: Int64?
    /// Whether it succeeded.
    public var ok: Bool?
    /// The error, when it failed.
    public var error: String?
    /// Output size, bytes.
    public var outputBytes: Int64?

    /// The call's latency in seconds, when it ended.
    public var latencySeconds: Double? { end.map { Double($0 - start) / 1e9 } }
}

/// One turn under the default set's convention: inference k's start to
/// inference k+1's start, the last ending at the query's end.
public struct TimelineTurn: Sendable, Equatable {
    /// The turn's index in its query (0-based, in inference start order).
    public var index: Int
    /// The index of the turn's inference in ``TimelineQuery/inferences``.
    public var inference: Int
    /// Start, nanoseconds since the Unix epoch.
    public var start: Int64
    /// End, nanoseconds since the Unix epoch.
    public var end: Int64
}

/// One query of a run with its spans.
public struct TimelineQuery: Sendable, Equatable {
    /// The query's id.
    public var queryID: String
    /// Start, nanoseconds since the Unix epoch.
    public var start: Int64
    /// End: its query end, else its last event.
    public var end: Int64
    /// The end's status.
    public var status: String?
    /// The end's error.
    public var error: String?
    /// Inferences in record order.
    public var inferences: [TimelineInference] = []
    /// Tool calls in record order.
    public var tools: [TimelineTool] = []
    /// Turns in start order.
    public var turns: [TimelineTurn] = []
}
