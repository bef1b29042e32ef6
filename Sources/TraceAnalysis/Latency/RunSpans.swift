import TraceLog

/// The inferences and tool calls of one run as the views count them, read
/// off its ``RunStructure`` (the pairing rules are there).
///
/// - ``inferences``: one per inference end (a start never ended made no
///   call that returned anything, and is only in the turn view), in order
///   of their end records; ``InferenceSpan/turnIndex`` is the position among
///   the ended inferences of the same query.
/// - ``toolCalls``: one per call, never-ended and end-only calls included,
///   in order of their end records (calls never ended at their start's).
public struct RunSpans: Sendable {
    /// The run's inferences, in order of their end records.
    public var inferences: [InferenceSpan] = []
    /// The run's tool calls, in order of their end records (calls never ended
    /// at their start record's position).
    public var toolCalls: [ToolCallSpan] = []
    /// Problems met while matching starts and ends (the structure's).
    public var diagnostics: [AnalysisDiagnostic] = []

    /// Extracts the spans of a run.
    public init(_ run: RunEvents) {
        self.init(RunStructure(run))
    }

    /// The spans of a run's structure.
    public init(_ structure: RunStructure) {
        inferences = structure.endedInferences.map { InferenceSpan(structure, span: $0.span, turnIndex: $0.position) }
        toolCalls = structure.toolCallsInRecordOrder.map { ToolCallSpan(structure, span: $0) }
        diagnostics = structure.diagnostics
    }
}

extension InferenceSpan {
    /// The inference at `span` of a structure, with the given turn index.
    public init(_ structure: RunStructure, span: Int, turnIndex: Int) {
        let s = structure.spans[span]
        self.init(
            reference: structure.reference(span), turnIndex: turnIndex, model: s.model,
            promptTokens: s.promptTokens, completionTokens: s.completionTokens,
            cachedTokens: s.cachedTokens, reasoningTokens: s.reasoningTokens,
            providerCostUSD: s.costUSD, latencySeconds: s.latencySeconds,
            timeToFirstTokenSeconds: s.timeToFirstTokenSeconds, failed: s.failed)
    }
}

extension ToolCallSpan {
    /// The tool call at `span` of a structure.
    public init(_ structure: RunStructure, span: Int) {
        let s = structure.spans[span]
        self.init(reference: structure.reference(span), tool: s.toolName, latencySeconds: s.latencySeconds,
                  ok: s.ok, error: s.error)
    }
}
