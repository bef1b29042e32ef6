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
    public var provider: String? {
        @inlinable get { rare?.provider }
        set { rare = InferenceEndRareFields(provider: newValue, cacheWriteTokens: cacheWriteTokens) }
    }
    /// Input tokens written to the provider's prompt cache (a part of
    /// ``promptTokens``, as ``cachedTokens`` is for reads).
    public var cacheWriteTokens: Int64? {
        @inlinable get { rare?.cacheWriteTokens }
        set { rare = InferenceEndRareFields(provider: provider, cacheWriteTokens: newValue) }
    }
    /// The fields most calls lack, behind one reference: every event's
    /// payload is as large as its largest kind, this one, so what is rarely
    /// set costs a pointer here rather than its own bytes in every event.
    @usableFromInline var rare: InferenceEndRareFields?

    /// Creates an inference end.
    public init(
        spanID: String? = nil, queryID: String? = nil, model: String? = nil, routedModel: String? = nil,
        promptTokens: Int64? = nil, completionTokens: Int64? = nil, cachedTokens: Int64? = nil,
        reasoningTokens: Int64? = nil, costUSD: Double? = nil, timeToFirstTokenSeconds: Double? = nil,
        cached: Bool? = nil, status: String? = nil, error: String? = nil, stopReason: String? = nil,
        provider: String? = nil, cacheWriteTokens: Int64? = nil
    ) {
        if provider != nil || cacheWriteTokens != nil {
            rare = InferenceEndRareFields(provider: provider, cacheWriteTokens: cacheWriteTokens)
        }
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

/// ``InferenceEnd``'s rarely set fields (immutable: a change makes a new one).
@usableFromInline
final class InferenceEndRareFields: Sendable, Equatable {
    @usableFromInline let provider: String?
    @usableFromInline let cacheWriteTokens: Int64?

    @usableFromInline init?(provider: String?, cacheWriteTokens: Int64?) {
        guard provider != nil || cacheWriteTokens != nil else { return nil }
        self.provider = provider
        self.cacheWriteTokens = cacheWriteTokens
    }

    @usableFromInline
    static func == (a: InferenceEndRareFields, b: InferenceEndRareFields) -> Bool {
        a.provider == b.provider && a.cacheWriteTokens == b.cacheWriteTokens
    }
}
