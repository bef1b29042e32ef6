/// The start of one model inference (an LLM call).
public struct InferenceStart: Sendable, Equatable {
    /// The inference's span identifier.
    public var spanID: String?
    /// The query it belongs to.
    public var queryID: String?
    /// The model requested.
    public var model: String?

    /// Creates an inference start.
    public init(spanID: String? = nil, queryID: String? = nil, model: String? = nil) {
        self.spanID = spanID
        self.queryID = queryID
        self.model = model
    }
}

/// The end of one model inference, with what the provider reported.
///
/// Every quantity is optional: absent means unknown, never zero.
public struct InferenceEnd: Sendable, Equatable {
    /// The inference's span identifier.
    public var spanID: String?
    /// The query it belongs to.
    public var queryID: String?
    /// The model requested, if repeated on the end.
    public var model: String?
    /// The model the provider routed the request to.
    public var routedModel: String?
    /// Prompt (input) tokens.
    public var promptTokens: Int64?
    /// Completion (output) tokens.
    public var completionTokens: Int64?
    /// Prompt tokens served from the provider's cache.
    public var cachedTokens: Int64?
    /// Reasoning tokens.
    public var reasoningTokens: Int64?
    /// The cost the provider reported, in US dollars.
    public var costUSD: Double?
    /// Time to first token, in seconds.
    public var timeToFirstTokenSeconds: Double?
    /// Whether the response came from a cache.
    public var cached: Bool?
    /// How the call ended (`ok`, `error`, …).
    public var status: String?
    /// The error, when it failed.
    public var error: String?
    /// Why generation stopped (`stop`, `length`, `tool_calls`, …).
    public var stopReason: String?
    /// Who served the call (`openai`, `anthropic`, …), when known.
    public var provider: String?
    /// Input tokens written to the provider's prompt cache (a part of
    /// ``promptTokens``, as ``cachedTokens`` is for reads).
    public var cacheWriteTokens: Int64?

    /// Creates an inference end.
    public init(
        spanID: String? = nil, queryID: String? = nil, model: String? = nil, routedModel: String? = nil,
        promptTokens: Int64? = nil, completionTokens: Int64? = nil, cachedTokens: Int64? = nil,
        reasoningTokens: Int64? = nil, costUSD: Double? = nil, timeToFirstTokenSeconds: Double? = nil,
        cached: Bool? = nil, status: String? = nil, error: String? = nil, stopReason: String? = nil,
        provider: String? = nil, cacheWriteTokens: Int64? = nil
    ) {
        self.provider = provider
        self.cacheWriteTokens = cacheWriteTokens
        self.spanID = spanID
        self.queryID = queryID
        self.model = model
        self.routedModel = routedModel
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cachedTokens = cachedTokens
        self.reasoningTokens = reasoningTokens
        self.costUSD = costUSD
        self.timeToFirstTokenSeconds = timeToFirstTokenSeconds
        self.cached = cached
        self.status = status
        self.error = error
        self.stopReason = stopReason
    }
}
