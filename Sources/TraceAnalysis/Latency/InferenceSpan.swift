/// One inference (LLM call) of a run, as its start and end recorded it.
///
/// There is one span per inference end; a start never ended makes no span
/// (it is reported). Every quantity is optional: absent is not zero.
public struct InferenceSpan: Sendable, Equatable {
    /// Where the span is, for energy lookups and messages.
    public var reference: SpanReference
    /// 0-based position of this inference among its query's inference ends
    /// (or among the run's inferences outside any query); the turn index of
    /// turn-per-inference metric sets such as `ipw`.
    public var turnIndex: Int
    /// The model that served the call: the end's routed model, else the
    /// model named on the end, else on the start; `nil` when none is named.
    /// This name is the one priced and grouped by.
    public var model: String?
    /// Prompt (input) tokens, cached ones included.
    public var promptTokens: Int64?
    /// Completion (output) tokens.
    public var completionTokens: Int64?
    /// Prompt tokens served from the provider's cache.
    public var cachedTokens: Int64?
    /// Reasoning tokens.
    public var reasoningTokens: Int64?
    /// The cost the provider reported, USD.
    public var providerCostUSD: Double?
    /// End minus start, seconds (`Double(ns) / 1e9`); `nil` without a start.
    public var latencySeconds: Double?
    /// Time to first token, seconds, when recorded.
    public var timeToFirstTokenSeconds: Double?
    /// Whether the call failed: a status other than `ok`/`completed`/`success`, or an error.
    public var failed: Bool

    /// Milliseconds per output token: latency × 1000 / completion tokens,
    /// when both are known and positive.
    public var msPerOutputToken: Double? {
        guard let latency = latencySeconds, latency > 0, let tokens = completionTokens, tokens > 0 else { return nil }
        return latency * 1000 / Double(tokens)
    }

    /// Output tokens per second: completion tokens / latency, when both are
    /// known and positive.
    public var outputTokensPerSecond: Double? {
        guard let latency = latencySeconds, latency > 0, let tokens = completionTokens, tokens > 0 else { return nil }
        return Double(tokens) / latency
    }
}

/// One tool call of a run. There is one span per tool start or end: a call
/// that never ended (or never started) is still a call, with no latency.
public struct ToolCallSpan: Sendable, Equatable {
    /// Where the span is, for energy lookups and messages.
    public var reference: SpanReference
    /// The tool's name (the end's, else the start's; `unknown` when neither names it).
    public var tool: String
    /// End minus start, seconds; `nil` unless both were recorded.
    public var latencySeconds: Double?
    /// The end's `ok`, when recorded.
    public var ok: Bool?
    /// The end's error, when recorded.
    public var error: String?

    /// Whether the call failed: `ok` is false or an error is recorded.
    public var failed: Bool { ok == false || (error.map { !$0.isEmpty } ?? false) }
}
